package io.sluice.streams.smoke;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.tests.SmokeTestDriver;

/**
 * Kafka's Streams smoke test driver ({@link SmokeTestDriver} from the kafka-streams test jar) with an input of a size
 * the caller chooses. Kafka's own entry point, {@code StreamsSmokeTest <properties> run}, fixes the input at 20 keys of
 * 1,000 records each, spread over 90 s so that a system test has time to bounce its processing clients; this one calls
 * the same two steps of the driver with the counts given: {@code generate} writes the input to {@code data} and
 * {@code fk}, then {@code verify} reads every output topic read_committed and prints its report, ending in the
 * driver's verdict, {@code SUCCESS} or {@code FAILURE}, on a line of its own. It exits 0 either way, as Kafka's does:
 * the verdict is the printed line.
 *
 * <p>One step is added between the two when the properties name the processing clients' {@code application.id}: the
 * driver verifies only once the clients have caught up with everything written (see {@link #awaitCaughtUp}). Under
 * exactly-once, {@code verify} begins by checking that every transaction finished: it reads each output partition's
 * end offset, then its last stable offset, and fails if the second is the larger — which it is whenever a client commits
 * a transaction between the two reads. Kafka's system test runs the driver on machines where the clients keep up with
 * the input; on a loaded two-core machine they may still be working through it when the writing ends, and then that
 * check races with their commits.
 *
 * <p>Arguments: {@code <properties file> <keys> <records per key> <seconds to spend writing>}; the properties file
 * holds {@code bootstrap.servers} and {@code processing.guarantee}, as {@code StreamsSmokeTest}'s does, and
 * optionally {@code application.id}.
 */
public final class SmokeTestRun {

    /** How long the driver waits for the clients to catch up before it verifies all the same. */
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(3);

    private SmokeTestRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: SmokeTestRun <properties file> <keys> <records per key> <seconds to spend"
                    + " writing>");
            System.exit(2);
        }
        Properties properties = Utils.loadProps(args[0]);
        String kafka = properties.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        boolean exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(
                properties.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        int keys = Integer.parseInt(args[1]);
        int recordsPerKey = Integer.parseInt(args[2]);
        Map<String, Set<Integer>> input = SmokeTestDriver.generate(kafka, keys, recordsPerKey,
                Duration.ofSeconds(Long.parseLong(args[3])));
        String application = properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        if (application != null) {
            awaitCaughtUp(kafka, application, CATCH_UP_TIMEOUT);
        }
        SmokeTestDriver.verify(kafka, input, recordsPerKey, exactlyOnce);
    }

    /**
     * Waits until {@code group} (the clients' application id) has processed every record of every partition it
     * commits offsets for, input and repartition topics alike: read from its committed offsets to their ends, those
     * partitions hold no record, only transaction markers. Gives up after {@code timeout}, leaving the verdict to the
     * driver.
     */
    static void awaitCaughtUp(String kafka, String group, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka));
             KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            while (System.nanoTime() - deadline < 0) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                committed.values().removeIf(Objects::isNull);
                long unprocessed = committed.isEmpty() ? 1 : unprocessed(reader, committed);
                System.out.println("Waiting for the clients: " + unprocessed + " records not processed yet");
                if (unprocessed == 0) {
                    return;
                }
                Thread.sleep(1000);
            }
            System.out.println("The clients did not catch up within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not read the offsets of " + group, e);
        }
    }

    /** The records between each partition's committed offset and its end. */
    private static long unprocessed(KafkaConsumer<byte[], byte[]> reader,
                                    Map<TopicPartition, OffsetAndMetadata> committed) {
        reader.assign(committed.keySet());
        committed.forEach((partition, offset) -> reader.seek(partition, offset.offset()));
        Map<TopicPartition, Long> ends = reader.endOffsets(committed.keySet());
        long records = 0;
        while (committed.keySet().stream().anyMatch(partition -> reader.position(partition) < ends.get(partition))) {
            records += reader.poll(Duration.ofMillis(200)).count();
        }
        return records;
    }
}
