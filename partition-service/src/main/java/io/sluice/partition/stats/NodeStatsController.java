package io.sluice.partition.stats;

import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionPaths;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@value PartitionPaths#NODE_STATS}: what this node holds and moves ({@link NodeStatsService}). */
@RestController
class NodeStatsController {

    private final NodeStatsService stats;

    NodeStatsController(NodeStatsService stats) {
        this.stats = stats;
    }

    @GetMapping(PartitionPaths.NODE_STATS)
    NodeStats stats() {
        return stats.current();
    }
}
