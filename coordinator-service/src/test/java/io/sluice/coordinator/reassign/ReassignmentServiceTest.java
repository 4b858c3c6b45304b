package io.sluice.coordinator.reassign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.coordinator.store.MetadataChange;
import io.sluice.coordinator.store.MetadataStore;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.ReassignmentListing;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Partition moves through the coordinator's HTTP API and its command sequence, on a real Redis: started, advanced by
 * the leader's ISR expansion to a leadership move and a completion, cancelled, refused per partition, and resumed by
 * a coordinator that loads a move from Redis.
 *
 * <p>Set-up: nodes 1, 2 and 3 alive when the topics are created (so they hold every replica), node 4 started after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReassignmentServiceTest extends CoordinatorTestSupport {

    @Autowired
    private MetadataStore store;
    @Autowired
    private MetadataManager metadata;
    @Autowired
    private CoordinatorLease lease;

    private TestNodes nodes;

    @BeforeAll
    void fourNodes() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
        api().awaitOnlyLive(1, 2, 3);
        api().createTopic("moved", 1, 3);
        api().createTopic("cancelled", 1, 3);
        api().createTopic("refused", 1, 3);
        api().createTopic("resumed", 1, 3);
        api().createTopic("shrunk", 1, 3);
        nodes.start(4);
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    void whenTheNewReplicaJoinsTheIsrShouldMoveLeadershipThenDropTheLeavingLeader() {
        PartitionState before = api().topic("moved").partition(0);
        List<Integer> target = replacingLeaderWith4(before);

        AlterReassignmentsResponse answer = alter(new AlterReassignmentsRequest.Target("moved", 0, target));

        assertThat(answer.partitions()).containsExactly(new AlterReassignmentsResponse.Result("moved", 0, null, null));
        PartitionState moving = api().topic("moved").partition(0);
        assertThat(moving.replicas()).startsWith(target.toArray(Integer[]::new)).contains(before.leader());
        assertThat(moving.addingReplicas()).containsExactly(4);
        assertThat(moving.removingReplicas()).containsExactly(before.leader());
        assertThat(moving.leader()).isEqualTo(before.leader());
        assertThat(list()).contains(new ReassignmentListing.Ongoing("moved", 0, moving.replicas(), List.of(4),
                List.of(before.leader())));

        List<Integer> isr = new ArrayList<>(moving.isr());
        isr.add(4);
        api().alterPartition("moved", 0, moving.leader(), moving.leaderEpoch(), moving.partitionEpoch(), isr,
                Map.of(4, nodes.incarnation(4))).expectStatus().isOk();

        PartitionState done = awaitState("moved", s -> !s.isReassigning());
        assertThat(done.replicas()).isEqualTo(target);
        assertThat(done.isr()).isEqualTo(target);
        assertThat(done.leader()).as("the first in-sync target replica").isEqualTo(4);
        assertThat(done.leaderEpoch()).as("a leader move, then the removal").isEqualTo(moving.leaderEpoch() + 2);
        assertThat(list()).noneMatch(o -> o.topic().equals("moved"));
    }

    @Test
    void whenEveryTargetReplicaIsAlreadyInSyncShouldCompleteBeforeAnswering() {
        PartitionState before = api().topic("shrunk").partition(0);
        List<Integer> target = before.replicas().stream().filter(r -> r != before.leader()).toList();

        alter(new AlterReassignmentsRequest.Target("shrunk", 0, target));

        PartitionState after = api().topic("shrunk").partition(0);
        assertThat(after.isReassigning()).isFalse();
        assertThat(after.replicas()).isEqualTo(target);
        assertThat(after.isr()).isEqualTo(target);
        assertThat(after.leader()).isEqualTo(target.getFirst());
        assertThat(after.leaderEpoch()).as("a leader move, then the removal").isEqualTo(before.leaderEpoch() + 2);
        assertThat(api().topic("shrunk").replicationFactor()).as("its only partition now has two replicas")
                .isEqualTo(2);
    }

    @Test
    void whenCancelledShouldGoBackToTheOriginalReplicasAndASecondCancelShouldFindNoMove() {
        PartitionState before = api().topic("cancelled").partition(0);
        alter(new AlterReassignmentsRequest.Target("cancelled", 0, replacingLeaderWith4(before)));

        AlterReassignmentsResponse answer = alter(AlterReassignmentsRequest.Target.cancel("cancelled", 0));

        assertThat(answer.partitions().getFirst().errorCode()).isNull();
        PartitionState after = api().topic("cancelled").partition(0);
        // The original set, in the order the move kept it (the target's survivors first), as Kafka's revert does.
        assertThat(after.replicas()).containsExactlyInAnyOrderElementsOf(before.replicas());
        assertThat(after.isr()).containsExactlyInAnyOrderElementsOf(before.isr());
        assertThat(after.leader()).isEqualTo(before.leader());
        assertThat(after.isReassigning()).isFalse();
        assertThat(alter(AlterReassignmentsRequest.Target.cancel("cancelled", 0)).partitions().getFirst().errorCode())
                .isEqualTo(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
    }

    @Test
    void whenSomePartitionsOfARequestAreInvalidShouldRefuseThoseAndChangeNothingForThem() {
        PartitionState before = api().topic("refused").partition(0);

        AlterReassignmentsResponse answer = alter(
                new AlterReassignmentsRequest.Target("no-such-topic", 0, List.of(1, 2)),
                new AlterReassignmentsRequest.Target("refused", 7, List.of(1, 2)),
                new AlterReassignmentsRequest.Target("refused", 0, List.of(1, 99)),
                new AlterReassignmentsRequest.Target("refused", 0, List.of(1, 1)),
                new AlterReassignmentsRequest.Target("refused", 0, List.of()));

        assertThat(answer.partitions()).extracting(AlterReassignmentsResponse.Result::errorCode).containsExactly(
                ErrorCode.UNKNOWN_TOPIC, ErrorCode.UNKNOWN_PARTITION, ErrorCode.INVALID_REPLICA_ASSIGNMENT,
                ErrorCode.INVALID_REPLICA_ASSIGNMENT, ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        assertThat(answer.partitions()).allSatisfy(r -> assertThat(r.message()).isNotBlank());
        assertThat(api().topic("refused").partition(0)).isEqualTo(before);
    }

    @Test
    void whenACoordinatorLoadsAMoveReadyToCompleteFromRedisShouldCompleteIt() {
        // As if the coordinator that stored the ISR expansion died before it took the step that expansion allowed.
        TopicMetadata topic = api().topic("resumed");
        PartitionState before = topic.partition(0);
        List<Integer> target = replacingLeaderWith4(before);
        List<Integer> replicas = new ArrayList<>(target);
        replicas.add(before.leader());
        PartitionState ready = before.withAssignment(replicas, List.of(4), List.of(before.leader()), before.leader(),
                replicas, false);
        store.write(lease.fencingToken(), MetadataChange.ofTopic(MetadataChange.TopicWrite.update(
                topic.withPartition(ready), MetadataStore.partitionEpochs(topic)))).block(Duration.ofSeconds(30));

        metadata.activate(metadata.view().metadata().coordinator()).block(Duration.ofSeconds(30));

        PartitionState done = awaitState("resumed", s -> !s.isReassigning());
        assertThat(done.replicas()).isEqualTo(target);
        assertThat(done.leader()).isEqualTo(4);
    }

    /** The partition's replicas with its leader replaced by node 4, in front. */
    private static List<Integer> replacingLeaderWith4(PartitionState state) {
        List<Integer> target = new ArrayList<>();
        target.add(4);
        state.replicas().stream().filter(r -> r != state.leader()).forEach(target::add);
        return target;
    }

    private AlterReassignmentsResponse alter(AlterReassignmentsRequest.Target... targets) {
        return api().post(CoordinatorPaths.REASSIGNMENTS, new AlterReassignmentsRequest(List.of(targets)))
                .expectStatus().isOk()
                .expectBody(AlterReassignmentsResponse.class).returnResult().getResponseBody();
    }

    private List<ReassignmentListing.Ongoing> list() {
        return api().web().get().uri(CoordinatorPaths.REASSIGNMENTS).exchange()
                .expectStatus().isOk()
                .expectBody(ReassignmentListing.class).returnResult().getResponseBody().partitions();
    }

    private PartitionState awaitState(String topic, Predicate<PartitionState> condition) {
        PartitionState[] seen = new PartitionState[1];
        await(topic + "-0 to reach the expected state").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> condition.test(seen[0] = api().topic(topic).partition(0)));
        return seen[0];
    }
}
