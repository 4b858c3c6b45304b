package io.sluice.gateway.kafka;

import io.sluice.testing.TestJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One instance of a Kafka Streams word count (kafka-streams from Maven Central) as a process of its own, so a test can
 * SIGKILL it mid-stream: lines from one topic, split into words, repartitioned by word, counted in a store with a
 * changelog topic, every count written to an output topic (the record cache is off, so each word read gives one output
 * record). {@link #main} is the instance; the rest is the test's handle on the process. Its output goes to
 * {@code logFile}, which outlives the test. Every signal goes to the PID this object started.
 */
final class WordCountInstance implements AutoCloseable {

    private static final String RUNNING = "word count RUNNING";

    private final TestJvm jvm;

    private WordCountInstance(TestJvm jvm) {
        this.jvm = jvm;
    }

    /**
     * Starts an instance of application {@code applicationId} reading {@code input} and writing {@code output} with
     * {@code guarantee} ({@code at_least_once} or {@code exactly_once_v2}) and its state under {@code stateDir}; waits
     * until it has joined its group and runs.
     */
    static WordCountInstance start(String name, String bootstrap, String applicationId, String guarantee, String input,
            String output, Path stateDir, Path logFile) {
        return start(name, bootstrap, applicationId, guarantee, "classic", input, output, stateDir, logFile);
    }

    /** {@link #start} with the group protocol: {@code classic} (Streams' assignor) or {@code streams} (KIP-1071). */
    static WordCountInstance start(String name, String bootstrap, String applicationId, String guarantee,
            String groupProtocol, String input, String output, Path stateDir, Path logFile) {
        // Its java.io.tmpdir beside its state: RocksDB extracts its native library there, and a killed instance
        // leaves it behind, where the test's clean-up of the state directories removes it.
        Path tmp;
        try {
            tmp = Files.createDirectories(stateDir.resolveSibling(stateDir.getFileName() + "-tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=kafka-tool-logback.xml", WordCountInstance.class.getName(),
                bootstrap, applicationId, guarantee, input, output, stateDir.toString(), groupProtocol));
        WordCountInstance instance = new WordCountInstance(TestJvm.start(name, command, logFile));
        try {
            instance.jvm.awaitOutput(RUNNING, Duration.ofSeconds(90));
        } catch (RuntimeException | AssertionError e) {
            instance.close();
            throw e;
        }
        return instance;
    }

    /** SIGKILL: the instance commits nothing more, its open transaction (if any) is left to its timeout. */
    void kill() {
        jvm.kill();
    }

    /** SIGTERM (the instance closes its Streams client and leaves its group), SIGKILL after a grace. */
    @Override
    public void close() {
        jvm.stop(Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return jvm.toString();
    }

    /**
     * The instance: {@code bootstrap applicationId guarantee input output stateDir groupProtocol}; runs until it is
     * stopped.
     */
    public static void main(String[] args) throws InterruptedException {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[3], Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word)
                .count()
                .toStream()
                .to(args[4], Produced.with(Serdes.String(), Serdes.Long()));
        Properties properties = new Properties();
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[2]);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, args[5]);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "3");
        properties.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        properties.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        properties.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, args[6]);
        if (args[6].equals("classic")) {
            // A killed instance's partitions move once its session ends: 6 s, not Streams' 45 s. (The streams
            // protocol's session is the coordinator's setting.)
            properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "6000");
            properties.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        KafkaStreams streams = new KafkaStreams(builder.build(), properties);
        streams.setStateListener((now, before) -> {
            System.out.println("word count " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(20));
            stopped.countDown();
        }));
        streams.start();
        stopped.await();
    }
}
