package io.sluice.bench.codec;

import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Throughput of the record batch v2 codec: {@link #encode} builds one batch with {@link RecordBatchBuilder} from
 * records with 16-byte keys and 1 KiB values, {@link #decode} reads it back ({@code readFrom} + {@code ensureValid}
 * + {@code records()}). Parameters: the batch's uncompressed size ({@code batchBytes}: 16 KiB = 16 records,
 * 1 MiB = 1024 records) and its compression (NONE, LZ4). Values are JSON-like events with random ids and a
 * payload of vocabulary words, so LZ4 has something realistic to compress (the ratio is printed at setup).
 *
 * <p>Besides JMH's batches per second, the {@link Bytes#uncompressedMB} counter reports MB/s (10^6 bytes per
 * second) of uncompressed batch bytes, i.e. the bytes the batch takes without compression. Run it with
 * {@code java -jar sluice-bench/target/benchmarks.jar RecordBatchCodecBenchmark}, or through {@link #main}, which
 * takes the same JMH options and ends with a table of MB/s per case:
 * <pre>
 * java -cp sluice-bench/target/benchmarks.jar io.sluice.bench.codec.RecordBatchCodecBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class RecordBatchCodecBenchmark {

    static final int KEY_SIZE = 16;
    static final int VALUE_SIZE = 1024;
    private static final String COUNTER = "uncompressedMB";

    @Param({"16384", "1048576"})
    public int batchBytes;

    @Param({"NONE", "LZ4"})
    public CompressionType compression;

    private byte[][] keys;
    private byte[][] values;
    private long baseTimestamp;
    private ByteBuffer encoded;
    private double uncompressedMegabytes;

    /** Counts the uncompressed megabytes handled; JMH reports the count per second, i.e. MB/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {

        public double uncompressedMB;

        @Setup(Level.Iteration)
        public void reset() {
            uncompressedMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void prepare() {
        int records = batchBytes / VALUE_SIZE;
        Random random = new Random(42);
        keys = new byte[records][];
        values = new byte[records][];
        for (int i = 0; i < records; i++) {
            keys[i] = String.format(Locale.ROOT, "user-%011d", random.nextInt(1_000_000)).getBytes(StandardCharsets.US_ASCII);
            values[i] = jsonLikeValue(random);
        }
        baseTimestamp = 1_700_000_000_000L;
        RecordBatchBuilder uncompressed = fill(RecordBatchBuilder.of(CompressionType.NONE, batchBytes + batchBytes / 8));
        uncompressedMegabytes = uncompressed.build().remaining() / 1e6;
        encoded = fill(RecordBatchBuilder.of(compression, batchBytes + batchBytes / 8)).build();
        RecordBatch check = RecordBatch.readFrom(encoded.duplicate());
        check.ensureValid();
        if (check.records().size() != records) {
            throw new IllegalStateException("benchmark batch does not decode to " + records + " records");
        }
        System.out.printf(Locale.ROOT, "%n%s batch: %d records, %.1f KB uncompressed, %.1f KB encoded (ratio %.2f)%n",
                compression, records, uncompressedMegabytes * 1e3, encoded.remaining() / 1e3,
                uncompressedMegabytes * 1e6 / encoded.remaining());
    }

    @Benchmark
    public ByteBuffer encode(Bytes bytes) {
        ByteBuffer batch = fill(RecordBatchBuilder.of(compression, batchBytes + batchBytes / 8)).build();
        bytes.uncompressedMB += uncompressedMegabytes;
        return batch;
    }

    @Benchmark
    public List<Record> decode(Bytes bytes) {
        RecordBatch batch = RecordBatch.readFrom(encoded.duplicate());
        batch.ensureValid();
        List<Record> records = batch.records();
        bytes.uncompressedMB += uncompressedMegabytes;
        return records;
    }

    private RecordBatchBuilder fill(RecordBatchBuilder builder) {
        for (int i = 0; i < keys.length; i++) {
            builder.append(baseTimestamp + i, keys[i], values[i]);
        }
        return builder;
    }

    private static final String[] WORDS = ("order customer product cart checkout payment shipped delivered returned "
            + "refund invoice account login logout search filter category price discount coupon review rating "
            + "warehouse stock quantity address city country region session device mobile desktop browser "
            + "campaign referrer banner click view scroll").split(" ");

    /**
     * A 1 KiB JSON-ish event: fixed field names, random ids and numbers, and a payload of words from a small
     * vocabulary, so it compresses about as well as typical event data (a few times with LZ4), not trivially.
     */
    private static byte[] jsonLikeValue(Random random) {
        StringBuilder json = new StringBuilder(VALUE_SIZE);
        json.append("{\"type\":\"").append(random.nextBoolean() ? "page_view" : "click")
                .append("\",\"session\":\"").append(Long.toHexString(random.nextLong()))
                .append("\",\"ts\":").append(1_700_000_000_000L + random.nextInt(1_000_000))
                .append(",\"path\":\"/products/").append(random.nextInt(5_000))
                .append("\",\"payload\":\"");
        while (json.length() < VALUE_SIZE - 2) {
            String word = random.nextInt(8) == 0 ? Integer.toString(random.nextInt(100_000)) : WORDS[random.nextInt(WORDS.length)];
            json.append(word, 0, Math.min(word.length(), VALUE_SIZE - 2 - json.length()));
            if (json.length() < VALUE_SIZE - 2) {
                json.append(' ');
            }
        }
        json.append("\"}");
        return json.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs the benchmark with JMH command-line options and prints MB/s per case after JMH's own report. */
    public static void main(String[] args) throws RunnerException, org.openjdk.jmh.runner.options.CommandLineOptionException {
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(RecordBatchCodecBenchmark.class.getName())
                .build();
        printMegabytesPerSecond(new Runner(options).run());
    }

    private static void printMegabytesPerSecond(Collection<RunResult> results) {
        System.out.println();
        System.out.println("Record batch codec throughput, MB/s of uncompressed batch bytes (1 MB = 10^6 bytes):");
        System.out.printf(Locale.ROOT, "%-8s %-11s %-6s %12s %10s %14s%n",
                "op", "batchBytes", "codec", "MB/s", "± MB/s", "batches/s");
        for (RunResult result : results) {
            String method = result.getParams().getBenchmark();
            Result<?> megabytes = result.getSecondaryResults().get(COUNTER);
            Result<?> batches = result.getPrimaryResult();
            System.out.printf(Locale.ROOT, "%-8s %-11s %-6s %12.1f %10.1f %14.1f%n",
                    method.substring(method.lastIndexOf('.') + 1),
                    result.getParams().getParam("batchBytes"), result.getParams().getParam("compression"),
                    megabytes.getScore(), megabytes.getScoreError(), batches.getScore());
        }
    }
}
