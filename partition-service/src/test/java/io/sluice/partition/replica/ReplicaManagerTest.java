package io.sluice.partition.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * Metadata only moves a replica forward, and only an explicit deletion deletes its data — a topic deleted, or a
 * partition move that ends without this node, seen in the very next version: what a node does when the coordinator's
 * view goes back (a stale coordinator, a Redis that lost writes) or a replica vanishes from it.
 */
class ReplicaManagerTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final List<NodeInfo> NODES = List.of(node(1), node(2), node(3));

    @TempDir
    Path dataDir;
    LogManager logs;
    RecordingFetchers fetchers = new RecordingFetchers();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ReplicaManager replicas;

    @BeforeEach
    void open() throws IOException {
        logs = LogManager.open(dataDir, tp -> LogConfig.defaults(), Clock.systemUTC(), Runnable::run);
        replicas = new ReplicaManager(logs, null, fetchers, TestPartitionProperties.of(1, dataDir), Clock.systemUTC(), meters,
                Schedulers.immediate());
    }

    @AfterEach
    void close() throws IOException {
        logs.close();
    }

    @Test
    void aStateWithAnOlderLeaderEpochIsRefusedAndTheReplicaKeepsLeading() {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 5, 7))));

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 2, List.of(2, 3), 3, 9))));

        Partition partition = replicas.partition(TP).orElseThrow();
        assertThat(partition.role()).isEqualTo(Role.LEADER);
        assertThat(partition.leaderEpoch()).isEqualTo(5);
        assertThat(fetchers.added).isEmpty();
        assertThat(meters.counter("sluice.partition.metadata.epoch.regressions").count()).isEqualTo(1);
    }

    /**
     * A node without remote storage cannot copy, so it must not hold back retention for copies that never come: it
     * keeps a tiered topic's log as an untiered one, deleted by {@code retention.*}.
     */
    @Test
    void withoutRemoteStorageATieredTopicsLogIsKeptAsAnUntieredOne() {
        PartitionState state = new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 5, 7);
        replicas.applyMetadata(view(10, new TopicMetadata(TP.topic(), "id-1", 3, Map.of("remote.storage.enable",
                "true", "local.retention.ms", "1000", "retention.ms", "60000"), List.of(state))));

        LogConfig config = replicas.partition(TP).orElseThrow().log().config();
        assertThat(config.tiered().remoteStorageEnable()).isFalse();
        assertThat(config.retentionMs()).isEqualTo(60_000);
    }

    @Test
    void anotherLeaderInTheSameEpochIsRefused() {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 2, List.of(1, 2, 3), 5, 7))));
        assertThat(fetchers.added).containsExactly(TP);

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 5, 8))));

        assertThat(replicas.partition(TP).orElseThrow().role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aNewerLeaderEpochIsTakenUp() {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 1, List.of(1, 2, 3), 5, 7))));

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 2, List.of(2, 3), 6, 8))));

        assertThat(replicas.partition(TP).orElseThrow().role()).isEqualTo(Role.FOLLOWER);
        assertThat(fetchers.added).containsExactly(TP);
    }

    @Test
    void aProduceNamingALeaderEpochForATopicThisNodeHasNotSeenYetIsToldToRetry() {
        replicas.applyMetadata(view(10));

        assertThatThrownBy(() -> replicas.leaderPartition(TP, 2)).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_LEADER_EPOCH));
        assertThatThrownBy(() -> replicas.leaderPartition(TP, PartitionBatches.ANY_EPOCH))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_TOPIC));
    }

    @Test
    void aReplicaMissingFromASnapshotThatSkippedVersionsIsSetAsideWithItsData() throws IOException {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 5, 7))));
        replicas.partition(TP).orElseThrow().appendAsLeader(batch("kept"), 5, false);

        replicas.applyMetadata(view(14));

        assertThat(replicas.partition(TP)).isEmpty();
        assertThat(logs.log(TP)).isEmpty();
        List<Path> strays = directories().filter(d -> d.getFileName().toString().endsWith("-stray")).toList();
        assertThat(strays).hasSize(1);
        assertThat(strays.getFirst().getFileName().toString()).startsWith("orders-0.");
        try (Stream<Path> files = Files.list(strays.getFirst())) {
            assertThat(files.filter(f -> f.toString().endsWith(".log")).mapToLong(ReplicaManagerTest::size).sum())
                    .isPositive();
        }
    }

    @Test
    void aTopicDeletedInTheNextVersionIsDeleted() {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 5, 7))));

        replicas.applyMetadata(view(11));

        assertThat(replicas.partition(TP)).isEmpty();
        assertThat(directories()).isEmpty();
    }

    @Test
    void aTopicCreatedAgainUnderTheSameNameReplacesTheOldData() {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 5, 7))));
        replicas.partition(TP).orElseThrow().appendAsLeader(batch("old"), 5, false);

        replicas.applyMetadata(view(20, topic("id-2", new PartitionState(0, List.of(1, 2, 3), 1, List.of(1), 0, 0))));

        Partition partition = replicas.partition(TP).orElseThrow();
        assertThat(partition.topicId()).isEqualTo("id-2");
        assertThat(partition.log().logEndOffset()).isZero();
        assertThat(directories().map(d -> d.getFileName().toString())).containsExactly("orders-0");
    }

    /** Node 1 being removed: [1, 2, 3] moving to [2, 3], led by 2. */
    private static final PartitionState LEAVING = new PartitionState(0, List.of(2, 3, 1), 2, List.of(2, 3, 1), 5, 7,
            List.of(), List.of(1));

    @Test
    void whenTheNextVersionCompletesAMoveWithoutThisNodeShouldDeleteItsReplica() {
        replicas.applyMetadata(view(10, topic("id-1", LEAVING)));
        assertThat(replicas.partition(TP).orElseThrow().role()).isEqualTo(Role.FOLLOWER);

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(2, 3), 2, List.of(2, 3), 6, 8))));

        assertThat(replicas.partition(TP)).isEmpty();
        assertThat(fetchers.added).isEmpty();
        assertThat(logs.log(TP)).isEmpty();
        assertThat(directories()).isEmpty();
    }

    @Test
    void whenTheNextVersionCancelsAMoveThatWasAddingThisNodeShouldDeleteItsReplica() {
        // [2, 3] moving to [2, 3, 1]; the cancel takes node 1 off again.
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(2, 3, 1), 2, List.of(2, 3), 5, 7,
                List.of(1), List.of()))));

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(2, 3), 2, List.of(2, 3), 6, 8))));

        assertThat(replicas.partition(TP)).isEmpty();
        assertThat(directories()).isEmpty();
    }

    @Test
    void whenAMoveEndsInAViewThatSkippedVersionsShouldSetTheReplicaAsideNotDeleteIt() {
        replicas.applyMetadata(view(10, topic("id-1", LEAVING)));

        replicas.applyMetadata(view(12, topic("id-1", new PartitionState(0, List.of(2, 3), 2, List.of(2, 3), 6, 9))));

        assertThat(replicas.partition(TP)).isEmpty();
        assertThat(directories().map(d -> d.getFileName().toString()))
                .singleElement().asString().startsWith("orders-0.").endsWith("-stray");
    }

    @Test
    void whenTheNextVersionDropsThisNodeAtAnOlderLeaderEpochShouldSetTheReplicaAsideNotDeleteIt() {
        replicas.applyMetadata(view(10, topic("id-1", LEAVING)));

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(2, 3), 2, List.of(2, 3), 4, 8))));

        assertThat(directories().map(d -> d.getFileName().toString()))
                .singleElement().asString().endsWith("-stray");
    }

    @Test
    void whenTheReplicaListDropsThisNodeWithoutAMoveShouldSetTheReplicaAsideNotDeleteIt() {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(2, 3, 1), 2, List.of(2, 3, 1), 5, 7))));

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(2, 3), 2, List.of(2, 3), 6, 8))));

        assertThat(directories().map(d -> d.getFileName().toString()))
                .singleElement().asString().endsWith("-stray");
    }

    @Test
    void whenAMoveAddsThisNodeShouldFollowTheLeaderFromAnEmptyLog() {
        replicas.applyMetadata(view(10, topic("id-1", new PartitionState(0, List.of(2, 3), 2, List.of(2, 3), 5, 7))));
        assertThat(replicas.partition(TP)).isEmpty();

        replicas.applyMetadata(view(11, topic("id-1", new PartitionState(0, List.of(2, 3, 1), 2, List.of(2, 3), 5, 8,
                List.of(1), List.of()))));

        Partition partition = replicas.partition(TP).orElseThrow();
        assertThat(partition.role()).isEqualTo(Role.FOLLOWER);
        assertThat(partition.log().logEndOffset()).isZero();
        assertThat(fetchers.added).containsExactly(TP);
    }

    @Test
    void aLogOnDiskThatTheFirstCompleteViewDoesNotAssignIsSetAside() throws IOException {
        logs.getOrCreateLog(new TopicPartition("gone", 3), LogConfig.defaults());

        replicas.applyMetadata(view(10));
        replicas.setAsideStrayLogs();

        assertThat(logs.logs()).isEmpty();
        assertThat(directories().map(d -> d.getFileName().toString()))
                .singleElement().asString().startsWith("gone-3.").endsWith("-stray");
    }

    @Test
    void aFollowerIsLiveForTheIsrOnlyUnderTheIncarnationTheMetadataShowsAlive() {
        MetadataView view = new MetadataView(new ClusterMetadata(10, null, List.of(
                new NodeInfo(2, "http://127.0.0.1:9002", null, NodeStatus.ALIVE, "second"),
                new NodeInfo(3, "http://127.0.0.1:9003", null, NodeStatus.DEAD, "first")), List.of()));
        Partition.LiveReplicas live = ReplicaManager.liveReplicas(view);

        assertThat(live.isAlive(2, "second")).isTrue();
        assertThat(live.isAlive(2, "first")).as("a fetch from the process before the restart").isFalse();
        assertThat(live.isAlive(2, null)).as("not heard from").isFalse();
        assertThat(live.isAlive(3, "first")).as("dead").isFalse();
        assertThat(live.isAlive(4, "first")).as("unknown to the metadata").isFalse();
    }

    private Stream<Path> directories() {
        try (Stream<Path> list = Files.list(dataDir)) {
            return list.filter(Files::isDirectory).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MetadataView view(long version, TopicMetadata... topics) {
        return new MetadataView(new ClusterMetadata(version, null, NODES, List.of(topics)));
    }

    private static TopicMetadata topic(String id, PartitionState state) {
        return new TopicMetadata(TP.topic(), id, state.replicas().size(), Map.of(), List.of(state));
    }

    private static NodeInfo node(int id) {
        return new NodeInfo(id, "http://127.0.0.1:" + (9000 + id), null, NodeStatus.ALIVE);
    }

    private static java.nio.ByteBuffer batch(String value) {
        return RecordBatchBuilder.of(CompressionType.NONE)
                .append(1_000, null, value.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** Records which partitions replication was told to follow. */
    private static final class RecordingFetchers implements FollowerFetching {
        final List<TopicPartition> added = new ArrayList<>();

        @Override
        public void addPartition(Partition partition, NodeInfo leader) {
            added.add(partition.topicPartition());
        }

        @Override
        public void removePartition(TopicPartition tp) {
            added.remove(tp);
        }
    }
}
