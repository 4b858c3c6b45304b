package io.sluice.it.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Randomized faults against a real cluster, judged by a history checker (issue 12): producers writing acks=all
 * through the gateway and consumers and a consumer group reading through it, while partition services are killed,
 * frozen, shut down and power-cut, the active coordinator is killed, Redis is crashed, and links between live processes
 * are dropped (issue 47: a leader from the coordinators or from its followers, the cluster split in two, the active
 * coordinator from Redis, the gateway from the coordinators), and the cluster changes shape (issue 62: a node joins
 * and the balancer moves replicas to it, a node is decommissioned, a node is lost for good and its replicas are
 * recreated on the others) — one thing at a time, so that with replication
 * factor 3 and {@code min.insync.replicas=2} nothing acknowledged may be lost. Beside them, transactions over two
 * topics (atomic produces and explicit transactions, committed or aborted) are read by read_committed readers (issue
 * 44). Kafka's own clients run beside the HTTP ones (issue 63): an idempotent producer, a KIP-848 and a classic
 * consumer group, a transactional producer, a share group of {@code KafkaShareConsumer}s and an exactly_once_v2 Kafka
 * Streams application. Afterwards every acknowledgement, every consumed record and every replica's files are checked
 * ({@link HistoryChecker}), and every transaction's records against what read_committed readers saw and the final
 * read_committed logs ({@link ReadCommittedChecker}); the run must find no anomaly. The report (faults, records,
 * anomalies, failover times) is printed and kept in {@code target/chaos/}.
 *
 * <p>{@code ./mvnw verify} runs it with the default seed for 60 seconds of faults (a fault under way then is
 * finished); {@code -Dsluice.chaos.seed=N} replays a schedule and {@code -Dsluice.chaos.duration=PT15M} makes it a
 * soak ({@code bench/soak.sh}; see docs/reliability.md).
 */
class ChaosIT {

    @Test
    void randomFaultsOneAtATimeLeaveNoAnomalyInTheHistory() {
        ChaosSettings settings = ChaosSettings.fromSystemProperties();
        ChaosReport report;
        try (ChaosCluster cluster = ChaosCluster.start("chaos", settings)) {
            report = new ChaosRun(cluster, settings).run();
        }
        Path file = report.write();
        System.out.println(report.text());
        System.out.println("[chaos] report kept in " + file);
        assertThat(report.anomalyCount()).as("anomalies (%s); replay with -Dsluice.chaos.seed=%d; report in %s",
                report.summary(), settings.seed(), file).isZero();
    }
}
