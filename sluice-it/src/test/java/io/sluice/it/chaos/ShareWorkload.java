package io.sluice.it.chaos;

import io.sluice.it.share.ShareHistory;
import io.sluice.it.share.ShareHistoryChecker;
import io.sluice.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A share group (KIP-932) of Kafka's own {@code KafkaShareConsumer}s (kafka-clients from Maven Central) in a fault run:
 * {@value #CONSUMERS} consumers of {@link #GROUP} read the run's topic from its start through the gateway's Kafka
 * listener, accept every record they are given (explicit acknowledgement) and commit the acceptances after each poll.
 * Each delivery is recorded with the delivery count the broker gave it, and each acceptance with what the commit
 * answered for its partition (taken; unknown when the partition or the commit failed), in a {@link ShareHistory} that
 * {@link HistoryChecker} judges as the HTTP share-group run's is judged ({@link ShareHistoryChecker}): every record
 * ended, accepted at most once, never held by two consumers at once, never delivered after it was accepted; each
 * delivery is also a read of the group, whose value the final log must hold at its offset.
 */
final class ShareWorkload implements AutoCloseable {

    static final String GROUP = "chaos-kafka-share";
    static final int CONSUMERS = 2;
    /** The group's {@code share.delivery.count.limit}, set when it starts. */
    static final int DELIVERY_LIMIT = 5;

    private final String bootstrap;
    private final String topic;
    private final History history;
    private final List<Thread> threads = new ArrayList<>();
    private final List<KafkaShareConsumer<byte[], byte[]>> consumers = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final ShareHistory deliveries = new ShareHistory();
    private volatile boolean consuming = true;

    private ShareWorkload(String bootstrap, String topic, History history) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.history = history;
        for (int i = 0; i < CONSUMERS; i++) {
            String name = "kafka-share-consumer-" + i;
            threads.add(Thread.ofPlatform().name("chaos-" + name).unstarted(() -> consume(name)));
        }
    }

    /**
     * The group starts at the log start ({@code share.auto.offset.reset=earliest}) with its delivery limit set; then
     * its consumers.
     */
    static ShareWorkload start(String bootstrap, String topic, History history) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", Integer.toString(DELIVERY_LIMIT)),
                            AlterConfigOp.OpType.SET)))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the share group's configs could not be set", e);
        }
        ShareWorkload workload = new ShareWorkload(bootstrap, topic, history);
        history.shareGroup(workload.deliveries, DELIVERY_LIMIT);
        workload.threads.forEach(Thread::start);
        return workload;
    }

    private void consume(String name) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        properties.put("share.acknowledgement.mode", "explicit");
        try (KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(properties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumers.add(consumer);
            consumer.subscribe(List.of(topic));
            while (consuming) {
                try {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        deliveries.delivered(name, record.partition(), record.offset(), 0, deliveryCount(record));
                        history.kafkaGroupRead(GROUP, new History.GroupRead(name, record.partition(),
                                record.offset(), record.value() == null ? ""
                                : new String(record.value(), StandardCharsets.UTF_8)));
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    }
                    if (!records.isEmpty()) {
                        commit(name, consumer, records);
                    }
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    // A poll or a commit refused while a leader or the group's coordinator is away: what was not
                    // accepted is given again once its lock ends, to this consumer or the other.
                    errors.add(e.getClass().getSimpleName());
                    System.out.printf("[chaos] Kafka share consumer %s: %s%n", name, e);
                    Waits.sleep(Duration.ofMillis(300));
                }
            }
        } catch (RuntimeException e) {
            failures.add("the Kafka share consumer " + name + " failed: " + e);
        }
    }

    /**
     * Commits the acceptances of {@code records}: each recorded taken when the commit answered its partition without
     * an error, else unknown (the acknowledgements may have been applied).
     */
    private void commit(String name, KafkaShareConsumer<byte[], byte[]> consumer,
                        ConsumerRecords<byte[], byte[]> records) {
        Map<Integer, Optional<KafkaException>> byPartition = new HashMap<>();
        KafkaException failed = null;
        try {
            consumer.commitSync(Duration.ofSeconds(15)).forEach((partition, error) -> {
                if (topic.equals(partition.topic())) {
                    byPartition.put(partition.partition(), error);
                }
            });
        } catch (KafkaException e) {
            failed = e;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Optional<KafkaException> error = byPartition.get(record.partition());
            // A partition's error does not say which of its records were refused: a timeout says the answer did not
            // come, and INVALID_RECORD_STATE that some record was not held under a live lock while the others were
            // applied (as Kafka applies the valid part). Each record's outcome is then unknown; the group's start
            // offsets at the end settle it (awaitEnded).
            ShareHistory.Outcome outcome = failed == null && error != null && error.isEmpty()
                    ? ShareHistory.Outcome.TAKEN : ShareHistory.Outcome.UNKNOWN;
            deliveries.acknowledged(name, record.partition(), record.offset(), 0, deliveryCount(record),
                    ShareHistory.Type.ACCEPT, outcome, null);
            if (error != null) {
                error.ifPresent(e -> errors.add("commit: " + e.getClass().getSimpleName()));
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** The delivery count the broker gave the record (Kafka's share consumer carries it on every record). */
    private static int deliveryCount(ConsumerRecord<byte[], byte[]> record) {
        return record.deliveryCount().map(Short::intValue).orElse(-1);
    }

    /**
     * Waits until every record below {@code ends} (by partition) ended as the consumers saw it (accepted, archived, or
     * an acceptance of unknown outcome) and the group's share-partitions start there, as Kafka's Admin lists them
     * (ListShareGroupOffsets): the broker's word that nothing below is still to be delivered, which settles the
     * acceptances whose answers did not come. The start offsets last read, by partition.
     */
    Map<Integer, Long> awaitEnded(Map<Integer, Long> ends, Duration timeout) {
        Map<Integer, Long> starts = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ChaosCluster.within(timeout, () -> {
                if (ShareHistoryChecker.check(deliveries, ends, DELIVERY_LIMIT)
                        .count(ShareHistoryChecker.Kind.NOT_ENDED) > 0) {
                    return false;
                }
                try {
                    admin.listShareGroupOffsets(Map.of(GROUP, new ListShareGroupOffsetsSpec()))
                            .partitionsToOffsetInfo(GROUP).get(30, TimeUnit.SECONDS).forEach((partition, info) -> {
                                if (partition.topic().equals(topic) && info != null) {
                                    starts.put(partition.partition(), info.startOffset());
                                }
                            });
                } catch (Exception e) {
                    return false;
                }
                return ends.entrySet().stream().allMatch(end -> starts.getOrDefault(end.getKey(), -1L)
                        >= end.getValue());
            });
        }
        return starts;
    }

    /** The report's line: the share-group figures over {@code ends}, and the errors the consumers met by kind. */
    String note(Map<Integer, Long> ends) {
        Map<String, Long> byKind = new TreeMap<>();
        errors.forEach(error -> byKind.merge(error, 1L, Long::sum));
        ShareHistoryChecker.Report report = ShareHistoryChecker.check(deliveries, ends, DELIVERY_LIMIT);
        return String.format("Kafka share group %s (%d KafkaShareConsumers): %d records, %d deliveries (%d"
                + " redeliveries), %d accepted, %d archived, %d acceptances of unknown outcome; errors %s",
                GROUP, CONSUMERS, report.records(), report.deliveries(), report.redeliveries(), report.accepted(),
                report.archived(), report.unknownAcknowledgements(), byKind);
    }

    List<String> threadFailures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        consuming = false;
        consumers.forEach(KafkaShareConsumer::wakeup);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
