package io.sluice.partition.node;

import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.OfflineReplicasRequest;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the coordinator which of this node's logs went offline (an I/O error took them out of service), so that their
 * leaderships move and they leave ISRs — as Kafka does for a failed log directory — rather than the node heartbeating
 * on while every produce to them fails with STORAGE_ERROR. Each offline log is reported until the coordinator
 * acknowledges it; one report at a time. An offline log stays offline until the process restarts.
 */
final class OfflineLogReporter {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineLogReporter.class);

    private final int nodeId;
    private final CoordinatorApi coordinator;
    private final Supplier<List<TopicPartition>> offlineLogs;
    private final Set<TopicPartition> reported = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean inFlight = new AtomicBoolean();

    OfflineLogReporter(int nodeId, CoordinatorApi coordinator, Supplier<List<TopicPartition>> offlineLogs) {
        this.nodeId = nodeId;
        this.coordinator = coordinator;
        this.offlineLogs = offlineLogs;
    }

    /** Reports logs that went offline since the last acknowledged report (called on every housekeeping round). */
    void reportNewlyOffline() {
        List<TopicPartition> unreported = offlineLogs.get().stream().filter(tp -> !reported.contains(tp)).toList();
        if (unreported.isEmpty() || !inFlight.compareAndSet(false, true)) {
            return;
        }
        OfflineReplicasRequest request = new OfflineReplicasRequest(unreported.stream()
                .map(tp -> new OfflineReplicasRequest.Replica(tp.topic(), tp.partition()))
                .toList());
        coordinator.reportOfflineReplicas(nodeId, request)
                .doFinally(signal -> inFlight.set(false))
                .subscribe(ignored -> { }, error -> LOG.warn("Could not report offline logs {} to the coordinator: {}; "
                        + "trying again", unreported, error.toString()), () -> {
                    reported.addAll(unreported);
                    LOG.error("Logs {} are offline on node {} after I/O errors; the coordinator moved their "
                            + "leaderships. Restart the node once the disk is fixed.", unreported, nodeId);
                });
    }
}
