package io.sluice.coordinator.partition;

import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.ElectLeadersRequest;
import io.sluice.internal.coordinator.ElectLeadersResponse;
import io.sluice.internal.coordinator.ElectionResult;
import io.sluice.internal.metadata.PartitionState;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Partition state changes over HTTP: AlterPartition, with which a partition leader changes its ISR, and the
 * preferred-leader election that the gateway's admin face triggers (for one topic, or all). The checks and fencing
 * are {@link PartitionStateService}'s.
 */
@RestController
class PartitionController {

    private final PartitionStateService partitions;

    PartitionController(PartitionStateService partitions) {
        this.partitions = partitions;
    }

    @PostMapping(CoordinatorPaths.PARTITION_ISR)
    Mono<PartitionState> alterPartition(@PathVariable String name, @PathVariable int partition,
                                        @RequestBody AlterPartitionRequest request) {
        return partitions.alterPartition(name, partition, request);
    }

    @PostMapping(CoordinatorPaths.ELECTIONS)
    Mono<ElectLeadersResponse> electLeaders(@RequestBody ElectLeadersRequest request) {
        return partitions.electLeaders(request);
    }

    @PostMapping(CoordinatorPaths.PREFERRED_ELECTION)
    Mono<ElectionResult> electPreferred(@RequestParam(required = false) String topic) {
        return partitions.electPreferredLeaders(topic);
    }
}
