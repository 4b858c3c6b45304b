package io.sluice.bench.load;

import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;

/**
 * The figures of one consume run: records and value bytes read over the elapsed time (first read or stream start to
 * the read that reached the target), fetch latency (JSON reads), and time to the first record. Printed as a human
 * report, Kafka ConsumerPerformance's two CSV lines (group join time 0: there is none) and a {@code RESULT} line.
 */
record ConsumeReport(LoadOptions options, long target, Throughput throughput, LatencySummary fetchLatency, long reads,
                     long longPolls, ErrorCounts errors, double firstRecordMs, boolean stalled, long startMillis,
                     ClientCpu clientCpu) {

    void print(PrintStream out) {
        out.println("== consume report");
        out.println("settings: " + String.join(" ", options.describe()));
        out.printf(Locale.ROOT, "records: read %d of %d wanted%s; value bytes %d%n", throughput.records(), target,
                stalled ? " (STALLED: no progress for " + options.timeoutMs() + " ms)" : "", throughput.bytes());
        if (errors.total() > 0) {
            out.print("failed reads by error_code:\n" + errors.details());
        }
        out.printf(Locale.ROOT, "throughput: %.1f records/s, %.2f MiB/s (value bytes / 2^20 / %.3f s elapsed)%n",
                throughput.recordsPerSecond(), throughput.mibPerSecond(), throughput.seconds());
        out.printf(Locale.ROOT, "first record after %.3f ms%n", firstRecordMs);
        if (!options.sse()) {
            out.printf("reads: %d (%d long polls of a caught-up partition, left out of the latency)%n", reads, longPolls);
            out.println("fetch latency (request -> whole answer): " + fetchLatency.human());
        }
        out.println(clientCpu.human());
        SimpleDateFormat time = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss:SSS", Locale.ROOT);
        long elapsedMs = throughput.elapsedNanos() / 1_000_000;
        double mib = throughput.bytes() / Throughput.MIB;
        out.println("kafka-format (ConsumerPerformance):");
        out.println("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec");
        out.printf(Locale.ROOT, "%s, %s, %.4f, %.4f, %d, %.4f, 0, %d, %.4f, %.4f%n", time.format(new Date(startMillis)),
                time.format(new Date(startMillis + elapsedMs)), mib, throughput.mibPerSecond(), throughput.records(),
                throughput.recordsPerSecond(), elapsedMs, throughput.mibPerSecond(), throughput.recordsPerSecond());
        out.println(resultLine());
    }

    ResultLine resultLine() {
        ResultLine line = new ResultLine("consume")
                .add("api", options.readApi().parameter())
                .add("topic", options.topic())
                .add("value_format", options.valueFormat().parameter())
                .add("max_records", options.sse() ? "-" : Integer.toString(options.maxRecords()))
                .add("max_bytes", options.sse() ? "-" : Integer.toString(options.maxBytes()))
                .add("target", target)
                .add("records", throughput.records())
                .add("bytes", throughput.bytes())
                .add("stalled", Boolean.toString(stalled))
                .add("errors", errors.compact())
                .add("elapsed_s", throughput.seconds(), 3)
                .add("rps", throughput.recordsPerSecond(), 1)
                .add("mibps", throughput.mibPerSecond(), 2)
                .add("first_record_ms", firstRecordMs, 3)
                .add("reads", reads);
        fetchLatency.addTo(line, "fetch");
        clientCpu.addTo(line);
        return line;
    }
}
