package io.sluice.coordinator.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorApi;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.ReassignmentProposal;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The move planner's proposal over the coordinator's HTTP API on a real Redis (Kafka's {@code --generate}): the
 * proposal puts every replica of the topics asked for on the nodes named, balanced, and moves nothing; a request that
 * cannot be planned is refused with its error code.
 *
 * <p>Set-up: nodes 1, 2 and 3 alive when topic {@code proposed} (6 partitions, 2 replicas) is created, node 4 after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReassignmentProposalTest extends CoordinatorTestSupport {

    private TestNodes nodes;

    @BeforeAll
    void fourNodes() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        api().awaitOnlyLive(1, 2, 3);
        api().createTopic("proposed", 6, 2);
        nodes.start(4);
        api().awaitOnlyLive(1, 2, 3, 4);
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    void shouldProposeEveryReplicaOnTheNodesNamedBalancedAndMoveNothing() {
        TopicMetadata before = api().topic("proposed");
        long version = api().metadataVersion();

        ReassignmentProposal proposal = propose(List.of("proposed"), List.of(2, 3, 4));

        assertThat(proposal.partitions()).hasSize(6);
        Map<Integer, Integer> replicas = new HashMap<>();
        Map<Integer, Integer> leaders = new HashMap<>();
        for (ReassignmentProposal.Partition partition : proposal.partitions()) {
            PartitionState state = before.partition(partition.partition());
            assertThat(partition.topic()).isEqualTo("proposed");
            assertThat(partition.current()).as("partition %d's current replicas", partition.partition())
                    .isEqualTo(state.targetReplicas());
            assertThat(partition.proposed()).as("partition %d's proposed replicas", partition.partition())
                    .hasSize(2).doesNotHaveDuplicates().isSubsetOf(2, 3, 4);
            partition.proposed().forEach(node -> replicas.merge(node, 1, Integer::sum));
            leaders.merge(partition.proposed().getFirst(), 1, Integer::sum);
        }
        assertThat(replicas).as("replicas per node").containsOnlyKeys(2, 3, 4)
                .allSatisfy((node, count) -> assertThat(count).isEqualTo(4));
        assertThat(Collections.max(leaders.values()) - Collections.min(leaders.values()))
                .as("preferred leaders per node: %s", leaders).isLessThanOrEqualTo(1);
        assertThat(leaders).hasSize(3);
        assertThat(api().metadataVersion()).as("a proposal writes nothing").isEqualTo(version);
        assertThat(api().topic("proposed").partitions()).isEqualTo(before.partitions());
    }

    @Test
    void shouldKeepReplicasWhereTheyAreWhenTheNodesNamedAlreadyHoldThemBalanced() {
        TopicMetadata before = api().topic("proposed");
        Set<Integer> holding = new HashSet<>();
        before.partitions().forEach(p -> holding.addAll(p.targetReplicas()));

        ReassignmentProposal proposal = propose(List.of("proposed"), List.copyOf(holding));

        // Created on 1, 2 and 3 by the coordinator's own placement, which balances replicas and leaders.
        for (ReassignmentProposal.Partition partition : proposal.partitions()) {
            assertThat(partition.proposed()).as("partition %d", partition.partition()).isEqualTo(partition.current());
        }
    }

    @Test
    void shouldRefuseWhatCannotBePlannedWithItsErrorCode() {
        long version = api().metadataVersion();

        expectRefused(List.of(), List.of(1, 2), ErrorCode.INVALID_REQUEST);
        expectRefused(List.of("proposed"), List.of(), ErrorCode.INVALID_REQUEST);
        expectRefused(List.of("no-such-topic"), List.of(1, 2), ErrorCode.UNKNOWN_TOPIC);
        expectRefused(List.of("proposed"), List.of(1, 99), ErrorCode.UNKNOWN_NODE);
        expectRefused(List.of("proposed"), List.of(2), ErrorCode.INVALID_REPLICATION_FACTOR);
        CoordinatorApi.expectProblem(api().post(CoordinatorPaths.REASSIGNMENT_PROPOSAL, "{\"nodes\": [1, 2]}"),
                ErrorCode.INVALID_REQUEST);

        assertThat(api().metadataVersion()).as("a refused proposal writes nothing").isEqualTo(version);
    }

    @Test
    void shouldRefuseANodeThatCannotTakeReplicas() {
        try (TestNodes late = newNodes()) {
            late.start(5);
            api().awaitNode(5, NodeStatus.ALIVE);
            api().post(CoordinatorPaths.decommission(5), null).expectStatus().isOk();

            expectRefused(List.of("proposed"), List.of(2, 5), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        }
    }

    private ReassignmentProposal propose(List<String> topics, List<Integer> nodeIds) {
        return api().post(CoordinatorPaths.REASSIGNMENT_PROPOSAL, new ReassignmentProposal.Request(topics, nodeIds))
                .expectStatus().isOk().expectBody(ReassignmentProposal.class).returnResult().getResponseBody();
    }

    private void expectRefused(List<String> topics, List<Integer> nodeIds, ErrorCode code) {
        CoordinatorApi.expectProblem(api().post(CoordinatorPaths.REASSIGNMENT_PROPOSAL,
                new ReassignmentProposal.Request(topics, nodeIds)), code);
    }
}
