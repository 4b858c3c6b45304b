package io.sluice.bench.load;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a produce run counts, written by many workers at once and read by the progress reporter: records sent,
 * acknowledged and failed (by cause), and two latency histograms in microseconds:
 * <ul>
 *   <li>request latency: request start (just before the body is handed to the HTTP client) to the whole answer
 *       received, for every request that got an HTTP answer (NDJSON: chunk written to its last result read);</li>
 *   <li>record latency: a record's due time to its acknowledgement, for acknowledged records only. A record is due
 *       when the pacer schedules it ({@code --throughput}), or when its request starts if unlimited; so under a
 *       target rate it includes time spent waiting for a free worker, as Kafka's per-record latency includes time in
 *       the producer's buffers.</li>
 * </ul>
 * Recording is wait-free (HdrHistogram {@link Recorder}); {@link #interval} drains both into the run totals.
 */
final class ProduceStats {

    final LongAdder sent = new LongAdder();
    final LongAdder acked = new LongAdder();
    final ErrorCounts errors = new ErrorCounts();
    final AtomicLong lastAnswerNanos = new AtomicLong();
    private final Recorder requests = new Recorder(3);
    private final Recorder records = new Recorder(3);
    private final Histogram requestTotal = LatencySummary.microsHistogram();
    private final Histogram recordTotal = LatencySummary.microsHistogram();
    private long lastAcked;
    private long lastIntervalNanos;

    ProduceStats(long startNanos) {
        this.lastIntervalNanos = startNanos;
    }

    void request(long startNanos, long endNanos) {
        requests.recordValue(micros(endNanos - startNanos));
        lastAnswerNanos.accumulateAndGet(endNanos, Math::max);
    }

    void ackedRecords(long latencyNanos, int count) {
        if (count > 0) {
            records.recordValueWithCount(micros(latencyNanos), count);
        }
    }

    /** Drains the recorders into the totals; returns a progress line over the interval since the last call. */
    synchronized String interval(long nowNanos, long startNanos, int recordSize) {
        Histogram req = requests.getIntervalHistogram();
        Histogram rec = records.getIntervalHistogram();
        requestTotal.add(req);
        recordTotal.add(rec);
        long ackedNow = acked.sum();
        double seconds = (nowNanos - lastIntervalNanos) / 1e9;
        Throughput window = new Throughput(ackedNow - lastAcked, (ackedNow - lastAcked) * recordSize,
                nowNanos - lastIntervalNanos);
        lastAcked = ackedNow;
        lastIntervalNanos = nowNanos;
        LatencySummary r = LatencySummary.of(req);
        return String.format(Locale.ROOT, "%7.1f s: %d acked (%d sent, %d failed); last %.1f s: %.1f records/s, "
                        + "%.2f MiB/s, request p50 %s p99 %s max %s ms", (nowNanos - startNanos) / 1e9, ackedNow,
                sent.sum(), errors.total(), seconds, window.recordsPerSecond(), window.mibPerSecond(),
                LatencySummary.fixed(r.p50Ms()), LatencySummary.fixed(r.p99Ms()), LatencySummary.fixed(r.maxMs()));
    }

    /** Totals after {@link #interval} drained the last samples. */
    synchronized LatencySummary requestLatency() {
        return LatencySummary.of(requestTotal);
    }

    synchronized LatencySummary recordLatency() {
        return LatencySummary.of(recordTotal);
    }

    static long micros(long nanos) {
        return Math.max(0, nanos / 1000);
    }
}
