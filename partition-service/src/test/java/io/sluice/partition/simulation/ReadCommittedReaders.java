package io.sluice.partition.simulation;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.partition.fetch.FetchServiceAccess;
import io.sluice.partition.replica.Partition;
import java.util.List;

/**
 * The read_committed readers of a {@link SimulatedCluster}, each read handed to the {@link ReadCommittedChecker} as it
 * is served: a consumer per partition fetching read_committed from the leader the coordinator names (its consumer
 * fetch, answered at once, not across the network), and every running replica's log read with
 * {@code FetchIsolation.TXN_COMMITTED} from where that incarnation's reader last stopped.
 */
final class ReadCommittedReaders {

    private static final int MAX_BYTES = 1 << 16;

    private final SimulatedCluster cluster;
    private final ReadCommittedChecker checker;
    private final int nodes;
    private final long[] consumerPositions;

    ReadCommittedReaders(SimulatedCluster cluster, ReadCommittedChecker checker, int nodes, int partitions) {
        this.cluster = cluster;
        this.checker = checker;
        this.nodes = nodes;
        this.consumerPositions = new long[partitions];
    }

    /** One round: each consumer fetches once, each replica's reader reads what became stable. */
    void read() {
        for (int p = 0; p < consumerPositions.length; p++) {
            PartitionState state = cluster.partitionState(p);
            SimulatedNode leader = state.hasLeader() ? cluster.node(state.leader()) : null;
            if (leader != null) {
                fetch(leader, p);
            }
        }
        for (int id = 1; id <= nodes; id++) {
            SimulatedNode node = cluster.node(id);
            if (node == null) {
                continue;
            }
            for (Partition partition : node.replicas.partitions()) {
                checker.observeReplica("node " + node.incarnation, partition.topicPartition().partition(),
                        partition.log());
            }
        }
    }

    private void fetch(SimulatedNode leader, int partition) {
        long position = consumerPositions[partition];
        FetchRequest request = new FetchRequest(0L, 1, MAX_BYTES, List.of(new FetchRequest.Partition(
                SimulatedCluster.TOPIC, partition, position, MAX_BYTES)), true);
        FetchServiceAccess.fetch(leader.fetch, request).subscribe(fetched -> {
            FetchedPartition answer = fetched.getFirst();
            if (answer.error() == null) { // not the leader (yet, or any more): the next round asks again
                consumerPositions[partition] = checker.checkFetch("consumer at node " + leader.incarnation, position,
                        answer);
            }
        }, error -> { });
    }
}
