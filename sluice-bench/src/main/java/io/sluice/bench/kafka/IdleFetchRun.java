package io.sluice.bench.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What an idle consumer of many partitions costs per Fetch round trip (the case fetch sessions, KIP-227, are for):
 * one {@link KafkaConsumer} assigned every partition of a topic that nobody writes to, at its end, polling. After a
 * warm-up it is measured for a while, and the run prints the fetches it made, the bytes it sent and received per fetch
 * (the consumer's own network metrics, which count whole requests and answers), and the CPU the server processes
 * named by pid spent per fetch ({@code /proc/<pid>/stat}). Point it at Sluice's listener and at Kafka in the same
 * run ({@code bench/kafka-idle-fetch.sh}); a report, never an assertion.
 *
 * <p>usage: {@code IdleFetchRun BOOTSTRAP PARTITIONS WARMUP_SECONDS SECONDS [PID ...]}
 */
public final class IdleFetchRun {

    private IdleFetchRun() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        Duration warmUp = Duration.ofSeconds(Long.parseLong(args[2]));
        Duration measured = Duration.ofSeconds(Long.parseLong(args[3]));
        List<Long> pids = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            pids.add(Long.parseLong(args[i]));
        }
        String topic = "idle-fetch-" + partitions;
        createTopic(bootstrap, topic, partitions);

        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "idle-fetch");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToEnd(all);
            poll(consumer, warmUp);
            Sample before = Sample.of(consumer, pids);
            poll(consumer, measured);
            Sample after = Sample.of(consumer, pids);

            double fetches = after.fetches() - before.fetches();
            System.out.printf("idle fetch: %s, %d partitions, %d s measured after %d s of warm-up%n", bootstrap,
                    partitions, measured.toSeconds(), warmUp.toSeconds());
            System.out.printf("  fetches %.0f (%.1f/s)%n", fetches, fetches / measured.toSeconds());
            System.out.printf("  bytes sent per fetch %.0f, received per fetch %.0f%n",
                    (after.sent() - before.sent()) / fetches, (after.received() - before.received()) / fetches);
            StringBuilder perProcess = new StringBuilder();
            for (int i = 0; i < pids.size(); i++) {
                perProcess.append(String.format(" %d: %.2f", pids.get(i),
                        (after.cpuMs().get(i) - before.cpuMs().get(i)) / fetches));
            }
            System.out.printf("  server CPU per fetch, ms:%s%n", perProcess);
        }
    }

    private static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (admin.listTopics().names().get().contains(topic)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            if (!consumer.poll(Duration.ofMillis(200)).isEmpty()) {
                throw new IllegalStateException("The topic is not idle: someone writes to it");
            }
        }
    }

    /** The consumer's totals and the servers' CPU at one moment. */
    private record Sample(double fetches, double sent, double received, List<Double> cpuMs) {

        static Sample of(KafkaConsumer<?, ?> consumer, List<Long> pids) throws IOException {
            return new Sample(metric(consumer, "consumer-fetch-manager-metrics", "fetch-total"),
                    metric(consumer, "consumer-metrics", "outgoing-byte-total"),
                    metric(consumer, "consumer-metrics", "incoming-byte-total"), cpuMs(pids));
        }

        private static double metric(KafkaConsumer<?, ?> consumer, String group, String name) {
            for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
                if (metric.getKey().group().equals(group) && metric.getKey().name().equals(name)
                        && Set.of("client-id").containsAll(metric.getKey().tags().keySet())) {
                    return ((Number) metric.getValue().metricValue()).doubleValue();
                }
            }
            throw new IllegalStateException("The consumer has no metric " + group + "/" + name);
        }

        /** User and system CPU of each process, fields 14 and 15 of /proc/<pid>/stat (clock ticks of 10 ms). */
        private static List<Double> cpuMs(List<Long> pids) throws IOException {
            List<Double> cpu = new ArrayList<>();
            for (long pid : pids) {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpu.add((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0);
            }
            return cpu;
        }
    }
}
