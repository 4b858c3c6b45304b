package io.sluice.gateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.protocol.ErrorCode;
import java.util.List;

/**
 * What the routes that change the cluster's shape answer: partition moves with their progress, the outcome of asking
 * for moves, and nodes being decommissioned. Kafka's names where Kafka has them ({@code adding_replicas},
 * {@code removing_replicas}).
 */
final class MoveViews {

    private MoveViews() {
    }

    /**
     * A partition being moved: {@code replicas} is the target followed by the replicas being removed, {@code leader}
     * its leader in this gateway's metadata (null when it has none), and {@code progress} one entry per adding replica.
     */
    record ReassignmentView(String topic, int partition, List<Integer> replicas, List<Integer> addingReplicas,
                            List<Integer> removingReplicas, Integer leader, List<CatchUp> progress) {
    }

    /**
     * How far an adding replica is behind the leader. {@code bytesCopied} is the replica's log size (null when its node
     * did not answer), {@code bytesToGo} the leader's log size minus the replica's
     * and {@code offsetsToGo} the leader's log end minus the replica's (a replica its node has not created yet counts
     * as empty); both null when the leader's or the replica's node did not answer. {@code bytesPerSecond} is how fast
     * the replica grew between this gateway's last two samples (null until there are two), and {@code etaSeconds}
     * {@code bytesToGo} at that rate (null without a positive rate).
     */
    record CatchUp(int nodeId, Long bytesCopied, Long bytesToGo, Long offsetsToGo, Double bytesPerSecond,
                   Long etaSeconds) {
    }

    /** The planner's proposal: each partition's current replicas and where it would put them. */
    record Proposal(List<ProposedPartition> partitions) {
    }

    record ProposedPartition(String topic, int partition, List<Integer> currentReplicas,
                             List<Integer> proposedReplicas) {
    }

    record ReassignmentList(List<ReassignmentView> reassignments) {
    }

    /**
     * One partition of a move request: accepted (no error), or why not ({@code error_code}, {@code detail}: a
     * problem's members, under the same names).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MoveOutcome(String topic, int partition, ErrorCode errorCode, String detail) {

        static MoveOutcome of(AlterReassignmentsResponse.Result result) {
            return new MoveOutcome(result.topic(), result.partition(), result.errorCode(),
                    result.errorCode() == null ? null : result.message());
        }

        boolean ok() {
            return errorCode == null;
        }
    }

    /** Per partition of a move request, in its order. */
    record MoveOutcomes(List<MoveOutcome> partitions) {

        long failed() {
            return partitions.stream().filter(outcome -> !outcome.ok()).count();
        }
    }

    /**
     * A node being decommissioned: its liveness, the partitions that still have a replica on it, of those the ones
     * whose move under way takes it off, and whether nothing is left on it (it may be stopped and its disk reclaimed).
     */
    record DecommissionView(int nodeId, String status, int partitionsRemaining, int partitionsMovingOff,
                            boolean safeToRemove) {

        static DecommissionView of(DecommissionListing.Progress progress) {
            return new DecommissionView(progress.nodeId(), progress.status().name(), progress.partitions(),
                    progress.movingOff(), progress.safeToRemove());
        }
    }

    record DecommissionList(List<DecommissionView> decommissions) {
    }

    /**
     * A node's move throttle: the byte rate at which it, as a leader, serves replicas a move is adding while they are
     * out of the ISR; null for the node's configured rate ({@code sluice.partition.replication.move-throttle}).
     */
    record MoveThrottleView(int nodeId, Long moveThrottleBytesPerSecond) {
    }
}
