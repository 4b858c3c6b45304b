package io.sluice.it;

import io.sluice.internal.metadata.PartitionState;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * A continuous acks=all load on one partition, written the way a gateway would: each worker thread sends one batch
 * at a time to the leader the coordinator names, at that leader epoch, and on a retriable answer (NOT_LEADER,
 * LEADER_NOT_AVAILABLE, a fenced or unknown epoch, NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, no connection) refreshes
 * the metadata and sends the same records again. Records may therefore be written twice, never acknowledged
 * without being committed: that is what the tests check. A non-retriable answer stops the loop and is reported by
 * {@link #failure()}.
 *
 * <p>Record values are {@code <prefix>-w<worker>-<batch>-<index>}, unique per attempt-group so the tests can find
 * every acknowledged record.
 */
final class ProducerLoop implements AutoCloseable {

    /** One acknowledged batch: its record values at offsets {@code baseOffset..lastOffset}. */
    record Ack(List<String> values, long baseOffset, long lastOffset, int leader, int leaderEpoch, long ackedAtNanos) {
    }

    private final TestCluster cluster;
    private final TopicPartition tp;
    private final String prefix;
    private final int recordsPerBatch;
    private final List<Thread> workers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final AtomicReference<AssertionError> failure = new AtomicReference<>();
    private volatile PartitionState route;
    private volatile boolean running = true;

    private ProducerLoop(TestCluster cluster, TopicPartition tp, String prefix, int recordsPerBatch) {
        this.cluster = cluster;
        this.tp = tp;
        this.prefix = prefix;
        this.recordsPerBatch = recordsPerBatch;
    }

    /** Starts {@code workers} threads, each with one batch in flight at a time. */
    static ProducerLoop start(TestCluster cluster, TopicPartition tp, String prefix, int workers, int recordsPerBatch) {
        ProducerLoop loop = new ProducerLoop(cluster, tp, prefix, recordsPerBatch);
        loop.refreshRoute();
        for (int i = 0; i < workers; i++) {
            int worker = i;
            loop.workers.add(Thread.ofPlatform().name("producer-" + tp + "-" + i).start(() -> loop.run(worker)));
        }
        return loop;
    }

    private void run(int worker) {
        for (int batch = 0; running; batch++) {
            int b = batch;
            List<String> values = IntStream.range(0, recordsPerBatch)
                    .mapToObj(i -> prefix + "-w" + worker + "-" + b + "-" + i)
                    .toList();
            send(values);
        }
    }

    private void send(List<String> values) {
        while (running) {
            PartitionState target = route;
            if (target == null || !target.hasLeader()) {
                retried("LEADER_NOT_AVAILABLE");
                continue;
            }
            PartitionApi.ProduceResult result = cluster.api().produce(target.leader(), tp, target.leaderEpoch(),
                    Batches.of(values), "all", 5_000);
            if (result.ok()) {
                acks.add(new Ack(values, result.baseOffset(), result.lastOffset(), target.leader(),
                        target.leaderEpoch(), System.nanoTime()));
                return;
            }
            if (!result.retriable()) {
                failure.compareAndSet(null, new AssertionError("Non-retriable answer from node " + target.leader()
                        + " at epoch " + target.leaderEpoch() + ": " + result));
                running = false;
                return;
            }
            retried(result.errorCode());
        }
    }

    private void retried(String reason) {
        retries.computeIfAbsent(reason, r -> new LongAdder()).increment();
        TestCluster.sleep(Duration.ofMillis(50));
        refreshRoute();
    }

    private void refreshRoute() {
        try {
            route = cluster.partition(tp);
        } catch (RuntimeException e) {
            // The coordinator did not answer; keep the last route and try again on the next retry.
        }
    }

    int ackCount() {
        return acks.size();
    }

    /** Records acknowledged so far. */
    long ackedRecords() {
        return acks.stream().mapToLong(ack -> ack.values().size()).sum();
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** The first acknowledgement that came after {@code nanos} ({@link System#nanoTime()}). */
    Optional<Ack> firstAckAfter(long nanos) {
        return acks.stream().filter(ack -> ack.ackedAtNanos() - nanos > 0)
                .min((a, b) -> Long.compare(a.ackedAtNanos(), b.ackedAtNanos()));
    }

    /** Retries so far by the error that caused them. */
    Map<String, Long> retries() {
        Map<String, Long> snapshot = new TreeMap<>();
        retries.forEach((reason, count) -> snapshot.put(reason, count.sum()));
        return snapshot;
    }

    Optional<AssertionError> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Waits until at least {@code count} batches in all have been acknowledged, failing if the loop failed. */
    void awaitAcks(int count, Duration timeout) {
        TestCluster.await(count + " acknowledged batches (have " + ackCount() + ")", timeout, () -> {
            failure().ifPresent(error -> {
                throw error;
            });
            return ackCount() >= count ? Boolean.TRUE : null;
        });
    }

    /** Stops sending and waits for the batches in flight to be answered. */
    @Override
    public void close() {
        running = false;
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
