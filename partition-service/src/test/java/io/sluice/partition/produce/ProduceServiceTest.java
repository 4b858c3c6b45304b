package io.sluice.partition.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.txn.TxnVerifyRequest;
import io.sluice.internal.txn.TxnVerifyResponse;
import io.sluice.log.FetchIsolation;
import io.sluice.log.LogConfig;
import io.sluice.log.LogManager;
import io.sluice.log.PartitionLog;
import io.sluice.partition.TestPartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.replica.TestReplicas;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.EndTxnMarker;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A produce request carrying several entries — a gateway coalesced several clients' requests into one — on the
 * leader's real log scheduler: entries are appended in request order, and each is answered on its own. And KIP-890
 * part 1: a batch that would open a transaction is appended only once the transaction coordinator (here a function
 * the test answers for) verified it, and not if a marker of its producer came while it asked.
 */
class ProduceServiceTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path dataDir;
    LogManager logs;
    ReplicaManager replicas;
    Scheduler logScheduler = Schedulers.newParallel("log-io-test", 8);
    ProduceService produce;
    /** The transaction coordinator's verification, as each test answers it; every request it got. */
    Function<TxnVerifyRequest, Mono<TxnVerifyResponse>> coordinator =
            request -> Mono.error(new AssertionError("nothing here opens a transaction: " + request));
    List<TxnVerifyRequest> verifications = new CopyOnWriteArrayList<>();

    @BeforeEach
    void leadAlone() throws IOException {
        logs = LogManager.open(dataDir, tp -> LogConfig.defaults(), Clock.systemUTC(), Runnable::run);
        replicas = new ReplicaManager(logs, null, TestReplicas.noFetching(), TestPartitionProperties.of(1, dataDir),
                Clock.systemUTC(), new SimpleMeterRegistry(), Schedulers.immediate());
        PartitionState state = new PartitionState(0, List.of(1), 1, List.of(1), 3, 1);
        replicas.applyMetadata(new MetadataView(new ClusterMetadata(1, null,
                List.of(new NodeInfo(1, "http://127.0.0.1:9001", null, NodeStatus.ALIVE)),
                List.of(new TopicMetadata(TP.topic(), "id-1", 1, Map.of(), List.of(state))))));
        produce = new ProduceService(replicas, logScheduler, new ProduceMetrics(new SimpleMeterRegistry()),
                request -> {
                    verifications.add(request);
                    return coordinator.apply(request);
                });
    }

    @AfterEach
    void close() throws IOException {
        logScheduler.dispose();
        logs.close();
    }

    @Test
    void entriesForOnePartitionAreAppendedInRequestOrderAndAnsweredEachOnItsOwn() throws IOException {
        List<PartitionBatches> entries = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> entries.add(new PartitionBatches(TP, 3, batch("v" + i))));
        // A stale leader epoch: refused alone, the entries around it are written.
        entries.add(20, new PartitionBatches(TP, 2, batch("stale")));

        ProduceResponse response = produce.produce(ProduceRequestCodec.encode(entries), Acks.ALL, Duration.ofSeconds(30))
                .block(Duration.ofSeconds(30));

        assertThat(response.partitions()).hasSize(41);
        assertThat(response.partitions().get(20).errorCode()).isEqualTo(ErrorCode.FENCED_LEADER_EPOCH);
        List<ProduceResponse.PartitionResult> written = new ArrayList<>(response.partitions());
        written.remove(20);
        assertThat(written).extracting(ProduceResponse.PartitionResult::baseOffset)
                .containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(Long::valueOf).toList());
        assertThat(values()).containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> "v" + i).toList());
    }

    @Test
    void anEntryRefusedAmongOthersOfItsPartitionAndEpochRefusesOnlyItsOwnRecords() throws IOException {
        // Appended together as one group: the refusal of one entry must not refuse or reorder the others.
        List<PartitionBatches> entries = List.of(new PartitionBatches(TP, 3, idempotent(42, 0, "a")),
                new PartitionBatches(TP, 3, idempotent(42, 1, "b")),
                new PartitionBatches(TP, 3, idempotent(42, 7, "gap")),
                new PartitionBatches(TP, 3, idempotent(42, 2, "c")),
                new PartitionBatches(TP, 3, idempotent(42, 1, "b")));

        ProduceResponse response = produce.produce(ProduceRequestCodec.encode(entries), Acks.ALL, Duration.ofSeconds(30))
                .block(Duration.ofSeconds(30));

        assertThat(response.partitions()).extracting(ProduceResponse.PartitionResult::errorCode)
                .containsExactly(null, null, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, null, null);
        assertThat(response.partitions()).extracting(ProduceResponse.PartitionResult::baseOffset)
                .containsExactly(0L, 1L, null, 2L, 1L);
        assertThat(values()).containsExactly("a", "b", "c");
    }

    @Test
    void aRetriedIdempotentBatchIsAnsweredWithItsFirstOffsetsAndRefusalsCarryKafkasCodes() {
        produce(new PartitionBatches(TP, 3, batch("before")));
        ProduceResponse.PartitionResult first = produce(new PartitionBatches(TP, 3, idempotent(42, 0, "a")));

        ProduceResponse.PartitionResult retry = produce(new PartitionBatches(TP, 3, idempotent(42, 0, "a")));
        ProduceResponse.PartitionResult gap = produce(new PartitionBatches(TP, 3, idempotent(42, 5, "x")));
        ProduceResponse.PartitionResult unknown = produce(new PartitionBatches(TP, 3, idempotent(43, 1, "y")));

        assertThat(first.baseOffset()).isEqualTo(1);
        assertThat(retry.errorCode()).isNull();
        assertThat(retry.baseOffset()).isEqualTo(1);
        assertThat(retry.lastOffset()).isEqualTo(1);
        assertThat(gap.errorCode()).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(unknown.errorCode()).isEqualTo(ErrorCode.UNKNOWN_PRODUCER_ID);
        assertThat(replicas.partition(TP).orElseThrow().log().logEndOffset()).isEqualTo(2);
    }

    // ------------------------------------------------------------ transaction verification (KIP-890 part 1)

    private static final long TXN_PRODUCER = 7;

    @Test
    void aBatchOpeningATransactionIsAppendedOnceTheCoordinatorVerifiedItsPartitionAndTheNextOneAsksNothing() {
        coordinator = request -> Mono.just(new TxnVerifyResponse(List.of()));

        ProduceResponse.PartitionResult first = produce(new PartitionBatches(TP, 3, transactional(0, "a")));
        ProduceResponse.PartitionResult second = produce(new PartitionBatches(TP, 3, transactional(1, "b")));

        assertThat(first.errorCode()).isNull();
        assertThat(second.errorCode()).isNull();
        assertThat(verifications).singleElement().extracting(TxnVerifyRequest::checks).asInstanceOf(LIST)
                .containsExactly(new TxnVerifyRequest.Check(TXN_PRODUCER, (short) 0, TP.topic(), TP.partition()));
        assertThat(log().logEndOffset()).isEqualTo(2);
        assertThat(log().lastStableOffset()).as("the transaction is open").isZero();
    }

    @Test
    void aBatchTheCoordinatorPlacesInNoOpenTransactionIsRefusedWithItsReasonAndNothingIsWritten() {
        coordinator = request -> Mono.just(new TxnVerifyResponse(List.of(new TxnVerifyResponse.Failure(TXN_PRODUCER,
                (short) 0, TP.topic(), TP.partition(), ErrorCode.INVALID_TXN_STATE, "not in the transaction"))));
        produce(new PartitionBatches(TP, 3, batch("plain")));

        ProduceResponse.PartitionResult refused = produce(new PartitionBatches(TP, 3, transactional(0, "late")));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(refused.message()).isEqualTo("not in the transaction");
        assertThat(log().logEndOffset()).isEqualTo(1);
        assertThat(log().lastStableOffset()).as("no transaction holds readers back").isEqualTo(1);
    }

    @Test
    void aCoordinatorThatCannotBeAskedRefusesTheBatchRetriablyAndNothingIsWritten() {
        coordinator = request -> Mono.error(ErrorCode.COORDINATOR_NOT_AVAILABLE.exception("no active coordinator"));

        ProduceResponse.PartitionResult refused = produce(new PartitionBatches(TP, 3, transactional(0, "a")));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS);
        assertThat(refused.errorCode().retriable()).isTrue();
        assertThat(log().logEndOffset()).isZero();
    }

    @Test
    void aMarkerOfTheProducerWrittenWhileTheCoordinatorIsAskedRefusesTheBatch() throws Exception {
        // A first transaction opens and commits here.
        coordinator = request -> Mono.just(new TxnVerifyResponse(List.of()));
        produce(new PartitionBatches(TP, 3, transactional(0, "committed")));
        marker(true);
        // The next batch of that epoch would open a transaction again. While the coordinator is asked, a marker of
        // the producer is written (that transaction ended): whatever the coordinator answered, the batch may belong
        // to the ended transaction, and must not open a new one.
        Sinks.One<TxnVerifyResponse> answer = Sinks.one();
        CountDownLatch asked = new CountDownLatch(1);
        coordinator = request -> {
            asked.countDown();
            return answer.asMono();
        };
        CompletableFuture<ProduceResponse> pending = produce.produce(ProduceRequestCodec.encode(List.of(
                new PartitionBatches(TP, 3, transactional(1, "late")))), Acks.ALL, Duration.ofSeconds(30)).toFuture();
        assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();
        marker(false);
        answer.tryEmitValue(new TxnVerifyResponse(List.of())).orThrow();

        ProduceResponse.PartitionResult refused = pending.get(30, TimeUnit.SECONDS).partitions().getFirst();

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.INVALID_TXN_STATE);
        assertThat(log().logEndOffset()).as("the batch, its marker, the abort marker").isEqualTo(3);
        assertThat(log().lastStableOffset()).isEqualTo(3);
        // A new verification after the marker lets the producer's next transaction open.
        coordinator = request -> Mono.just(new TxnVerifyResponse(List.of()));
        assertThat(produce(new PartitionBatches(TP, 3, transactional(1, "next"))).errorCode()).isNull();
        assertThat(log().lastStableOffset()).isEqualTo(3);
    }

    @Test
    void aRepeatOfABatchWhoseTransactionEndedGetsItsOffsetsWithoutAsking() {
        coordinator = request -> Mono.just(new TxnVerifyResponse(List.of()));
        ProduceResponse.PartitionResult first = produce(new PartitionBatches(TP, 3, transactional(0, "a")));
        marker(true);
        verifications.clear();
        coordinator = request -> Mono.error(new AssertionError("a repeat asks nothing"));

        ProduceResponse.PartitionResult repeat = produce(new PartitionBatches(TP, 3, transactional(0, "a")));

        assertThat(repeat.errorCode()).isNull();
        assertThat(repeat.baseOffset()).isEqualTo(first.baseOffset());
        assertThat(verifications).isEmpty();
        assertThat(log().logEndOffset()).isEqualTo(2);
    }

    private void marker(boolean commit) {
        Partition partition = replicas.partition(TP).orElseThrow();
        partition.appendMarker(TXN_PRODUCER, (short) 0, new EndTxnMarker(commit, 0), 3);
    }

    private PartitionLog log() {
        return replicas.partition(TP).orElseThrow().log();
    }

    private static ByteBuffer transactional(int sequence, String value) {
        return RecordBatchBuilder.of(CompressionType.NONE).producer(TXN_PRODUCER, (short) 0, sequence)
                .transactional(true)
                .append(1_000, null, value.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private ProduceResponse.PartitionResult produce(PartitionBatches entry) {
        return produce.produce(ProduceRequestCodec.encode(List.of(entry)), Acks.ALL, Duration.ofSeconds(30))
                .block(Duration.ofSeconds(30)).partitions().getFirst();
    }

    private static ByteBuffer idempotent(long producerId, int sequence, String value) {
        return RecordBatchBuilder.of(CompressionType.NONE).producer(producerId, (short) 0, sequence)
                .append(1_000, null, value.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private List<String> values() throws IOException {
        Partition partition = replicas.partition(TP).orElseThrow();
        ByteBuffer bytes = partition.log().read(0, Integer.MAX_VALUE, FetchIsolation.HIGH_WATERMARK, true)
                .records().load();
        List<String> values = new ArrayList<>();
        while (bytes.hasRemaining()) {
            RecordBatch batch = RecordBatch.readFrom(bytes);
            for (Record record : batch.records()) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
            }
            bytes.position(bytes.position() + batch.sizeInBytes());
        }
        return values;
    }

    private static ByteBuffer batch(String value) {
        return RecordBatchBuilder.of(CompressionType.NONE)
                .append(1_000, null, value.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
