package io.sluice.coordinator.txn;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.TransactionMarkersApi;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link TransactionMarkers} at the partition leaders the coordinator's metadata names: one WriteTxnMarkers call per
 * leader, with each partition's leader epoch, answered once every marker is committed there. A partition of a deleted
 * topic needs no marker. A partition whose leader has moved past the producer's epoch (INVALID_PRODUCER_EPOCH) had its
 * transaction closed by a later marker already. Any other failure fails the write, which the transaction manager makes
 * again; markers written twice close nothing.
 */
@Component
class LeaderMarkers implements TransactionMarkers {

    private final MetadataManager metadata;
    private final TransactionMarkersApi leaders;
    private final Duration timeout;

    LeaderMarkers(MetadataManager metadata, TransactionMarkersApi leaders, CoordinatorProperties properties) {
        this.metadata = metadata;
        this.leaders = leaders;
        this.timeout = properties.transactions().markerTimeout();
    }

    @Override
    public Mono<Void> write(Transaction txn) {
        return Mono.defer(() -> {
            MetadataView view = metadata.view();
            Map<NodeInfo, List<WriteMarkersRequest.Partition>> byLeader = new LinkedHashMap<>();
            for (TopicPartition tp : txn.partitions()) {
                if (view.topic(tp.topic()).isEmpty()) {
                    continue;
                }
                NodeInfo leader = view.leader(tp).orElseThrow(() -> ErrorCode.LEADER_NOT_AVAILABLE.exception(
                        "Partition " + tp + " has no leader for the marker of " + txn.transactionalId()));
                int leaderEpoch = view.partition(tp).orElseThrow().leaderEpoch();
                byLeader.computeIfAbsent(leader, n -> new ArrayList<>())
                        .add(new WriteMarkersRequest.Partition(tp.topic(), tp.partition(), leaderEpoch));
            }
            boolean commit = txn.state() == TxnState.PREPARE_COMMIT;
            return Flux.fromIterable(byLeader.entrySet())
                    .flatMap(entry -> leaders.writeMarkers(entry.getKey(), new WriteMarkersRequest(timeout.toMillis(),
                            List.of(new WriteMarkersRequest.Marker(txn.producerId(), txn.producerEpoch(),
                                    txn.coordinatorEpoch(), commit, entry.getValue())))))
                    .doOnNext(LeaderMarkers::requireWritten)
                    .then();
        });
    }

    private static void requireWritten(WriteMarkersResponse response) {
        for (WriteMarkersResponse.Marker marker : response.markers()) {
            for (WriteMarkersResponse.Partition partition : marker.partitions()) {
                ErrorCode code = partition.errorCode();
                if (code != null && code != ErrorCode.INVALID_PRODUCER_EPOCH && code != ErrorCode.UNKNOWN_TOPIC
                        && code != ErrorCode.UNKNOWN_PARTITION) {
                    throw code.exception("The marker for producer " + marker.producerId() + " at " + partition.topic()
                            + "-" + partition.partition() + " was not written: " + partition.message());
                }
            }
        }
    }
}
