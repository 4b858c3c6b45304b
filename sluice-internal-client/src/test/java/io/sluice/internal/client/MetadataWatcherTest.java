package io.sluice.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.coordinator.AddPartitionsRequest;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.ElectLeadersRequest;
import io.sluice.internal.coordinator.ElectLeadersResponse;
import io.sluice.internal.coordinator.ReassignmentListing;
import io.sluice.internal.coordinator.ReassignmentProposal;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.coordinator.CoordinatorStatus;
import io.sluice.internal.coordinator.CreateTopicRequest;
import io.sluice.internal.coordinator.DecommissionListing;
import io.sluice.internal.coordinator.ElectionResult;
import io.sluice.internal.coordinator.RegisterRequest;
import io.sluice.internal.coordinator.RegisterResponse;
import io.sluice.internal.coordinator.ShutdownResponse;
import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.OffsetResetResponse;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataDelta;
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The metadata a process follows only moves forward, whatever a coordinator answers. */
class MetadataWatcherTest {

    @Test
    void whenACoordinatorAnswersAnOlderSnapshotTheViewStaysAndTheRefusalIsCounted() {
        ScriptedCoordinator coordinator = new ScriptedCoordinator(
                MetadataUpdate.ofSnapshot(snapshot(5, "orders")),
                // A coordinator whose Redis came back empty: an older, smaller world.
                MetadataUpdate.ofSnapshot(snapshot(3)),
                MetadataUpdate.ofDeltas(6, List.of(new MetadataDelta(6, List.of(), List.of(topic("payments")),
                        List.of()))));
        List<Long> published = new CopyOnWriteArrayList<>();
        MetadataWatcher watcher = new MetadataWatcher(coordinator, Duration.ofSeconds(1), Duration.ofMillis(10));
        watcher.addListener(view -> published.add(view.version()));
        try {
            watcher.start();

            assertThat(watcher.awaitVersion(6, Duration.ofSeconds(10)).block().version()).isEqualTo(6);
        } finally {
            watcher.close();
        }

        assertThat(published).containsExactly(5L, 6L);
        assertThat(watcher.refusedRegressions()).isEqualTo(1);
        assertThat(watcher.current().topic("orders")).as("the topic the empty snapshot lacked").isPresent();
        assertThat(coordinator.asked).startsWith(0L, 5L, 5L);
    }

    @Test
    void aWaiterIsSignalledOffTheWatchersThreadSoWhatItDoesNextCannotHoldUpTheMetadata() {
        ScriptedCoordinator coordinator = new ScriptedCoordinator(MetadataUpdate.ofSnapshot(snapshot(5, "orders")));
        MetadataWatcher watcher = new MetadataWatcher(coordinator, Duration.ofSeconds(1));
        try {
            // Waiting before the version exists, as a fetch rerouted after NOT_LEADER does.
            Mono<String> signalledOn = watcher.awaitVersion(5, Duration.ofSeconds(10))
                    .map(view -> Thread.currentThread().getName()).cache();
            signalledOn.subscribe();
            watcher.start();

            assertThat(signalledOn.block(Duration.ofSeconds(10))).doesNotStartWith("metadata-watcher");
        } finally {
            watcher.close();
        }
    }

    /**
     * The wait after a failed poll grows only while polls keep failing: one that follows an answered poll waits the
     * first back-off (100 ms, give or take half) again. Eight failures, each after an answer; counted over the
     * watcher's life they would have grown the wait past 800 ms from the fifth on.
     */
    @Test
    void aFailedPollAfterAnAnsweredOneWaitsTheFirstBackOffAgain() {
        List<Object> script = new ArrayList<>();
        for (int version = 1; version <= 8; version++) {
            script.add(new IllegalStateException("coordinator unreachable"));
            script.add(MetadataUpdate.ofSnapshot(snapshot(version)));
        }
        ScriptedCoordinator coordinator = new ScriptedCoordinator(script.toArray());
        MetadataWatcher watcher = new MetadataWatcher(coordinator, Duration.ofSeconds(1));
        try {
            watcher.start();

            assertThat(watcher.awaitVersion(8, Duration.ofSeconds(30)).block().version()).isEqualTo(8);
        } finally {
            watcher.close();
        }

        List<Long> waitsAfterFailures = new ArrayList<>();
        for (int failed = 0; failed < 16; failed += 2) {
            waitsAfterFailures.add(Duration.ofNanos(coordinator.askedAtNanos.get(failed + 1)
                    - coordinator.askedAtNanos.get(failed)).toMillis());
        }
        assertThat(waitsAfterFailures).as("ms from each failed poll to the next").allSatisfy(wait ->
                assertThat(wait).isLessThan(600));
    }

    private static ClusterMetadata snapshot(long version, String... topics) {
        return new ClusterMetadata(version, null, List.of(),
                java.util.Arrays.stream(topics).map(MetadataWatcherTest::topic).toList());
    }

    private static TopicMetadata topic(String name) {
        return new TopicMetadata(name, name + "-id", 1, Map.of(),
                List.of(new PartitionState(0, List.of(1), 1, List.of(1), 0, 0)));
    }

    /** Answers metadata polls from a script, then never again; records the versions it was asked from. */
    private static final class ScriptedCoordinator implements CoordinatorApi {

        /** Each poll's answer: an update, or an exception the poll fails with. */
        private final ConcurrentLinkedQueue<Object> script;
        final List<Long> asked = new CopyOnWriteArrayList<>();
        final List<Long> askedAtNanos = new CopyOnWriteArrayList<>();

        ScriptedCoordinator(Object... answers) {
            this.script = new ConcurrentLinkedQueue<>(List.of(answers));
        }

        @Override
        public Mono<MetadataUpdate> metadataSince(long version, Duration wait) {
            asked.add(version);
            askedAtNanos.add(System.nanoTime());
            Object next = script.poll();
            if (next instanceof RuntimeException failure) {
                return Mono.error(failure);
            }
            return next == null ? Mono.never() : Mono.just((MetadataUpdate) next);
        }

        @Override
        public Mono<CoordinatorStatus> status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RegisterResponse> register(RegisterRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> heartbeat(int nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<ShutdownResponse> shutdown(int nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> reportUnreachable(int nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> reportOfflineReplicas(int nodeId, io.sluice.internal.coordinator.OfflineReplicasRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<List<NodeInfo>> nodes() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<List<TopicMetadata>> topics() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<TopicMetadata> createTopic(CreateTopicRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<TopicMetadata> describeTopic(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<TopicMetadata> alterConfigs(String name, AlterConfigsRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<TopicMetadata> addPartitions(String name, AddPartitionsRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> deleteTopic(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<PartitionState> alterPartition(TopicPartition tp, AlterPartitionRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<AlterReassignmentsResponse> alterReassignments(AlterReassignmentsRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<ReassignmentListing> listReassignments() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<ReassignmentProposal> proposeReassignment(ReassignmentProposal.Request request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<DecommissionListing.Progress> decommission(int nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> cancelDecommission(int nodeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<NodeInfo> setMoveThrottle(int nodeId, Long bytesPerSecond) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<DecommissionListing> decommissions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<ElectLeadersResponse> electLeaders(ElectLeadersRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<ElectionResult> electPreferredLeaders(String topicOrNull) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<GroupHeartbeatResponse> groupHeartbeat(String groupId, GroupHeartbeatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<StreamsHeartbeatResponse> streamsGroupHeartbeat(String groupId, StreamsHeartbeatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> updateStreamsTopologyDescription(String groupId, StreamsTopologyDescriptionUpdate update) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<StreamsGroupDescription> describeStreamsGroup(String groupId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<GroupOffsets> commitOffsets(String groupId, OffsetCommitRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<GroupOffsets> committedOffsets(String groupId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<List<GroupListing>> groups() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<GroupDescription> describeGroup(String groupId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> deleteGroup(String groupId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<Void> deleteGroupOffsets(String groupId, String topic, List<Integer> partitions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<OffsetResetResponse> resetOffsets(String groupId, OffsetResetRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
