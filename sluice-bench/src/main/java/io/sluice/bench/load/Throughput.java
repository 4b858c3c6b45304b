package io.sluice.bench.load;

/**
 * Records and payload bytes moved in an elapsed time. Rates use MiB (2^20 bytes), as Kafka's perf tools do when they
 * print "MB/sec".
 */
public record Throughput(long records, long bytes, long elapsedNanos) {

    static final double MIB = 1 << 20;

    public double seconds() {
        return elapsedNanos / 1e9;
    }

    public double recordsPerSecond() {
        return elapsedNanos <= 0 ? 0 : records / seconds();
    }

    public double mibPerSecond() {
        return elapsedNanos <= 0 ? 0 : bytes / MIB / seconds();
    }
}
