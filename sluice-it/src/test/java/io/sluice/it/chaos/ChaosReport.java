package io.sluice.it.chaos;

import io.sluice.it.chaos.FaultInjector.Fault;
import io.sluice.it.chaos.FaultInjector.Kill;
import io.sluice.it.chaos.HistoryChecker.Anomalies;
import io.sluice.it.chaos.HistoryChecker.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What a chaos run did and found, as text for the test output, {@code target/chaos/} and docs/reliability.md: the
 * seed and settings, the faults by kind and one line each, the records produced and read, the anomalies by kind with
 * examples, and the failover time after each SIGKILL of a leader.
 *
 * <p>Failover time is measured per partition the killed node led: from the SIGKILL to the first acknowledgement of a
 * write to that partition whose request was sent after the kill (a request already in flight does not count, it may
 * have been answered by the dead leader just before it died).
 */
final class ChaosReport {

    /** The failover of one partition after one kill; empty when no write to it was acknowledged afterwards. */
    record Failover(int fault, int node, int partition, OptionalLong nanos) {
    }

    private final ChaosSettings settings;
    private final String commit;
    private final Instant startedAt;
    private final Duration faultTime;
    private final Duration total;
    private final List<Fault> faults;
    private final List<Failover> failovers;
    private final History history;
    private final TransactionHistory transactions;
    private final Anomalies anomalies;
    private final List<String> notes;

    ChaosReport(ChaosSettings settings, String commit, Instant startedAt, Duration faultTime, Duration total,
                List<Fault> faults, List<Kill> kills, History history, TransactionHistory transactions, Anomalies anomalies,
                List<String> notes) {
        this.settings = settings;
        this.commit = commit;
        this.startedAt = startedAt;
        this.faultTime = faultTime;
        this.total = total;
        this.faults = List.copyOf(faults);
        this.failovers = failovers(kills, history.acks());
        this.history = history;
        this.transactions = transactions;
        this.anomalies = anomalies;
        this.notes = List.copyOf(notes);
    }

    private static List<Failover> failovers(List<Kill> kills, List<History.Ack> acks) {
        List<Failover> failovers = new ArrayList<>();
        for (Kill kill : kills) {
            for (int partition : kill.ledPartitions()) {
                OptionalLong first = acks.stream()
                        .filter(ack -> ack.partition() == partition && ack.sentNanos() - kill.killedNanos() >= 0)
                        .mapToLong(ack -> ack.ackedNanos() - kill.killedNanos())
                        .min();
                failovers.add(new Failover(kill.fault(), kill.node(), partition, first));
            }
        }
        return failovers;
    }

    Anomalies anomalies() {
        return anomalies;
    }

    long anomalyCount() {
        return anomalies.total();
    }

    /** One line: the seed, what was acknowledged and the anomalies by kind. */
    String summary() {
        return String.format(Locale.ROOT, "seed %d: %d faults, %d records acknowledged, %d anomalies %s",
                settings.seed(), faults.size(), history.acks().size(), anomalies.total(), anomalyCounts());
    }

    private Map<Kind, Long> anomalyCounts() {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, anomalies.count(kind));
        }
        return counts;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        line(out, "Sluice chaos run");
        line(out, "  seed %d (replay: -Dsluice.chaos.seed=%d), commit %s, started %s", settings.seed(),
                settings.seed(), commit, startedAt);
        line(out, "  faults for %s, whole run %s; %d producers (acks=all), 3 consumers; topic: 3 partitions, RF 3, "
                        + "min.insync.replicas 2; session timeout %s, replica lag time max %s", seconds(faultTime),
                seconds(total), settings.producers(), seconds(settings.sessionTimeout()),
                seconds(settings.lagTimeMax()));
        line(out, "");
        line(out, "Faults injected: %d", faults.size());
        Map<FaultKind, Integer> byKind = new EnumMap<>(FaultKind.class);
        faults.forEach(fault -> byKind.merge(fault.kind(), 1, Integer::sum));
        for (FaultKind kind : FaultKind.values()) {
            line(out, "  %-35s %d", kind, byKind.getOrDefault(kind, 0));
        }
        for (Fault fault : faults) {
            line(out, "  %s", fault);
        }
        line(out, "");
        line(out, "Records: %d sent, %d acknowledged, %d refused (nothing written, by contract), %d outcome unknown; "
                        + "%d reads by consumers", history.sentCount(), history.acks().size(),
                history.refusals().size(), history.unknownCount(), history.seen().size());
        line(out, "  failed records by error code: %s", history.errorsByCode());
        for (String event : history.consumerEvents()) {
            line(out, "  consumer: %s", event);
        }
        line(out, "");
        List<TransactionHistory.Transaction> txns = transactions.transactions();
        line(out, "Transactions: %d (%d records) on %s; %d records given to read_committed readers; %d probes of a "
                        + "leader's last stable offset", txns.size(),
                txns.stream().mapToLong(txn -> txn.records().size()).sum(), TransactionWorkload.TOPICS.keySet()
                        .stream().sorted().toList(), transactions.reads().size(), transactions.stableOffsetProbes());
        transactions.counts().forEach((outcome, count) -> line(out, "  %-35s %d", outcome, count));
        Map<String, Long> failures = new TreeMap<>();
        txns.stream().filter(txn -> txn.outcome() != TransactionHistory.Outcome.COMMITTED)
                .forEach(txn -> failures.merge(txn.outcome() + " " + txn.detail().replaceAll(" \\(.*", ""), 1L,
                        Long::sum));
        line(out, "  not committed, by answer: %s", failures);
        txns.stream().filter(txn -> txn.outcome() != TransactionHistory.Outcome.COMMITTED).limit(6)
                .forEach(txn -> line(out, "      %s %s %s: %s", txn.kind(), txn.id(), txn.outcome(), txn.detail()));
        for (String event : transactions.readerEvents()) {
            line(out, "  read_committed reader: %s", event);
        }
        line(out, "");
        line(out, "Anomalies: %d", anomalies.total());
        for (Kind kind : Kind.values()) {
            line(out, "  %-27s %d", kind, anomalies.count(kind));
            for (String example : anomalies.examples(kind)) {
                line(out, "      %s", example);
            }
        }
        line(out, "");
        List<Long> gaps = failovers.stream().filter(f -> f.nanos().isPresent()).map(f -> f.nanos().getAsLong())
                .sorted().toList();
        long without = failovers.stream().filter(f -> f.nanos().isEmpty()).count();
        line(out, "Failover (SIGKILL of a leader to the first acknowledged write to its partition sent after it): %d "
                        + "measured, p50 %s, max %s%s", gaps.size(), gaps.isEmpty() ? "-" : seconds(percentile(gaps, 50)),
                gaps.isEmpty() ? "-" : seconds(gaps.getLast()), without == 0 ? "" : "; " + without
                        + " with no acknowledged write afterwards");
        for (Failover failover : failovers) {
            line(out, "  fault #%d node %d partition %d: %s", failover.fault(), failover.node(), failover.partition(),
                    failover.nanos().isPresent() ? seconds(failover.nanos().getAsLong()) : "none");
        }
        if (!notes.isEmpty()) {
            line(out, "");
            line(out, "Notes:");
            notes.forEach(note -> line(out, "  %s", note));
        }
        return out.toString();
    }

    /** Writes the report to {@code target/chaos/chaos-<seed>-<time>.txt} and, if set, the settings' report file. */
    Path write() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "chaos"));
            Path file = dir.resolve("chaos-" + settings.seed() + "-" + startedAt.toEpochMilli() + ".txt");
            Files.writeString(file, text());
            if (!settings.reportFile().isBlank()) {
                Path extra = Path.of(settings.reportFile()).toAbsolutePath();
                Files.createDirectories(extra.getParent());
                Files.writeString(extra, text());
            }
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String seconds(Duration duration) {
        return seconds(duration.toNanos());
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
