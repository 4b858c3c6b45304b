package io.sluice.it.chaos;

import io.sluice.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka's own clients (kafka-clients from Maven Central) in a fault run, beside the HTTP clients and judged by the same
 * {@link HistoryChecker}: an idempotent producer (acks=all) writes values of its own to the run's topic through the
 * gateway's Kafka listener, each acknowledgement recorded with its offset, each failure as an outcome unknown (a Kafka
 * producer cannot tell whether a timed-out batch was written); and two consumers, one of a
 * {@code group.protocol=consumer} group (KIP-848) and one of a {@code group.protocol=classic} group, read the topic
 * and commit after each poll, their reads recorded as their groups'. The checker then finds
 * any acknowledged record lost, any record stored twice (the idempotent producer's sequence numbers forbid it), any
 * record read that the final log does not hold at its offset, and any offset below the group's final committed offset
 * that its consumer was never given.
 */
final class KafkaWorkload implements AutoCloseable {

    /** The KIP-848 group ({@code group.protocol=consumer}). */
    static final String GROUP = "chaos-kafka-readers";
    /** The classic group ({@code group.protocol=classic}, the client's default assignors). */
    static final String CLASSIC_GROUP = "chaos-kafka-classic";
    /** Each group, with its protocol. */
    static final Map<String, String> GROUPS = Map.of(GROUP, "consumer", CLASSIC_GROUP, "classic");
    /** The producer's pace: about 200 records a second, a third of what the HTTP producers send. */
    private static final Duration PACE = Duration.ofMillis(5);

    private final String bootstrap;
    private final String topic;
    private final int partitions;
    private final History history;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, ConcurrentLinkedQueue<String>> consumerErrors = new ConcurrentHashMap<>();
    private final AtomicLong produced = new AtomicLong();
    private final Thread producerThread;
    private final List<Thread> consumerThreads = new ArrayList<>();
    private volatile boolean producing = true;
    private volatile boolean consuming = true;
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new CopyOnWriteArrayList<>();

    private KafkaWorkload(String bootstrap, String topic, int partitions, History history) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitions = partitions;
        this.history = history;
        this.producerThread = Thread.ofPlatform().name("chaos-kafka-producer").unstarted(this::produce);
        new TreeMap<>(GROUPS).forEach((group, protocol) -> {
            consumerErrors.put(group, new ConcurrentLinkedQueue<>());
            consumerThreads.add(Thread.ofPlatform().name("chaos-kafka-consumer-" + protocol)
                    .unstarted(() -> consume(group, protocol)));
        });
    }

    static KafkaWorkload start(String bootstrap, String topic, int partitions, History history) {
        KafkaWorkload workload = new KafkaWorkload(bootstrap, topic, partitions, history);
        workload.producerThread.start();
        workload.consumerThreads.forEach(Thread::start);
        return workload;
    }

    private void produce() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long n = 0;
            while (producing) {
                String value = "kafka-" + n;
                int partition = (int) (n % partitions);
                long sentAt = System.nanoTime();
                history.sent(1);
                producer.send(new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8)),
                        (metadata, error) -> {
                            if (error == null) {
                                history.acknowledged(new History.Ack(value, metadata.partition(), metadata.offset(),
                                        sentAt, System.nanoTime()));
                            } else {
                                history.failed(value, partition, "KAFKA_" + error.getClass().getSimpleName());
                            }
                        });
                produced.incrementAndGet();
                n++;
                Waits.sleep(PACE);
            }
            producer.flush();
        } catch (RuntimeException e) {
            synchronized (failures) {
                failures.add("the Kafka producer failed: " + e);
            }
        }
    }

    private void consume(String group, String protocol) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumers.add(reader);
            reader.subscribe(List.of(topic));
            while (consuming) {
                try {
                    var records = reader.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        history.kafkaGroupRead(group, new History.GroupRead("kafka-" + protocol + "-consumer",
                                record.partition(), record.offset(), new String(record.value(),
                                StandardCharsets.UTF_8)));
                    }
                    if (!records.isEmpty()) {
                        reader.commitSync(Duration.ofSeconds(15));
                    }
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    // A commit or a poll refused while the group's coordinator is away: the next poll goes on from
                    // the consumer's position, and the next commit covers what this one did not.
                    consumerErrors.get(group).add(e.getClass().getSimpleName());
                    System.out.printf("[chaos] Kafka consumer of %s: %s%n", group, e);
                    Waits.sleep(Duration.ofMillis(300));
                }
            }
        } catch (RuntimeException e) {
            synchronized (failures) {
                failures.add("the Kafka consumer of " + group + " failed: " + e);
            }
        }
    }

    /** The producer stops sending and waits (at most its delivery timeout) for every record it sent to end. */
    void stopProducing() {
        producing = false;
        join(producerThread, Duration.ofMinutes(3));
    }

    /**
     * Waits until {@code group}'s committed offsets, as the cluster stores them, reach {@code ends} on every
     * partition; false if not within {@code timeout}.
     */
    static boolean awaitCommitted(GatewayClient gateway, String group, Map<Integer, Long> ends, Duration timeout) {
        return ChaosCluster.within(timeout, () -> {
            Map<Integer, Long> committed = gateway.committedOffsets(group);
            return committed != null && ends.entrySet().stream()
                    .allMatch(end -> committed.getOrDefault(end.getKey(), -1L) >= end.getValue());
        });
    }

    long produced() {
        return produced.get();
    }

    /** The kinds of errors the polls and commits of {@code group}'s consumer met, by count. */
    Map<String, Long> consumerErrors(String group) {
        Map<String, Long> counts = new TreeMap<>();
        consumerErrors.get(group).forEach(error -> counts.merge(error, 1L, Long::sum));
        return counts;
    }

    List<String> threadFailures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() {
        producing = false;
        consuming = false;
        consumers.forEach(KafkaConsumer::wakeup);
        join(producerThread, Duration.ofMinutes(3));
        consumerThreads.forEach(thread -> join(thread, Duration.ofSeconds(60)));
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
