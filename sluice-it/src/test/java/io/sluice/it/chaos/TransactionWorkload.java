package io.sluice.it.chaos;

import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.it.chaos.GatewayClient.ReadAnswer;
import io.sluice.it.chaos.GatewayClient.ReadRecord;
import io.sluice.it.chaos.GatewayClient.TopicValue;
import io.sluice.it.chaos.GatewayClient.TxnAnswer;
import io.sluice.it.chaos.TransactionHistory.CommittedRead;
import io.sluice.it.chaos.TransactionHistory.Outcome;
import io.sluice.it.chaos.TransactionHistory.StableOffset;
import io.sluice.it.chaos.TransactionHistory.Transaction;
import io.sluice.it.chaos.TransactionHistory.TxnRecord;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The transactional clients of a chaos run, beside {@link Workload}'s producers: writers of transactions over several
 * partitions of two topics, one read_committed reader per partition, and a probe of each leader's last stable offset
 * and high watermark. Everything goes to {@link TransactionHistory} for {@link ReadCommittedChecker}.
 *
 * <ul>
 *   <li><b>Writers</b>: each sends one transaction at a time. Four in five are atomic produces ({@code POST
 *       /v1/records}), the others explicit transactions ({@code /v1/transactions}: begin under the writer's own
 *       transactional id, one to three writes, then commit or, a third of the time, abort — chosen by the writer's
 *       random stream, drawn from the run's seed). Every transaction writes to at least three of the partitions, so
 *       always to both topics. No transaction is ever retried: a failed one is recorded and the writer moves on with
 *       new values.</li>
 *   <li><b>Outcomes</b>, from the answers as docs/api.md defines them. An atomic produce: 200 committed; a 504
 *       {@code REQUEST_TIMED_OUT} whose detail says the commit was not confirmed, a 500 or no answer unknown; any other
 *       problem aborted ("none of its records is ever visible"). An explicit transaction: a commit answered 204
 *       committed; a commit answered {@code PRODUCER_FENCED} or {@code INVALID_TXN_STATE} aborted (the coordinator
 *       aborted it, or a write of it failed); any other answer to a commit, or none, unknown; a transaction never
 *       committed (an abort, or a failed begin or write, after which only an abort is sent) aborted, whatever the
 *       abort's answer: the coordinator aborts it at its timeout, or when the writer's next begin fences it.</li>
 *   <li><b>Readers</b>: two per partition, one tailing it with read_committed pages, one a read_committed
 *       Server-Sent Events stream ({@link SseReader}); each records every record with its offset, in the order it was
 *       given. A page's {@code next_offset} above its {@code high_watermark} is recorded as an observation of the
 *       stable offset above the high watermark (node {@code -1}: seen through the gateway).</li>
 *   <li><b>The probe</b> fetches read_committed from each partition's leader (the internal API the gateway uses) every
 *       {@value #PROBE_INTERVAL_MS} ms, which answers the last stable offset and the high watermark together.</li>
 * </ul>
 */
final class TransactionWorkload implements AutoCloseable {

    /** The topics and their partition counts. */
    static final Map<String, Integer> TOPICS = Map.of("chaos-txn-a", 2, "chaos-txn-b", 2);
    /** How long a write may take, the gateway's retries included; atomic transactions time out 10 s after it. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** An explicit transaction's timeout, after which the coordinator aborts it. */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(20);
    private static final long PROBE_INTERVAL_MS = 500;
    private static final Duration READ_WAIT = Duration.ofMillis(500);
    private static final Duration BACKOFF = Duration.ofMillis(200);

    private final GatewayClient gateway;
    private final TransactionHistory history;
    private final List<TopicPartition> partitions;
    private final Function<String, List<Integer>> leaders;
    private final Function<Integer, URI> nodeUrls;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Thread> writers = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final List<SseReader> streams = new ArrayList<>();
    private final Map<TopicPartition, Long> readerPositions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, StableOffset> lastProbe = new ConcurrentHashMap<>();
    private final ThreadFailures threadFailures = new ThreadFailures();
    private Thread probe;
    private volatile boolean writing = true;
    private volatile boolean reading = true;

    private TransactionWorkload(GatewayClient gateway, TransactionHistory history,
                                Function<String, List<Integer>> leaders, Function<Integer, URI> nodeUrls) {
        this.gateway = gateway;
        this.history = history;
        this.leaders = leaders;
        this.nodeUrls = nodeUrls;
        List<TopicPartition> all = new ArrayList<>();
        TOPICS.keySet().stream().sorted().forEach(topic -> {
            for (int p = 0; p < TOPICS.get(topic); p++) {
                all.add(new TopicPartition(topic, p));
            }
        });
        this.partitions = List.copyOf(all);
    }

    /**
     * Starts {@code writerCount} writers (each with a random stream drawn from {@code seed}), the readers and the probe.
     * {@code leaders} gives a topic's partitions' leaders in partition order (-1: none), {@code nodeUrls} a partition
     * service's URL.
     */
    static TransactionWorkload start(GatewayClient gateway, URI gatewayUrl, int writerCount, long seed,
                                     TransactionHistory history, Function<String, List<Integer>> leaders,
                                     Function<Integer, URI> nodeUrls) {
        TransactionWorkload workload = new TransactionWorkload(gateway, history, leaders, nodeUrls);
        for (TopicPartition tp : workload.partitions) {
            workload.readerPositions.put(tp, 0L);
            workload.streams.add(SseReader.startReadCommitted(gatewayUrl, tp.topic(), tp.partition(), history));
            workload.readers.add(Thread.ofPlatform().name("chaos-rc-reader-" + tp)
                    .start(workload.threadFailures.guarded("read_committed reader of " + tp,
                            () -> workload.read(tp))));
        }
        for (int i = 0; i < writerCount; i++) {
            int id = i;
            Random random = new Random(seed * 37 + 1000 + i);
            workload.writers.add(Thread.ofPlatform().name("chaos-txn-writer-" + i)
                    .start(workload.threadFailures.guarded("transaction writer " + i,
                            () -> workload.write(id, random))));
        }
        workload.probe = Thread.ofPlatform().name("chaos-lso-probe")
                .start(workload.threadFailures.guarded("stable offset probe", workload::probe));
        return workload;
    }

    /** Client threads that died of an exception (a problem for the report: they judged less than they claim). */
    List<String> threadFailures() {
        return threadFailures.all();
    }

    List<TopicPartition> partitions() {
        return partitions;
    }

    /** How many read_committed streams were opened, reconnections included. */
    int streamsOpened() {
        return streams.stream().mapToInt(SseReader::streamsOpened).sum();
    }

    // ---------------------------------------------------------------- writers

    private void write(int writer, Random random) {
        long sequence = 0;
        while (writing) {
            String id = "t" + writer + "-" + sequence++;
            if (random.nextInt(5) == 0) {
                explicitTransaction(writer, id, random);
            } else {
                atomicProduce(id, random);
            }
        }
    }

    private void atomicProduce(String id, Random random) {
        List<TopicValue> records = records(id, 0, random);
        TxnAnswer answer = gateway.produceAtomic(records, WRITE_TIMEOUT);
        Outcome outcome;
        if (answer.ok()) {
            outcome = Outcome.COMMITTED;
        } else if (!answer.answered() || answer.status() == 500 || (answer.errorCode().equals("REQUEST_TIMED_OUT")
                && answer.detail().contains("was not confirmed"))) {
            outcome = Outcome.UNKNOWN;
        } else {
            outcome = Outcome.ABORTED;
        }
        history.transaction(new Transaction(id, TransactionHistory.Kind.ATOMIC, written(records, answer), outcome,
                describe(answer)));
        if (!answer.ok()) {
            Waits.sleep(BACKOFF);
        }
    }

    private void explicitTransaction(int writer, String id, Random random) {
        boolean commit = random.nextInt(3) != 0;
        int writes = 1 + random.nextInt(3);
        TxnAnswer begun = gateway.beginTransaction("chaos-txn-writer-" + writer, TRANSACTION_TIMEOUT);
        if (!begun.ok()) {
            history.transaction(new Transaction(id, TransactionHistory.Kind.EXPLICIT, List.of(), Outcome.ABORTED,
                    "begin " + describe(begun)));
            Waits.sleep(BACKOFF);
            return;
        }
        List<TxnRecord> records = new ArrayList<>();
        String failedWrite = null;
        int next = 0;
        for (int w = 0; w < writes && failedWrite == null; w++) {
            List<TopicValue> batch = records(id, next, random);
            next += batch.size();
            TxnAnswer answer = gateway.writeTransaction(begun.transaction(), batch, WRITE_TIMEOUT);
            records.addAll(written(batch, answer));
            if (!answer.ok()) {
                failedWrite = "write " + (w + 1) + " " + describe(answer);
            }
        }
        if (failedWrite != null || !commit) {
            TxnAnswer aborted = gateway.endTransaction(begun.transaction(), false);
            history.transaction(new Transaction(id, TransactionHistory.Kind.EXPLICIT, records, Outcome.ABORTED,
                    (failedWrite != null ? failedWrite + ", " : "") + "abort " + describe(aborted)));
            if (failedWrite != null) {
                Waits.sleep(BACKOFF);
            }
            return;
        }
        TxnAnswer committed = gateway.endTransaction(begun.transaction(), true);
        Outcome outcome;
        if (committed.ok()) {
            outcome = Outcome.COMMITTED;
        } else if (committed.answered() && (committed.errorCode().equals("PRODUCER_FENCED")
                || committed.errorCode().equals("INVALID_TXN_STATE"))) {
            outcome = Outcome.ABORTED;
        } else {
            outcome = Outcome.UNKNOWN;
        }
        history.transaction(new Transaction(id, TransactionHistory.Kind.EXPLICIT, records, outcome,
                "commit " + describe(committed)));
    }

    /** One or two records to each of three or four partitions, values {@code <id>-<n>} from {@code first}. */
    private List<TopicValue> records(String id, int first, Random random) {
        List<TopicPartition> chosen = new ArrayList<>(partitions);
        Collections.shuffle(chosen, random);
        chosen = chosen.subList(0, 3 + random.nextInt(partitions.size() - 2));
        List<TopicValue> records = new ArrayList<>();
        int n = first;
        for (TopicPartition tp : chosen) {
            int count = 1 + random.nextInt(2);
            for (int i = 0; i < count; i++) {
                records.add(new TopicValue(tp.topic(), tp.partition(), id + "-" + n++));
            }
        }
        return records;
    }

    private static List<TxnRecord> written(List<TopicValue> records, TxnAnswer answer) {
        List<TxnRecord> written = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            TopicValue record = records.get(i);
            long offset = answer.ok() && i < answer.offsets().size() ? answer.offsets().get(i) : -1;
            written.add(new TxnRecord(record.topic(), record.partition(), record.value(), offset));
        }
        return written;
    }

    private static String describe(TxnAnswer answer) {
        if (answer.ok()) {
            return Integer.toString(answer.status());
        }
        String detail = answer.detail() == null ? "" : answer.detail();
        return answer.status() + " " + answer.errorCode() + (detail.isEmpty() ? ""
                : " (" + detail.substring(0, Math.min(160, detail.length())) + ")");
    }

    // ---------------------------------------------------------------- readers

    private void read(TopicPartition tp) {
        long position = 0;
        while (reading) {
            ReadAnswer answer = gateway.read(tp.topic(), tp.partition(), position, 1000, READ_WAIT, true);
            if (!answer.ok()) {
                if (answer.errorCode().equals("OFFSET_OUT_OF_RANGE") && answer.logEndOffset() >= 0
                        && answer.logEndOffset() < position) {
                    history.readerEvent(tp + ": position " + position + " is past the log end "
                            + answer.logEndOffset());
                    position = answer.logEndOffset();
                }
                Waits.sleep(BACKOFF);
                continue;
            }
            for (ReadRecord record : answer.records()) {
                history.read(new CommittedRead(TransactionHistory.PAGE_READER, tp.topic(), tp.partition(),
                        record.offset(), record.value()));
            }
            // A page that went past its high watermark. A reader already past it (it read to an earlier leader's high
            // watermark, and a new leader's has not caught up yet) gets an empty page at its position, as from Kafka.
            if (answer.nextOffset() > Math.max(answer.highWatermark(), position)) {
                history.stableOffset(new StableOffset(tp.topic(), tp.partition(), -1, answer.nextOffset(),
                        answer.highWatermark()));
            } else if (answer.nextOffset() > answer.highWatermark()) {
                history.readerEvent(tp + ": position " + position + " is past the high watermark "
                        + answer.highWatermark() + " of a leader that has not caught up");
            }
            position = Math.max(position, answer.nextOffset());
            readerPositions.put(tp, position);
        }
    }

    // ------------------------------------------------------------------ probe

    private void probe() {
        while (reading) {
            for (String topic : TOPICS.keySet()) {
                List<Integer> leaderIds;
                try {
                    leaderIds = leaders.apply(topic);
                } catch (RuntimeException e) {
                    continue; // no coordinator answered: probe again next round
                }
                for (int p = 0; p < leaderIds.size(); p++) {
                    if (leaderIds.get(p) >= 0) {
                        probe(new TopicPartition(topic, p), leaderIds.get(p));
                    }
                }
            }
            Waits.sleep(Duration.ofMillis(PROBE_INTERVAL_MS));
        }
    }

    private void probe(TopicPartition tp, int node) {
        FetchRequest request = new FetchRequest(0L, 1, 1,
                List.of(new FetchRequest.Partition(tp.topic(), tp.partition(), 0, 1)), true);
        HttpRequest post = HttpRequest.newBuilder(nodeUrls.apply(node).resolve("/internal/fetch"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", FetchRequestCodec.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(FetchRequestCodec.encode(request).array()))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return;
            }
            FetchedPartition section = FetchResponseCodec.decode(ByteBuffer.wrap(response.body())).getFirst();
            if (section.error() == null) {
                StableOffset observed = new StableOffset(tp.topic(), tp.partition(), node,
                        section.lastStableOffset(), section.highWatermark());
                history.stableOffset(observed);
                lastProbe.put(tp, observed);
            }
        } catch (IOException | RuntimeException e) {
            // A node down, frozen or cut off: the probe is a sample, the next round tries again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------- end

    /** Stops the writers and waits until each has its last answer. */
    void stopWriters() {
        writing = false;
        join(writers);
    }

    /**
     * Waits until every partition is stable (its leader's last stable offset is its high watermark: every
     * transaction decided and its markers written) and its reader has read up to there; the partitions that did not
     * within {@code timeout}, described (empty: all did).
     */
    List<String> awaitStable(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> unsettled = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            boolean settled = false;
            while (!settled && System.nanoTime() < deadline) {
                lastProbe.remove(tp);
                Waits.sleep(Duration.ofMillis(2 * PROBE_INTERVAL_MS + 100));
                StableOffset probed = lastProbe.get(tp);
                settled = probed != null && probed.lastStableOffset() == probed.highWatermark()
                        && readerPositions.get(tp) >= probed.highWatermark();
            }
            if (!settled) {
                unsettled.add(tp + ": " + lastProbe.get(tp) + ", reader at " + readerPositions.get(tp));
            }
        }
        return unsettled;
    }

    private static void join(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(90));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stopWriters();
        reading = false;
        streams.forEach(SseReader::close);
        join(readers);
        if (probe != null) {
            join(List.of(probe));
        }
        http.close();
    }
}
