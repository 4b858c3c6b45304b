package io.sluice.bench.load;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The figures of one e2e run: records sent, acknowledged, delivered on the SSE stream (missing: sent and not
 * delivered; duplicates: delivered twice), the send rate achieved, end-to-end latency (send start to SSE event read)
 * and produce ack latency (send start to produce answer). Printed as a human report, Kafka EndToEndLatency's two
 * closing lines, and a {@code RESULT} line.
 */
record EndToEndReport(LoadOptions options, long sent, long acked, ErrorCounts errors, long delivered, long missing,
                      long duplicates, Throughput sendRate, LatencySummary endToEnd, LatencySummary ack,
                      String streamFailure, ClientCpu clientCpu) {

    void print(PrintStream out) {
        out.println("== e2e report");
        out.println("settings: " + String.join(" ", options.describe()));
        out.printf(Locale.ROOT, "records: sent %d, acked %d, failed %d, delivered %d, missing %d, duplicates %d%n",
                sent, acked, errors.total(), delivered, missing, duplicates);
        if (errors.total() > 0) {
            out.print("failures by error_code:\n" + errors.details());
        }
        if (streamFailure != null) {
            out.println("SSE stream failed: " + streamFailure);
        }
        out.printf(Locale.ROOT, "send rate achieved: %.1f records/s over %.3f s%n", sendRate.recordsPerSecond(),
                sendRate.seconds());
        if (options.rate() > 0 && sendRate.recordsPerSecond() < 0.95 * options.rate()) {
            out.printf(Locale.ROOT, "WARNING: below the target %.1f records/s: %d requests in flight (--concurrency) "
                    + "were not enough at this latency, so records left late and the offered load was lower%n",
                    options.rate(), options.concurrency());
        }
        out.println("end-to-end latency (send start -> SSE record read): " + endToEnd.human());
        out.println("produce ack latency (send start -> produce answer): " + ack.human());
        out.println(clientCpu.human());
        out.println("kafka-format (EndToEndLatency):");
        out.printf(Locale.ROOT, "Avg latency: %.4f ms%n", Double.isNaN(endToEnd.meanMs()) ? 0 : endToEnd.meanMs());
        out.printf(Locale.ROOT, "Percentiles: 50th = %d, 99th = %d, 99.9th = %d%n", whole(endToEnd.p50Ms()),
                whole(endToEnd.p99Ms()), whole(endToEnd.p999Ms()));
        out.println(resultLine());
    }

    ResultLine resultLine() {
        ResultLine line = new ResultLine("e2e")
                .add("topic", options.topic())
                .add("acks", options.acks())
                .add("record_size", options.recordSize())
                .add("value_format", options.valueFormat().parameter())
                .add("target_rps", options.rate() == 0 ? "one-in-flight" : Double.toString(options.rate()))
                .add("records", sent)
                .add("acked", acked)
                .add("failed", errors.total())
                .add("errors", errors.compact())
                .add("delivered", delivered)
                .add("missing", missing)
                .add("duplicates", duplicates)
                .add("send_rps", sendRate.recordsPerSecond(), 1);
        endToEnd.addTo(line, "e2e");
        ack.addTo(line, "ack");
        clientCpu.addTo(line);
        return line;
    }

    private static long whole(double ms) {
        return Double.isNaN(ms) ? 0 : (long) ms;
    }
}
