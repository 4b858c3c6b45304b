package io.sluice.partition.tiered;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.partition.fetch.PartitionRead;
import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogApi;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.log.PartitionLog;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.TestLogScheduler;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.fetch.FetchService;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replica.TestReplicas;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import io.sluice.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One node's tiered storage on a real S3-compatible server (s3proxy, a process) and real logs: the leader copies its
 * sealed segments with their files, local retention deletes only what is copied, a consumer's fetch below the local
 * log is served from the store (waiting for the segment's fetch, not for the log), ListOffsets answers the whole log's
 * start, the local start and the last tiered offset, and a copy left incomplete is deleted by the next round. The
 * coordinator's record is a map here that keeps the same moves; the coordinator's own store is tested on Redis.
 */
class TieredStorageTest {

    private static final TopicPartition TP = new TopicPartition("history", 0);
    private static final String TOPIC_ID = "id-7";
    private static final String BUCKET = "tiered";

    @TempDir
    static Path serverDir;
    private static S3Server server;

    @TempDir
    Path dataDir;
    private LogManager logs;
    private ReplicaManager replicas;
    private TieredStorage tiered;
    private FetchService fetches;
    private final Scheduler logScheduler = TestLogScheduler.create(2);
    private final RecordedRemoteLogs recorded = new RecordedRemoteLogs();
    /** Each test's own prefix in the bucket. */
    private final String prefix = "test-" + System.nanoTime();
    private PartitionProperties properties;

    @BeforeAll
    static void startStore() throws IOException {
        server = S3Server.start(serverDir);
        Files.createDirectories(server.bucketDirectory(BUCKET));
    }

    @AfterAll
    static void stopStore() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void leadATieredTopic() throws IOException {
        PartitionProperties defaults = TestPartitionProperties.of(1, dataDir);
        properties = new PartitionProperties(1, dataDir, defaults.coordinatorUrls(),
                defaults.advertisedUrl(), null, defaults.replication(), defaults.requests(), defaults.housekeeping(),
                defaults.cleaner(), defaults.metadataWait(), defaults.internalCalls(), defaults.kafka(),
                new PartitionProperties.RemoteStorage(true, server.endpoint(), "us-east-1", BUCKET,
                        prefix, S3Server.ACCESS_KEY, S3Server.SECRET_KEY, true,
                        Duration.ofSeconds(1), DataSize.ofMegabytes(64), Duration.ofSeconds(10)));
        logs = LogManager.open(dataDir, tp -> LogConfig.defaults(), Clock.systemUTC(), Runnable::run);
        replicas = new ReplicaManager(logs, null, TestReplicas.noFetching(), properties, Clock.systemUTC(),
                new SimpleMeterRegistry(), Schedulers.immediate());
        Map<String, String> configs = Map.of("remote.storage.enable", "true", "segment.bytes", "1048576",
                "local.retention.bytes", "1", "retention.ms", "-1");
        replicas.applyMetadata(new MetadataView(new ClusterMetadata(1, null,
                List.of(new NodeInfo(1, "http://127.0.0.1:9001", null, NodeStatus.ALIVE)),
                List.of(new TopicMetadata(TP.topic(), TOPIC_ID, 1, configs,
                        List.of(new PartitionState(0, List.of(1), 1, List.of(1), 3, 1)))))));
        tiered = new TieredStorage(replicas, recorded, S3ObjectStore.create(properties.remoteStorage()), properties,
                Clock.systemUTC(), new SimpleMeterRegistry());
        fetches = new FetchService(replicas, logScheduler, properties, Clock.systemUTC(), new SimpleMeterRegistry(),
                tiered);
    }

    @AfterEach
    void close() throws IOException {
        tiered.close();
        logScheduler.dispose();
        logs.close();
    }

    @Test
    void sealedSegmentsAreCopiedThenDeletedLocallyAndReadBackFromTheStore() throws Exception {
        Partition partition = replicas.partition(TP).orElseThrow();
        PartitionLog log = partition.log();
        List<String> written = write(log, 3000); // 1 KiB records: three sealed segments and an active one
        log.maybeIncrementHighWatermark(log.logEndOffset());
        int sealed = log.segmentCount() - 1;
        assertThat(sealed).isGreaterThanOrEqualTo(2);

        tiered.round();
        RemoteLog remote = recorded.remoteLog(TP).block();
        assertThat(remote.readable()).hasSize(sealed);
        assertThat(remote.readable().getFirst().baseOffset()).isZero();
        assertThat(objects(".log")).isEqualTo(sealed);
        assertThat(objects(".index")).isEqualTo(sealed);
        assertThat(objects(".timeindex")).isEqualTo(sealed);
        assertThat(objects(".aborted")).isEqualTo(sealed);
        assertThat(objects(".epochs")).isEqualTo(sealed);

        // Nothing copied is deleted before the copies are recorded; after, local retention keeps the active segment.
        log.deleteOldSegments();
        assertThat(log.segmentCount()).isEqualTo(1);
        long localStart = log.logStartOffset();
        assertThat(localStart).isEqualTo(remote.copiedEndOffset());

        assertThat(listOffset(ListOffsetsRequest.EARLIEST)).isZero();
        assertThat(listOffset(ListOffsetsRequest.EARLIEST_LOCAL)).isEqualTo(localStart);
        assertThat(listOffset(ListOffsetsRequest.LATEST_TIERED)).isEqualTo(localStart - 1);

        // A consumer reads from 0: the first fetch waits for the segment to come from the store, then each returns
        // batches, segment after segment, into the local log.
        List<String> read = new ArrayList<>();
        long offset = 0;
        while (offset < log.highWatermark()) {
            PartitionRead answer = fetch(offset);
            assertThat(answer.error()).as("at offset %d", offset).isNull();
            assertThat(answer.logStartOffset()).isZero();
            offset = values(answer, offset, read);
        }
        assertThat(read).containsExactlyElementsOf(written);
    }

    @Test
    void deleteRecordsBelowTheLocalLogMakesRemoteRecordsUnreadableAndDeletesTheSegmentsBelow() throws Exception {
        Partition partition = replicas.partition(TP).orElseThrow();
        PartitionLog log = partition.log();
        List<String> written = write(log, 4000);
        log.maybeIncrementHighWatermark(log.logEndOffset());
        tiered.round();
        log.deleteOldSegments();
        RemoteLog copied = recorded.remoteLog(TP).block();
        assertThat(copied.readable()).hasSizeGreaterThanOrEqualTo(3);
        RemoteSegment second = copied.readable().get(1);
        long deleteBelow = second.baseOffset() + 10; // within the second remote segment, below the local log
        assertThat(deleteBelow).isLessThan(log.logStartOffset());
        long objectsBefore = objects(".log");

        // What DeleteRecordsService does at the leader: the remote log start first, then the local log.
        tiered.deleteRecordsBefore(partition, deleteBelow).block(Duration.ofSeconds(10));
        log.deleteRecordsBefore(deleteBelow);

        assertThat(listOffset(ListOffsetsRequest.EARLIEST)).isEqualTo(deleteBelow);
        PartitionRead below = fetch(deleteBelow - 1);
        assertThat(below.error()).isEqualTo(ErrorCode.OFFSET_OUT_OF_RANGE);
        assertThat(below.logStartOffset()).isEqualTo(deleteBelow);
        List<String> read = new ArrayList<>();
        long offset = deleteBelow;
        while (offset < log.highWatermark()) {
            PartitionRead answer = fetch(offset);
            assertThat(answer.error()).as("at offset %d", offset).isNull();
            assertThat(answer.logStartOffset()).isEqualTo(deleteBelow);
            offset = values(answer, offset, read);
        }
        assertThat(read).containsExactlyElementsOf(written.subList((int) deleteBelow, written.size()));

        // The next round deletes the first remote segment, wholly below, and keeps the one holding the new start.
        tiered.round();
        RemoteLog after = recorded.remoteLog(TP).block();
        assertThat(after.logStartOffset()).isEqualTo(deleteBelow);
        assertThat(after.readable()).extracting(RemoteSegment::id)
                .doesNotContain(copied.readable().getFirst().id()).contains(second.id());
        assertThat(objects(".log")).isEqualTo(objectsBefore - 1);
        assertThat(listOffset(ListOffsetsRequest.EARLIEST)).isEqualTo(deleteBelow);
    }

    @Test
    void aCopyLeftIncompleteIsDeletedByTheNextRoundAndCopiedAgain() throws Exception {
        PartitionLog log = replicas.partition(TP).orElseThrow().log();
        write(log, 1500);
        log.maybeIncrementHighWatermark(log.logEndOffset());
        // A leader that died mid-copy: started recorded, the log object never written.
        RemoteSegment stale = new RemoteSegment("0b6f3c1e-0000-4000-8000-000000000001", 0, 10, 1, 100, 2,
                RemoteSegment.State.COPY_STARTED);
        recorded.updateRemoteSegment(TP, stale).block();

        tiered.round();
        RemoteLog remote = recorded.remoteLog(TP).block();
        assertThat(remote.segments()).extracting(RemoteSegment::id).doesNotContain(stale.id());
        assertThat(remote.readable()).isNotEmpty().allMatch(segment -> segment.leaderEpoch() == 3);
        assertThat(remote.readable().getFirst().baseOffset()).isZero();
    }

    @Test
    void whileTheStoreIsDownNothingIsDeletedLocallyAndCopiesResumeWhenItIsBack() throws Exception {
        PartitionLog log = replicas.partition(TP).orElseThrow().log();
        write(log, 2500);
        log.maybeIncrementHighWatermark(log.logEndOffset());
        int segments = log.segmentCount();
        server.kill();
        try {
            tiered.round();
            log.deleteOldSegments();
            assertThat(log.segmentCount()).as("every local segment kept").isEqualTo(segments);
            assertThat(log.logStartOffset()).isZero();
        } finally {
            server.restart();
        }
        tiered.round();
        assertThat(recorded.remoteLog(TP).block().readable()).hasSize(segments - 1);
        log.deleteOldSegments();
        assertThat(log.segmentCount()).isEqualTo(1);
    }

    @Test
    void theObjectsOfADeletedTopicAreDeleted() throws Exception {
        PartitionLog log = replicas.partition(TP).orElseThrow().log();
        write(log, 1500);
        log.maybeIncrementHighWatermark(log.logEndOffset());
        tiered.round();
        assertThat(objects(".log")).isPositive();

        replicas.applyMetadata(new MetadataView(new ClusterMetadata(2, null,
                List.of(new NodeInfo(1, "http://127.0.0.1:9001", null, NodeStatus.ALIVE)), List.of())));
        tiered.round();
        assertThat(objects("")).isZero();
    }

    private PartitionRead fetch(long offset) {
        return fetches.read(new FetchRequest(5_000L, 1, null,
                List.of(new FetchRequest.Partition(TP.topic(), TP.partition(), offset, 256 * 1024))))
                .block(Duration.ofSeconds(30)).getFirst();
    }

    @Test
    void theSweepDeletesTheObjectsOfDeletedTopicsOnlyOnceTheCoordinatorSaysTheyAreGone() throws Exception {
        String deletedId = UUID.randomUUID().toString();
        String recreatedId = UUID.randomUUID().toString();
        String createdId = UUID.randomUUID().toString();
        List<String> keys = List.of("deleted-topic-" + deletedId + "/0/00000000000000000000-a.log",
                "orders-" + recreatedId + "/0/00000000000000000000-b.log",
                "orders-" + createdId + "/1/00000000000000000000-c.log",
                "backups/notes.txt");
        try (ObjectStore bucket = S3ObjectStore.create(properties.remoteStorage())) {
            for (String key : keys) {
                bucket.put(key, key.getBytes(StandardCharsets.UTF_8));
            }
            // "orders" was deleted and created again since this node's metadata: the coordinator knows the new one.
            recorded.topicIds.put("orders", createdId);

            recorded.unavailable = true;
            tiered.sweepDeletedTopics();
            assertThat(bucket.list("")).as("nothing deleted while the coordinator cannot answer")
                    .containsAll(keys);

            recorded.unavailable = false;
            tiered.sweepDeletedTopics();
            assertThat(bucket.list("")).containsExactlyInAnyOrder("backups/notes.txt",
                    "orders-" + createdId + "/1/00000000000000000000-c.log");
        }
    }

    private long listOffset(long timestamp) {
        var answer = fetches.listOffsets(new io.sluice.internal.partition.ListOffsetsRequest(
                List.of(new ListOffsetsRequest.Partition(TP.topic(), TP.partition(), timestamp)))).block();
        assertThat(answer.partitions().getFirst().errorCode()).isNull();
        return answer.partitions().getFirst().offset();
    }

    private long objects(String suffix) throws IOException {
        Path dir = server.bucketDirectory(BUCKET).resolve(prefix);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(suffix)).count();
        }
    }

    private static List<String> write(PartitionLog log, int records) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            String value = "record-" + i + "-" + "x".repeat(1000);
            values.add(value);
            log.appendAsLeader(RecordBatchBuilder.of(CompressionType.NONE)
                    .append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8)).build(), 3);
        }
        return values;
    }

    /** Adds the answer's records from {@code offset} on to {@code into}; answers the next offset to read. */
    private static long values(PartitionRead answer, long offset, List<String> into) throws IOException {
        long next = offset;
        for (RecordBatch batch : BufferBatchIterator.batches(answer.records().load())) {
            for (Record record : batch.records()) {
                if (record.offset() >= offset) {
                    into.add(new String(record.value(), StandardCharsets.UTF_8));
                    next = record.offset() + 1;
                }
            }
        }
        return next;
    }

    /** The coordinator's moves of a remote log, in a map: started, finished, delete started, deleted; epochs fenced. */
    private static final class RecordedRemoteLogs implements RemoteLogApi {

        private final Map<TopicPartition, Map<String, RemoteSegment>> segments = new HashMap<>();
        private final Map<TopicPartition, Long> starts = new HashMap<>();
        /** The topics the coordinator knows, by name: their ids. */
        private final Map<String, String> topicIds = new HashMap<>(Map.of(TP.topic(), TOPIC_ID));
        /** Whether the coordinator answers NOT_ACTIVE_COORDINATOR (a failover). */
        private volatile boolean unavailable;
        private int epoch = -1;

        @Override
        public synchronized Mono<RemoteLog> remoteLog(TopicPartition partition) {
            if (unavailable) {
                return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception("failing over"));
            }
            if (!topicIds.containsKey(partition.topic())) {
                return Mono.error(ErrorCode.UNKNOWN_TOPIC.exception("no topic " + partition.topic()));
            }
            return Mono.just(new RemoteLog(topicIds.get(partition.topic()), epoch, starts.getOrDefault(partition, 0L),
                    List.copyOf(segments.getOrDefault(partition, Map.of()).values())));
        }

        @Override
        public synchronized Mono<RemoteLog> advanceLogStart(TopicPartition partition, RemoteLogStart update) {
            if (update.leaderEpoch() < epoch) {
                return Mono.error(ErrorCode.FENCED_LEADER_EPOCH.exception("fenced"));
            }
            epoch = update.leaderEpoch();
            starts.merge(partition, update.offset(), Math::max);
            return remoteLog(partition);
        }

        @Override
        public synchronized Mono<RemoteLog> updateRemoteSegment(TopicPartition partition, RemoteSegment update) {
            if (update.leaderEpoch() < epoch) {
                return Mono.error(ErrorCode.FENCED_LEADER_EPOCH.exception("fenced"));
            }
            epoch = update.leaderEpoch();
            Map<String, RemoteSegment> of = segments.computeIfAbsent(partition, p -> new HashMap<>());
            RemoteSegment current = of.get(update.id());
            boolean allowed = switch (update.state()) {
                case COPY_STARTED -> current == null;
                case COPY_FINISHED -> current != null && current.state() == RemoteSegment.State.COPY_STARTED;
                case DELETE_STARTED -> current != null;
                case DELETED -> current != null && current.state() == RemoteSegment.State.DELETE_STARTED;
            };
            if (!allowed) {
                return Mono.error(ErrorCode.INVALID_REQUEST.exception(update + " from " + current));
            }
            if (update.state() == RemoteSegment.State.DELETED) {
                of.remove(update.id());
            } else {
                of.put(update.id(), update);
            }
            return remoteLog(partition);
        }
    }
}
