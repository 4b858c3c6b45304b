package io.sluice.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A Kafka Streams application (kafka-streams from Maven Central) with {@code processing.guarantee=exactly_once_v2} in a
 * fault run: it copies every record of the run's topic to {@link #OUTPUT}, each input partition's records in
 * transactions that also commit its input offsets (the group {@link #APPLICATION_ID}). It runs on Kafka's classic
 * group protocol (Streams' own assignor) or on the streams rebalance protocol (KIP-1071, the coordinator's assignor,
 * with the group's session and heartbeat set as group configs through Kafka's Admin), as the run's seed picks
 * ({@link #protocolOf}). A stream thread that dies is replaced, as an operator's application would ask. After the
 * faults the run waits until the application's committed offsets reach every input high watermark, closes it, and
 * reads {@link #OUTPUT} back read_committed: {@link HistoryChecker} then finds any record of the input's final log
 * copied other than exactly once, and any output value the input never held.
 */
final class StreamsWorkload implements AutoCloseable {

    static final String APPLICATION_ID = "chaos-streams-copier";
    static final String OUTPUT = "chaos-streams-out";
    static final int OUTPUT_PARTITIONS = 3;

    private final String bootstrap;
    private final Path stateDir;
    private final KafkaStreams streams;
    private final String protocol;
    private final ConcurrentLinkedQueue<String> replaced = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> states = new ConcurrentLinkedQueue<>();

    /**
     * The group protocol of a run with {@code seed}: {@code streams} for an even seed (the default 12 among them),
     * {@code classic} for an odd one, unless {@code -Dsluice.chaos.streams-protocol} names one.
     */
    static String protocolOf(long seed) {
        return System.getProperty("sluice.chaos.streams-protocol", seed % 2 == 0 ? "streams" : "classic");
    }

    private StreamsWorkload(String bootstrap, String input, String protocol) {
        this.bootstrap = bootstrap;
        this.protocol = protocol;
        try {
            stateDir = Files.createTempDirectory("chaos-streams");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(OUTPUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "3");
        properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000");
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");
        properties.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, protocol);
        streams = new KafkaStreams(builder.build(), properties);
        streams.setUncaughtExceptionHandler(e -> {
            replaced.add(rootCause(e).getClass().getSimpleName());
            System.out.printf("[chaos] Kafka Streams thread died, replaced: %s%n", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> states.add(now.name()));
    }

    /**
     * Starts the application on {@code input} with the group {@code protocol}; {@link #OUTPUT} must exist. Under the
     * streams protocol the session and heartbeat the classic members ask for are set on the group first, as
     * {@code kafka-configs --entity-type groups} sets them.
     */
    static StreamsWorkload start(String bootstrap, String input, String protocol) {
        System.out.printf("[chaos] Kafka Streams application on group.protocol=%s%n", protocol);
        if (protocol.equals("streams")) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, APPLICATION_ID),
                        List.of(new AlterConfigOp(new ConfigEntry("streams.session.timeout.ms", "10000"),
                                        AlterConfigOp.OpType.SET),
                                new AlterConfigOp(new ConfigEntry("streams.heartbeat.interval.ms", "1000"),
                                        AlterConfigOp.OpType.SET)))).all().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Could not set the Streams group's configs", e);
            }
        }
        StreamsWorkload workload = new StreamsWorkload(bootstrap, input, protocol);
        workload.streams.start();
        return workload;
    }

    /**
     * Waits until the application's committed offsets ({@code committed}, read afresh each time) reach {@code ends}
     * on every input partition; false if not within {@code timeout}.
     */
    static boolean awaitCommitted(GatewayClient gateway, Map<Integer, Long> ends, Duration timeout) {
        return KafkaWorkload.awaitCommitted(gateway, APPLICATION_ID, ends, timeout);
    }

    /**
     * {@link #OUTPUT}'s values as a read_committed consumer reads them from the start up to each partition's high
     * watermark (which it reaches once no transaction is open there); null, with a {@code problems} entry, when it
     * does not within {@code timeout}.
     */
    List<String> readOutput(Duration timeout, List<String> problems) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < OUTPUT_PARTITIONS; p++) {
            partitions.add(new TopicPartition(OUTPUT, p));
        }
        Map<TopicPartition, Long> highWatermarks = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(60, TimeUnit.SECONDS).forEach((tp, info) -> highWatermarks.put(tp, info.offset()));
        } catch (Exception e) {
            problems.add("the Streams output's high watermarks could not be read: " + e);
            return null;
        }
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!partitions.stream().allMatch(tp -> reader.position(tp) >= highWatermarks.get(tp))) {
                if (System.nanoTime() - deadline > 0) {
                    problems.add("a read_committed reader of the Streams output did not reach its high watermarks "
                            + highWatermarks + " within " + timeout.toSeconds() + " s (a transaction left open?)");
                    return null;
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
                    values.add(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    /** The report's line: the application's states and the threads it replaced. */
    String note(int copied) {
        Map<String, Long> byCause = new TreeMap<>();
        replaced.forEach(cause -> byCause.merge(cause, 1L, Long::sum));
        return String.format("Kafka Streams %s (exactly_once_v2, 2 threads, group.protocol=%s): %d records read back"
                + " from %s read_committed; stream threads replaced %s; states %s", APPLICATION_ID, protocol, copied,
                OUTPUT, byCause, List.copyOf(states));
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(60));
        if (!Files.exists(stateDir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
