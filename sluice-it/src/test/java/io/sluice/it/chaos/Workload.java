package io.sluice.it.chaos;

import io.sluice.it.chaos.GatewayClient.ReadAnswer;
import io.sluice.it.chaos.GatewayClient.ReadRecord;
import io.sluice.it.chaos.GatewayClient.RecordOutcome;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The clients of a chaos run, through the gateway only: producers that write acks=all requests of a few unique
 * values to a random partition, one request in flight each, and one tailing consumer per partition. Nothing is ever
 * sent twice: a failed record is recorded as refused or unknown and the producer moves on with new values, so every
 * duplicate the checker finds was made by the system. Each client runs on its own thread until {@link #stop}.
 */
final class Workload implements AutoCloseable {

    /** How long a produce request may take, retries inside the gateway included. */
    static final Duration PRODUCE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_WAIT = Duration.ofMillis(500);
    private static final Duration BACKOFF = Duration.ofMillis(200);
    /** Values are padded to about this size, so that segments roll and recovery points move during a run. */
    private static final int VALUE_BYTES = 120;

    private final GatewayClient gateway;
    private final String topic;
    private final int partitions;
    private final History history;
    private final List<Thread> producers = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final AtomicLongArray consumerPositions;
    private final ThreadFailures threadFailures = new ThreadFailures();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;

    private Workload(GatewayClient gateway, String topic, int partitions, History history) {
        this.gateway = gateway;
        this.topic = topic;
        this.partitions = partitions;
        this.history = history;
        this.consumerPositions = new AtomicLongArray(partitions);
    }

    /** Starts {@code producerCount} producers (each with a random stream drawn from {@code seed}) and the consumers. */
    static Workload start(GatewayClient gateway, String topic, int partitions, int producerCount, long seed,
                          History history) {
        Workload workload = new Workload(gateway, topic, partitions, history);
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            workload.consumers.add(Thread.ofPlatform().name("chaos-consumer-" + p)
                    .start(workload.threadFailures.guarded("consumer of partition " + p,
                            () -> workload.consume(partition))));
        }
        for (int i = 0; i < producerCount; i++) {
            int id = i;
            Random random = new Random(seed * 31 + i);
            workload.producers.add(Thread.ofPlatform().name("chaos-producer-" + i)
                    .start(workload.threadFailures.guarded("producer " + i,
                            () -> workload.produce(id, random))));
        }
        return workload;
    }

    /**
     * Client threads that died of an exception: a run whose clients stopped early judges less than it claims, and its
     * checker, which judges only what was acknowledged and read, cannot tell.
     */
    List<String> threadFailures() {
        return threadFailures.all();
    }

    private void produce(int id, Random random) {
        long sequence = 0;
        while (producing) {
            int partition = random.nextInt(partitions);
            int count = 1 + random.nextInt(5);
            List<String> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                values.add(value(id, sequence++));
            }
            history.sent(count);
            long sentAt = System.nanoTime();
            List<RecordOutcome> outcomes = gateway.produce(topic, partition, values, PRODUCE_TIMEOUT);
            long answeredAt = System.nanoTime();
            boolean failed = false;
            for (int i = 0; i < count; i++) {
                RecordOutcome outcome = outcomes.get(i);
                if (outcome.acknowledged()) {
                    history.acknowledged(new History.Ack(values.get(i), partition, outcome.offset(), sentAt,
                            answeredAt));
                } else {
                    history.failed(values.get(i), partition, outcome.errorCode());
                    failed = true;
                }
            }
            if (failed && producing) {
                Waits.sleep(BACKOFF);
            }
        }
    }

    /** {@code p<producer>-<sequence>-} and padding: unique, and readable in a report. */
    private static String value(int producer, long sequence) {
        StringBuilder value = new StringBuilder("p").append(producer).append('-').append(sequence).append('-');
        while (value.length() < VALUE_BYTES) {
            value.append('x');
        }
        return value.toString();
    }

    private void consume(int partition) {
        long position = 0;
        while (consuming) {
            ReadAnswer answer = gateway.read(topic, partition, position, 1000, READ_WAIT);
            if (!answer.ok()) {
                if (answer.errorCode().equals("OFFSET_OUT_OF_RANGE") && answer.logEndOffset() >= 0
                        && answer.logEndOffset() < position) {
                    // Records this consumer read at offsets the log no longer has: the checker compares them with
                    // what the log holds there at the end. Read on from the log end, as a client with clamp would.
                    history.consumerEvent("partition " + partition + ": position " + position
                            + " is past the log end " + answer.logEndOffset());
                    position = answer.logEndOffset();
                }
                Waits.sleep(BACKOFF);
                continue;
            }
            long now = System.nanoTime();
            for (ReadRecord record : answer.records()) {
                history.seen(new History.Seen(partition, record.offset(), record.value(), now));
            }
            position = Math.max(position, answer.nextOffset());
            consumerPositions.set(partition, position);
        }
    }

    /** Where the consumer of {@code partition} will read next. */
    long consumerPosition(int partition) {
        return consumerPositions.get(partition);
    }

    /** Stops the producers and waits until each has its answer. */
    void stopProducers() {
        producing = false;
        join(producers);
    }

    /** Stops the consumers. */
    void stopConsumers() {
        consuming = false;
        join(consumers);
    }

    private static void join(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stopProducers();
        stopConsumers();
    }
}
