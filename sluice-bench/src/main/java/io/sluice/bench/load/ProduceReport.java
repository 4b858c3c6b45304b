package io.sluice.bench.load;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The figures of one produce run and how they are printed: a human report, the line Kafka's ProducerPerformance
 * prints (same format, so the peer harness' parser reads both), and a {@code RESULT} line.
 *
 * @param throughput     acknowledged records and their payload (value) bytes over the run's elapsed time: first
 *                       request due to last answer received
 * @param requestLatency see {@link ProduceStats}
 * @param recordLatency  see {@link ProduceStats}
 * @param bodyBytes      wire bytes of one full request body (NDJSON: one chunk), for reference
 * @param clientCpu      the generator's own CPU use over the run
 */
record ProduceReport(LoadOptions options, long sent, long acked, ErrorCounts errors, Throughput throughput,
                     LatencySummary requestLatency, LatencySummary recordLatency, int bodyBytes,
                     ClientCpu clientCpu) {

    void print(PrintStream out) {
        out.println("== produce report");
        out.println("settings: " + String.join(" ", options.describe()));
        out.printf(Locale.ROOT, "payload: %d value bytes per record (%s); one %s is %d bytes on the wire%n",
                options.recordSize(), options.valueFormat() == LoadOptions.ValueFormat.BINARY
                        ? "sent base64-encoded, value_format=binary" : "sent as ASCII text, value_format=string",
                options.ndjson() ? "NDJSON chunk" : "request body", bodyBytes);
        out.printf(Locale.ROOT, "records: sent %d, acked %d, failed %d%s%n", sent, acked, errors.total(),
                "all".equals(options.acks()) || "1".equals(options.acks()) ? ""
                        : " (acks=0: 'acked' means accepted by the gateway)");
        if (errors.total() > 0) {
            out.print("failures by error_code:\n" + errors.details());
        }
        out.printf(Locale.ROOT, "throughput: %.1f records/s, %.2f MiB/s (acked records x value bytes / 2^20 / %.3f s "
                + "elapsed)%n", throughput.recordsPerSecond(), throughput.mibPerSecond(), throughput.seconds());
        if (options.throughput() > 0 && throughput.recordsPerSecond() < 0.95 * options.throughput()) {
            out.printf(Locale.ROOT, "WARNING: below the target %.1f records/s; record latency counts from each "
                    + "record's scheduled time, so it includes the backlog%n", options.throughput());
        }
        out.println("request latency (start -> answer): " + requestLatency.human());
        out.println("record latency  (due -> ack):      " + recordLatency.human());
        out.println(clientCpu.human());
        out.println(kafkaLine());
        out.println(resultLine());
    }

    /** ProducerPerformance's closing line over the record latencies (its percentiles are whole ms, truncated). */
    String kafkaLine() {
        LatencySummary r = recordLatency;
        return String.format(Locale.ROOT, "kafka-format: %d records sent, %.1f records/sec (%.2f MB/sec), "
                        + "%.2f ms avg latency, %.2f ms max latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.",
                acked, throughput.recordsPerSecond(), throughput.mibPerSecond(), nan0(r.meanMs()), nan0(r.maxMs()),
                (long) nan0(r.p50Ms()), (long) nan0(r.p95Ms()), (long) nan0(r.p99Ms()), (long) nan0(r.p999Ms()));
    }

    ResultLine resultLine() {
        ResultLine line = new ResultLine("produce")
                .add("api", options.ndjson() ? "ndjson" : "json")
                .add("topic", options.topic())
                .add("acks", options.acks())
                .add("record_size", options.recordSize())
                .add("value_format", options.valueFormat().parameter())
                .add("records_per_request", options.recordsPerRequest())
                .add("concurrency", options.concurrency())
                .add("target_rps", options.throughput() < 0 ? "unlimited" : Double.toString(options.throughput()))
                .add("records", sent)
                .add("acked", acked)
                .add("failed", errors.total())
                .add("errors", errors.compact())
                .add("elapsed_s", throughput.seconds(), 3)
                .add("rps", throughput.recordsPerSecond(), 1)
                .add("mibps", throughput.mibPerSecond(), 2);
        requestLatency.addTo(line, "req");
        recordLatency.addTo(line, "rec");
        clientCpu.addTo(line);
        return line;
    }

    private static double nan0(double value) {
        return Double.isNaN(value) ? 0 : value;
    }
}
