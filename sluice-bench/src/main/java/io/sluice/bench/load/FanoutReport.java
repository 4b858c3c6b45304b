package io.sluice.bench.load;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The figures of one fanout run: streams opened and positioned (and how long that took, NaN when not all were),
 * records sent and acknowledged, whether every subscriber got every acknowledged record ({@link FanoutTally}), the
 * send to delivery latency over every first delivery (subscribers x records samples), deliveries per second from the
 * first send to the last delivery, and the gateway's SSE fetches at leaders over the measured window
 * ({@code fetches} null when its metrics could not be read; {@code fetchFailure} says why). Printed as a human
 * report and a {@code RESULT} line.
 */
record FanoutReport(LoadOptions options, int opened, int positioned, ErrorCounts streamFailures, double openSeconds,
                    double positionSeconds, long sent, long acked, ErrorCounts errors, Throughput sendRate,
                    FanoutTally.Completeness completeness, Throughput deliveryRate, LatencySummary endToEnd,
                    double e2eP90Ms, LatencySummary ack, SseFetchCounters fetches, long fetchWindowNanos,
                    String fetchFailure, ClientCpu clientCpu) {

    /** Whether the run showed what it set out to: every subscriber streaming, every record acked and delivered. */
    boolean clean() {
        return positioned == options.subscribers() && streamFailures.total() == 0 && errors.total() == 0
                && completeness.missing() == 0 && completeness.duplicates() == 0 && acked > 0;
    }

    double fetchesPerSecond() {
        return fetches == null || fetchWindowNanos <= 0 ? Double.NaN : fetches.total() / (fetchWindowNanos / 1e9);
    }

    double fetchesPerRecord() {
        return fetches == null || acked == 0 ? Double.NaN : fetches.total() / acked;
    }

    void print(PrintStream out) {
        out.println("== fanout report");
        out.println("settings: " + String.join(" ", options.describe()));
        out.printf(Locale.ROOT, "subscribers: %d requested, %d opened (all in %s s), %d positioned on a probe "
                        + "(all in %s s), %d streams failed%n", options.subscribers(), opened, fixed(openSeconds),
                positioned, fixed(positionSeconds), streamFailures.total());
        if (streamFailures.total() > 0) {
            out.print("stream failures by cause:\n" + streamFailures.details("streams"));
        }
        out.printf(Locale.ROOT, "records: sent %d, acked %d, failed %d%n", sent, acked, errors.total());
        if (errors.total() > 0) {
            out.print("failures by error_code:\n" + errors.details());
        }
        out.printf(Locale.ROOT, "send rate achieved: %.1f records/s over %.3f s%n", sendRate.recordsPerSecond(),
                sendRate.seconds());
        if (sendRate.recordsPerSecond() < 0.95 * options.rate()) {
            out.printf(Locale.ROOT, "WARNING: below the target %.1f records/s, so the offered load was lower%n",
                    options.rate());
        }
        out.printf(Locale.ROOT, "completeness: %d of %d subscribers got every acked record; %d deliveries missing, "
                        + "%d duplicates, %d deliveries of records not acked%n", completeness.complete(),
                completeness.subscribers(), completeness.missing(), completeness.duplicates(),
                completeness.unacknowledged());
        out.printf(Locale.ROOT, "deliveries: %d (%.1f events/s from the first send to the last delivery, %.3f s)%n",
                deliveryRate.records(), deliveryRate.recordsPerSecond(), deliveryRate.seconds());
        out.println("end-to-end latency (send start -> SSE record parsed, every delivery): " + endToEnd.human()
                + ", p90 " + LatencySummary.fixed(e2eP90Ms));
        out.println("produce ack latency (send start -> produce answer): " + ack.human());
        if (fetches == null) {
            out.println("leader fetches: unknown (" + fetchFailure + ")");
        } else {
            out.printf(Locale.ROOT, "leader fetches by the gateway's SSE streams: %.0f (%.0f shared-tail long polls, "
                            + "%.0f own reads) over %.3f s: %.1f fetches/s, %.3f per acked record%n", fetches.total(),
                    fetches.tail(), fetches.own(), fetchWindowNanos / 1e9, fetchesPerSecond(), fetchesPerRecord());
            out.println("  (the gateway's counters have no topic tag: any other SSE stream on it is counted too)");
        }
        out.println(clientCpu.human());
        out.println("  (every SSE stream is decoded on one event loop thread: near 100% of one core, the generator "
                + "may be what limits delivery)");
        out.println(resultLine());
    }

    ResultLine resultLine() {
        ResultLine line = new ResultLine("fanout")
                .add("topic", options.topic())
                .add("acks", options.acks())
                .add("record_size", options.recordSize())
                .add("value_format", options.valueFormat().parameter())
                .add("target_rps", options.rate(), 1)
                .add("subscribers", options.subscribers())
                .add("opened", opened)
                .add("positioned", positioned)
                .add("streams_failed", streamFailures.total())
                .add("open_s", openSeconds, 3)
                .add("position_s", positionSeconds, 3)
                .add("records", sent)
                .add("acked", acked)
                .add("failed", errors.total())
                .add("errors", errors.compact())
                .add("send_rps", sendRate.recordsPerSecond(), 1)
                .add("complete_subscribers", completeness.complete())
                .add("missing", completeness.missing())
                .add("duplicates", completeness.duplicates())
                .add("deliveries", deliveryRate.records())
                .add("deliveries_per_s", deliveryRate.recordsPerSecond(), 1);
        endToEnd.addTo(line, "e2e");
        line.add("e2e_p90_ms", e2eP90Ms, 3);
        ack.addTo(line, "ack");
        line.add("leader_fetches", fetches == null ? Double.NaN : fetches.total(), 0)
                .add("leader_tail_fetches", fetches == null ? Double.NaN : fetches.tail(), 0)
                .add("leader_own_fetches", fetches == null ? Double.NaN : fetches.own(), 0)
                .add("leader_fetches_per_s", fetchesPerSecond(), 2)
                .add("leader_fetches_per_record", fetchesPerRecord(), 3);
        clientCpu.addTo(line);
        return line;
    }

    private static String fixed(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
