package io.sluice.partition.kafka;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.log.PartitionLog;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Fetch from the closest replica (KIP-392) at a leader: a consumer that names its rack ({@code client.rack}) and
 * reads a partition this node leads from another rack is sent to a replica in its own rack, as Kafka's
 * {@code RackAwareReplicaSelector} sends it: the Fetch answer carries that replica's id as
 * {@code preferred_read_replica} and no records, and the consumer reads there (below that replica's high watermark)
 * until it is refused or its metadata ages. Only an in-sync replica of a live node with a Kafka listener whose log
 * already reaches the consumer's offset is chosen, the one furthest along (then the lowest id); when none is in the
 * consumer's rack, or this leader is, the leader serves the read itself.
 */
final class ClosestReplicas {

    /** Where to send a consumer, and the leader's offsets its answer carries. */
    record Redirect(int replica, long highWatermark, long lastStableOffset, long logStartOffset) {
    }

    /** A replica that could serve a read (in sync, on a live node with a Kafka listener); its last reported log end. */
    record Candidate(int nodeId, String rack, long logEnd) {
    }

    private final ReplicaManager replicas;
    private final boolean enabled;

    /** {@code enabled}: {@code sluice.partition.kafka.closest-replica-reads}; off, every read stays at the leader. */
    ClosestReplicas(ReplicaManager replicas, boolean enabled) {
        this.replicas = replicas;
        this.enabled = enabled;
    }

    /** The replica a consumer in {@code clientRack} reading {@code tp} from {@code fetchOffset} should read from. */
    Optional<Redirect> redirect(TopicPartition tp, String clientRack, long fetchOffset) {
        if (!enabled || clientRack == null || clientRack.isEmpty()) {
            return Optional.empty();
        }
        Optional<Partition> led = replicas.partition(tp).filter(Partition::isLeader);
        if (led.isEmpty()) {
            return Optional.empty();
        }
        Partition partition = led.get();
        MetadataView view = replicas.metadata();
        int self = replicas.localNode();
        List<Candidate> candidates = new ArrayList<>();
        for (int id : partition.state().isr()) {
            Optional<NodeInfo> node = view.node(id).filter(n -> n.isAlive() && n.kafkaAddress() != null);
            OptionalLong logEnd = partition.followerLogEnd(id);
            if (id != self && node.isPresent() && logEnd.isPresent()) {
                candidates.add(new Candidate(id, node.get().rack(), logEnd.getAsLong()));
            }
        }
        String leaderRack = view.node(self).map(NodeInfo::rack).orElse(null);
        OptionalInt chosen = choose(clientRack, leaderRack, candidates, fetchOffset);
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        PartitionLog log = partition.log();
        return Optional.of(new Redirect(chosen.getAsInt(), log.highWatermark(), log.lastStableOffset(),
                log.logStartOffset()));
    }

    /**
     * The rule alone: the candidate in {@code clientRack} furthest along that already holds {@code fetchOffset}
     * (ties to the lowest id); none when the leader is in that rack or no candidate is.
     */
    static OptionalInt choose(String clientRack, String leaderRack, List<Candidate> candidates, long fetchOffset) {
        if (clientRack == null || clientRack.isEmpty() || clientRack.equals(leaderRack)) {
            return OptionalInt.empty();
        }
        return candidates.stream()
                .filter(candidate -> Objects.equals(clientRack, candidate.rack()) && candidate.logEnd() >= fetchOffset)
                .min(Comparator.comparingLong(Candidate::logEnd).reversed().thenComparingInt(Candidate::nodeId))
                .map(candidate -> OptionalInt.of(candidate.nodeId())).orElse(OptionalInt.empty());
    }
}
