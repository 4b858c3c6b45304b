package io.sluice.coordinator.group;

import static io.sluice.coordinator.group.StreamsTestTopology.CHANGELOG;
import static io.sluice.coordinator.group.StreamsTestTopology.LIMITS;
import static io.sluice.coordinator.group.StreamsTestTopology.REPARTITION;
import static io.sluice.coordinator.group.StreamsTestTopology.SOURCE;
import static io.sluice.coordinator.group.StreamsTestTopology.TOPOLOGY;
import static io.sluice.coordinator.group.StreamsTestTopology.heartbeat;
import static io.sluice.coordinator.group.StreamsTestTopology.join;
import static io.sluice.coordinator.group.StreamsTestTopology.tasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupState;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsStatus;
import io.sluice.internal.streams.StreamsTopologyDescription;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.internal.streams.StreamsTopology;
import io.sluice.internal.streams.StreamsTopology.InternalTopic;
import io.sluice.internal.streams.TaskOffset;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A streams group's rules (KIP-1071) decision by decision: topology checks, internal topics, assignment and hand-over
 * of tasks, commits by the owner of the task, shutdown, and the line between streams and consumer groups.
 */
class StreamsGroupTest {

    private static final StreamsSettings SETTINGS = new StreamsSettings(45_000, 5_000, 0, 60_000, 10_000);

    private ConsumerGroup group;
    private MetadataView view = StreamsTestTopology.view(Map.of(SOURCE, 4));

    private StreamsRules.Outcome send(StreamsHeartbeatRequest request) {
        return send(request, SETTINGS);
    }

    private StreamsRules.Outcome send(StreamsHeartbeatRequest request, StreamsSettings settings) {
        GroupDecision<StreamsRules.Outcome> decision = StreamsRules.heartbeat(group, "app", request, view, settings,
                LIMITS);
        group = decision.after();
        return decision.result();
    }

    private void createInternalTopics() {
        view = StreamsTestTopology.view(Map.of(SOURCE, 4, REPARTITION, 4, CHANGELOG, 4));
    }

    @Test
    void aGroupWhoseInternalTopicsAreMissingAssignsNothingAndListsThemToCreateWithTheirPartitionCounts() {
        StreamsRules.Outcome joined = send(join("a", "process-1"));

        assertThat(joined.response().statuses()).extracting(StreamsStatus::code)
                .containsExactly(StreamsStatus.Code.MISSING_INTERNAL_TOPICS);
        assertThat(tasks(joined.response()).isEmpty()).isTrue();
        // The repartition topic takes its writer's task count (the source's 4 partitions); the changelog its
        // subtopology's, which reads the repartition topic.
        assertThat(joined.missingInternalTopics()).containsExactlyInAnyOrder(
                new InternalTopic(REPARTITION, 4, 0, Map.of("cleanup.policy", "delete")),
                new InternalTopic(CHANGELOG, 4, 0, Map.of("cleanup.policy", "compact")));
    }

    /**
     * KIP-1331: members are asked for the topology's description until one is stored for its epoch; a description of
     * another epoch, from a member not in the group, or for a group that is no streams group changes nothing.
     */
    @Test
    void aTopologyDescriptionIsAskedForUntilAMemberSendsOneOfTheTopologysEpoch() {
        createInternalTopics();
        StreamsHeartbeatResponse joined = send(join("a", "process-1")).response();
        assertThat(joined.topologyDescriptionRequired()).isTrue();
        assertThat(StreamsRules.describe(group, view).description()).isNull();
        StreamsTopologyDescription description = new StreamsTopologyDescription(TOPOLOGY.epoch(), List.of(
                new StreamsTopologyDescription.Subtopology("0", List.of(new StreamsTopologyDescription.Node(
                        "KSTREAM-SOURCE-0000000000", 1, List.of(SOURCE), null, List.of(), List.of())))), List.of());

        ConsumerGroupTest.assertRefused(() -> StreamsRules.describeTopology(group, "app",
                new StreamsTopologyDescriptionUpdate("z", description)), ErrorCode.UNKNOWN_MEMBER);
        ConsumerGroupTest.assertRefused(() -> StreamsRules.describeTopology(group, "app",
                new StreamsTopologyDescriptionUpdate("a", new StreamsTopologyDescription(TOPOLOGY.epoch() + 1,
                        List.of(), List.of()))), ErrorCode.INVALID_REQUEST);
        ConsumerGroupTest.assertRefused(() -> StreamsRules.describeTopology(ConsumerGroup.empty("plain"), "plain",
                new StreamsTopologyDescriptionUpdate("a", description)), ErrorCode.UNKNOWN_GROUP);
        group = StreamsRules.describeTopology(group, "app", new StreamsTopologyDescriptionUpdate("a", description))
                .after();

        assertThat(send(heartbeat("a", joined.memberEpoch(), tasks(joined))).response()
                .topologyDescriptionRequired()).isFalse();
        assertThat(StreamsRules.describe(group, view).description()).isEqualTo(description);
    }

    @Test
    void aMissingSourceTopicIsReportedAndNoInternalTopicIsCreatedForIt() {
        view = StreamsTestTopology.view(Map.of());

        StreamsRules.Outcome joined = send(join("a", "process-1"));

        assertThat(joined.response().statuses()).extracting(StreamsStatus::code)
                .containsExactly(StreamsStatus.Code.MISSING_SOURCE_TOPICS);
        assertThat(joined.response().statuses().getFirst().detail()).contains(SOURCE);
        assertThat(joined.missingInternalTopics()).isEmpty();
        assertThat(StreamsRules.state(group, view)).as("as ListGroups and describes show it")
                .isEqualTo(GroupState.NOT_READY);
        assertThat(StreamsRules.describe(group, view).state()).isEqualTo("NotReady");

        createInternalTopics();
        assertThat(StreamsRules.state(group, view)).as("once the topics are there").isNotEqualTo(GroupState.NOT_READY);
    }

    @Test
    void anInternalTopicWithTheWrongPartitionCountIsIncorrectlyPartitioned() {
        view = StreamsTestTopology.view(Map.of(SOURCE, 4, REPARTITION, 4, CHANGELOG, 2));

        StreamsRules.Outcome joined = send(join("a", "process-1"));

        assertThat(joined.response().statuses()).extracting(StreamsStatus::code)
                .containsExactly(StreamsStatus.Code.INCORRECTLY_PARTITIONED_TOPICS);
        assertThat(joined.response().statuses().getFirst().detail())
                .contains(CHANGELOG + " (has 2 partitions, needs 4)");
    }

    @Test
    void onceTheTopicsExistTheOneMemberGetsEveryTask() {
        send(join("a", "process-1"));
        createInternalTopics();

        StreamsHeartbeatResponse answer = send(heartbeat("a", group.members().get("a").memberEpoch(), null))
                .response();

        assertThat(answer.statuses()).isEmpty();
        assertThat(tasks(answer).active()).hasSize(8);
        assertThat(answer.memberEpoch()).isEqualTo(group.groupEpoch());
    }

    @Test
    void aSecondInstanceGetsHalfTheTasksOnlyAfterTheFirstHasGivenThemUp() {
        createInternalTopics();
        StreamsHeartbeatResponse first = send(join("a", "process-1")).response();
        assertThat(tasks(first).active()).hasSize(8);

        StreamsHeartbeatResponse second = send(join("b", "process-2")).response();
        assertThat(tasks(second).active()).as("still the first member's").isEmpty();

        // The first member is asked to give half back, and still holds them.
        StreamsHeartbeatResponse asked = send(heartbeat("a", first.memberEpoch(), tasks(first))).response();
        assertThat(tasks(asked).active()).hasSize(4);
        assertThat(send(heartbeat("b", second.memberEpoch(), Tasks.NONE)).response().activeTasks()).isEmpty();

        // Given up: the second member takes them.
        StreamsHeartbeatResponse released = send(heartbeat("a", asked.memberEpoch(), tasks(asked))).response();
        StreamsHeartbeatResponse taken = send(heartbeat("b", second.memberEpoch(), Tasks.NONE)).response();
        assertThat(tasks(taken).active()).hasSize(4).doesNotContainAnyElementsOf(tasks(released).active());
        assertThat(tasks(taken).active()).as("two tasks of each subtopology")
                .filteredOn(task -> task.subtopology().equals("0")).hasSize(2);
        assertThat(group.state()).isEqualTo(io.sluice.internal.group.GroupState.STABLE);
    }

    /**
     * Only the stateful subtopology's tasks (subtopology 1, with the store's changelog) get standbys: a standby of the
     * stateless one (0) would keep nothing, and Kafka's assignor gives it none either.
     */
    @Test
    void standbyReplicasOfStatefulTasksGoToAnotherInstanceAndNeverBesideTheActiveTask() {
        createInternalTopics();
        StreamsSettings oneStandby = new StreamsSettings(45_000, 5_000, 1, 60_000, 10_000);
        StreamsHeartbeatResponse a = send(join("a", "process-1"), oneStandby).response();
        StreamsHeartbeatResponse b = send(join("b", "process-2"), oneStandby).response();
        for (int round = 0; round < 3; round++) {
            a = send(heartbeat("a", a.memberEpoch(), tasks(a)), oneStandby).response();
            b = send(heartbeat("b", b.memberEpoch(), tasks(b)), oneStandby).response();
        }

        assertThat(tasks(a).active()).hasSize(4);
        assertThat(tasks(a).standby()).isNotEmpty().containsExactlyInAnyOrderElementsOf(stateful(tasks(b).active()));
        assertThat(tasks(b).standby()).isNotEmpty().containsExactlyInAnyOrderElementsOf(stateful(tasks(a).active()));
    }

    /**
     * Members report how far their instance's state of each task has come (TaskOffsets): the last report is kept with
     * the member for its next standby placement; end offsets are checked and not kept; a malformed report is refused
     * and changes nothing.
     */
    @Test
    void reportedTaskOffsetsAreKeptWithTheMemberAndAMalformedReportChangesNothing() {
        createInternalTopics();
        StreamsHeartbeatResponse a = send(join("a", "process-1")).response();
        List<TaskOffset> reported = List.of(new TaskOffset("1", 2, 700L), new TaskOffset("1", 0, 300L));

        send(withOffsets(heartbeat("a", a.memberEpoch(), tasks(a)), reported, List.of(new TaskOffset("1", 0, 900L))));

        assertThat(group.members().get("a").streams().offsets())
                .containsExactly(Map.entry(new TaskId("1", 0), 300L), Map.entry(new TaskId("1", 2), 700L));
        ConsumerGroup before = group;
        int epoch = group.members().get("a").memberEpoch();
        for (List<TaskOffset> bad : List.of(List.of(new TaskOffset("1", -1, 5L)),
                List.of(new TaskOffset("1", 0, 5L), new TaskOffset("1", 0, 6L)),
                Arrays.asList(new TaskOffset(null, 0, 5L)), List.of(new TaskOffset("1", 0, null)))) {
            assertThatThrownBy(() -> send(withOffsets(heartbeat("a", epoch, null), bad, null)))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
            assertThatThrownBy(() -> send(withOffsets(heartbeat("a", epoch, null), null, bad)))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        assertThat(group).isEqualTo(before);
        // A heartbeat without offsets leaves the last report as it was.
        send(heartbeat("a", epoch, null));
        assertThat(group.members().get("a").streams().offsets()).hasSize(2);
    }

    private static StreamsHeartbeatRequest withOffsets(StreamsHeartbeatRequest beat, List<TaskOffset> offsets,
                                                       List<TaskOffset> endOffsets) {
        return new StreamsHeartbeatRequest(beat.memberId(), beat.memberEpoch(), beat.instanceId(), beat.rackId(),
                beat.rebalanceTimeoutMs(), beat.topology(), beat.activeTasks(), beat.standbyTasks(),
                beat.warmupTasks(), beat.processId(), beat.userEndpoint(), beat.clientTags(),
                beat.shutdownApplication(), beat.clientId(), beat.clientHost(), offsets, endOffsets);
    }

    private static List<TaskId> stateful(Set<TaskId> tasks) {
        return tasks.stream().filter(task -> task.subtopology().equals("1")).toList();
    }

    @Test
    void twoThreadsOfOneInstanceShareItsTasksButNeverHoldOneTaskTwiceAndGetNoStandbys() {
        createInternalTopics();
        StreamsSettings oneStandby = new StreamsSettings(45_000, 5_000, 1, 60_000, 10_000);
        StreamsHeartbeatResponse a = send(join("a", "process-1"), oneStandby).response();
        StreamsHeartbeatResponse b = send(join("b", "process-1"), oneStandby).response();
        for (int round = 0; round < 3; round++) {
            a = send(heartbeat("a", a.memberEpoch(), tasks(a)), oneStandby).response();
            b = send(heartbeat("b", b.memberEpoch(), tasks(b)), oneStandby).response();
        }

        assertThat(tasks(a).active()).hasSize(4).doesNotContainAnyElementsOf(tasks(b).active());
        assertThat(tasks(a).standby()).isEmpty();
        assertThat(tasks(b).standby()).isEmpty();
    }

    @Test
    void aMemberCommitsTheOffsetsOfThePartitionsItsActiveTasksReadAndNoOthers() {
        createInternalTopics();
        send(join("a", "process-1"));
        StreamsHeartbeatResponse b = send(join("b", "process-2")).response();
        GroupMember a = group.members().get("a");
        // Settle: a gives back what b is to have, b takes it.
        send(heartbeat("a", a.memberEpoch(), a.streams().assigned()));
        a = group.members().get("a");
        send(heartbeat("a", a.memberEpoch(), a.streams().assigned()));
        b = send(heartbeat("b", b.memberEpoch(), Tasks.NONE)).response();
        a = group.members().get("a");

        // Task (s, p) reads partition p of subtopology s's source: lines for 0, the repartition topic for 1.
        PartitionOffset mine = read(a.streams().assigned().active().first());
        PartitionOffset theirs = read(tasks(b).active().first());
        GroupRules.commit(group, "app", new OffsetCommitRequest("a", a.memberEpoch(), List.of(mine)), view, LIMITS, 0);
        int epoch = a.memberEpoch();
        assertThatThrownBy(() -> GroupRules.commit(group, "app", new OffsetCommitRequest("a", epoch,
                List.of(theirs)), view, LIMITS, 0))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STALE_MEMBER_EPOCH));
    }

    @Test
    void aMemberAskingForShutdownHasEveryMemberToldUntilTheGroupIsEmpty() {
        createInternalTopics();
        StreamsHeartbeatResponse a = send(join("a", "process-1")).response();
        StreamsHeartbeatResponse b = send(join("b", "process-2")).response();

        send(new StreamsHeartbeatRequest("a", a.memberEpoch(), null, null, null, null, null, null, null, null, null,
                null, true, null, null, null, null));
        StreamsHeartbeatResponse told = send(heartbeat("b", b.memberEpoch(), null)).response();

        assertThat(told.statuses()).extracting(StreamsStatus::code).contains(StreamsStatus.Code.SHUTDOWN_APPLICATION);
        send(StreamsTestTopology.leave("a"));
        send(StreamsTestTopology.leave("b"));
        assertThat(send(join("c", "process-3")).response().statuses()).isEmpty();
    }

    @Test
    void aJoinWithAnotherTopologyAtTheSameEpochIsRefusedWhileTheGroupHasMembers() {
        send(join("a", "process-1"));
        StreamsTopology other = new StreamsTopology(0, List.of(new StreamsTopology.Subtopology("0", List.of("other"),
                List.of(), List.of(), List.of(), List.of(), List.of())));

        assertThatThrownBy(() -> send(withTopology(join("b", "process-2"), other)))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STREAMS_INVALID_TOPOLOGY_EPOCH));
        assertThat(group.members()).containsOnlyKeys("a");
    }

    @Test
    void aTopologyNoClusterCanRunIsInvalid() {
        StreamsTopology writesWhatNobodyReads = new StreamsTopology(0, List.of(new StreamsTopology.Subtopology("0",
                List.of(SOURCE), List.of(), List.of(), List.of("nobody-reads-this"), List.of(), List.of())));
        StreamsTopology empty = new StreamsTopology(0, List.of());
        StreamsTopology badRegex = new StreamsTopology(0, List.of(new StreamsTopology.Subtopology("0", List.of(),
                List.of("(unclosed"), List.of(), List.of(), List.of(), List.of())));

        for (StreamsTopology topology : List.of(writesWhatNobodyReads, empty, badRegex)) {
            assertThatThrownBy(() -> send(withTopology(join("a", "process-1"), topology)))
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STREAMS_INVALID_TOPOLOGY));
        }
        assertThat(group).isNull();
    }

    @Test
    void streamsAndConsumerMembersNeverShareAGroup() {
        send(join("a", "process-1"));
        assertThatThrownBy(() -> GroupRules.heartbeat(group, "app", GroupHeartbeatRequest.join("c", List.of(SOURCE)),
                view, LIMITS, () -> "c"))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));

        ConsumerGroup consumers = GroupRules.heartbeat(null, "app", GroupHeartbeatRequest.join("c", List.of(SOURCE)),
                view, LIMITS, () -> "c").after();
        assertThatThrownBy(() -> StreamsRules.heartbeat(consumers, "app", join("a", "process-1"), view, SETTINGS,
                LIMITS)).isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }

    @Test
    void aForcedOffsetResetIsRefusedWhileTheApplicationRuns() {
        send(join("a", "process-1"));

        assertThatThrownBy(() -> GroupRules.reset(group, "app", new OffsetResetRequest(
                List.of(PartitionOffset.of(SOURCE, 0, 0)), true, false), view, LIMITS, 0))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NON_EMPTY_GROUP));
    }

    @Test
    void aSilentMemberRemovedByTheSweepHasItsTasksMovedToTheOthers() {
        createInternalTopics();
        StreamsHeartbeatResponse a = send(join("a", "process-1")).response();
        send(join("b", "process-2"));

        group = GroupRules.sweep(group, Set.of("b"), view, SETTINGS).after();
        StreamsHeartbeatResponse all = send(heartbeat("a", a.memberEpoch(), tasks(a))).response();

        assertThat(tasks(all).active()).hasSize(8);
    }

    @Test
    void aStreamsGroupIsStoredAndReadBackWhole() {
        createInternalTopics();
        StreamsHeartbeatResponse a = send(join("a", "process-1")).response();
        send(join("b", "process-2"));
        send(heartbeat("a", a.memberEpoch(), tasks(a)));
        tools.jackson.databind.json.JsonMapper json = io.sluice.internal.SluiceJson.mapper();

        String stored = json.writeValueAsString(group.document());
        ConsumerGroup read = json.readValue(stored, ConsumerGroup.GroupDocument.class).toGroup(Map.of());

        assertThat(read).isEqualTo(group);
        assertThat(read.members().get("a").streams().pendingRevocation().active()).isNotEmpty();
    }

    @Test
    void aStaticMemberLeavingForARestartKeepsItsTasksAndGetsThemBackUnderANewMemberId() {
        createInternalTopics();
        StreamsHeartbeatResponse first = send(staticJoin("a", "instance-a")).response();
        Tasks held = tasks(first);
        int groupEpoch = group.groupEpoch();

        send(new StreamsHeartbeatRequest("a", StreamsHeartbeatRequest.STATIC_LEAVE, "instance-a", null, null, null,
                null, null, null, null, null, null, false, null, null, null, null));
        send(staticJoin("b", "instance-a"));
        StreamsHeartbeatResponse back = send(heartbeat("b", group.members().get("b").memberEpoch(), held)).response();

        assertThat(group.members()).containsOnlyKeys("b");
        assertThat(tasks(back).active()).containsExactlyElementsOf(held.active());
        assertThat(group.groupEpoch()).as("no rebalance").isEqualTo(groupEpoch);
    }

    @Test
    void onlyAStaticMemberLeavesForARestart() {
        StreamsHeartbeatResponse a = send(join("a", "process-1")).response();

        assertThatThrownBy(() -> send(new StreamsHeartbeatRequest("a", StreamsHeartbeatRequest.STATIC_LEAVE, null,
                null, null, null, null, null, null, null, null, null, false, null, null, null, null)))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThat(group.members().get("a").memberEpoch()).isEqualTo(a.memberEpoch());
    }

    private static StreamsHeartbeatRequest staticJoin(String memberId, String instanceId) {
        StreamsHeartbeatRequest join = join(memberId, "process-" + memberId);
        return new StreamsHeartbeatRequest(memberId, join.memberEpoch(), instanceId, null, join.rebalanceTimeoutMs(),
                join.topology(), join.activeTasks(), join.standbyTasks(), join.warmupTasks(), join.processId(), null,
                join.clientTags(), false, join.clientId(), join.clientHost(), null, null);
    }

    private static PartitionOffset read(TaskId task) {
        return PartitionOffset.of(task.subtopology().equals("0") ? SOURCE : REPARTITION, task.partition(), 10);
    }

    private static StreamsHeartbeatRequest withTopology(StreamsHeartbeatRequest join, StreamsTopology topology) {
        return new StreamsHeartbeatRequest(join.memberId(), join.memberEpoch(), join.instanceId(), join.rackId(),
                join.rebalanceTimeoutMs(), topology, join.activeTasks(), join.standbyTasks(), join.warmupTasks(),
                join.processId(), join.userEndpoint(), join.clientTags(), false, join.clientId(), join.clientHost(),
                null, null);
    }

    static {
        // The shared topology must stay valid for every test above.
        StreamsConfiguration.validate(TOPOLOGY);
    }
}
