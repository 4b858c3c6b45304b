package io.sluice.coordinator.balance;

import io.sluice.coordinator.testing.CoordinatorApi;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What partition leaders would do for the replicas a move adds, done by hand (the {@link TestNodes} replicate
 * nothing): each adding replica on a node still heartbeating catches up at once and joins the ISR.
 */
final class Followers {

    private Followers() {
    }

    /** One AlterPartition per moving partition, adding its new replicas to the ISR; answers how many were sent. */
    static int catchUp(CoordinatorApi api, TestNodes nodes) {
        return catchUp(api, nodes, null);
    }

    /** {@link #catchUp(CoordinatorApi, TestNodes)} for one topic only ({@code null}: every topic). */
    static int catchUp(CoordinatorApi api, TestNodes nodes, String onlyTopic) {
        int sent = 0;
        for (TopicMetadata topic : api.topics()) {
            if (onlyTopic != null && !onlyTopic.equals(topic.name())) {
                continue;
            }
            for (PartitionState state : topic.partitions()) {
                List<Integer> joining = state.addingReplicas().stream()
                        .filter(r -> !state.isr().contains(r) && nodes.incarnation(r) != null).toList();
                if (!state.hasLeader() || joining.isEmpty()) {
                    continue;
                }
                List<Integer> isr = state.replicas().stream()
                        .filter(r -> state.isr().contains(r) || joining.contains(r)).toList();
                Map<Integer, String> incarnations = new HashMap<>();
                joining.forEach(r -> incarnations.put(r, nodes.incarnation(r)));
                // A refusal (the state moved on meanwhile) is retried by the next call.
                api.alterPartition(topic.name(), state.partition(), state.leader(), state.leaderEpoch(),
                        state.partitionEpoch(), isr, incarnations).returnResult(String.class);
                sent++;
            }
        }
        return sent;
    }

    /** The partitions being moved now. */
    static long moving(CoordinatorApi api) {
        return api.topics().stream().flatMap(t -> t.partitions().stream()).filter(PartitionState::isReassigning)
                .count();
    }

    /** How many partitions have a replica on {@code node}, one being removed included. */
    static long replicasOn(CoordinatorApi api, int node) {
        return api.topics().stream().flatMap(t -> t.partitions().stream())
                .filter(p -> p.replicas().contains(node)).count();
    }

    /** How many partitions have {@code node} among the replicas they keep or are moving to. */
    static long targetReplicasOn(CoordinatorApi api, int node) {
        return api.topics().stream().flatMap(t -> t.partitions().stream())
                .filter(p -> p.targetReplicas().contains(node)).count();
    }
}
