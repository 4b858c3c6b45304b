package io.sluice.bench.log;

import io.sluice.log.FileRegion;
import io.sluice.log.LogConfig;
import io.sluice.log.LogReadResult;
import io.sluice.log.PartitionLog;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Append and read throughput of one {@link PartitionLog} against the raw sequential write bandwidth of the same
 * disk. A report, not a test: it prints figures and asserts nothing.
 *
 * <pre>
 *   java -cp … io.sluice.bench.log.LogAppendBenchmark [--bytes=1g] [--flush-bytes=64m] [--reps=3] [--dir=/path]
 * </pre>
 *
 * Cases, each on fresh files in a temporary directory (on the disk of {@code --dir}, default java.io.tmpdir), after
 * a warm-up pass, repeated and interleaved (medians reported, since the machine may be shared):
 * <ol>
 *   <li>raw: a plain FileChannel writing the same 64 KiB batch bytes sequentially, no fsync;</li>
 *   <li>log append, flush off (Kafka's default): {@code appendAsLeader} of 64 KiB batches of 1 KiB records;</li>
 *   <li>log append with {@code flush.messages=1} (fsync per batch), next to raw writes with an fsync per batch;</li>
 *   <li>sequential read of the log written in case 2: 1 MiB reads whose regions are transferred to /dev/null. The
 *       kernel's null device discards spliced pages without copying them, so this measures the log's read path
 *       (index lookups, header reads, system calls) over the page cache, not memory or disk bandwidth.</li>
 * </ol>
 * Timings exclude the final close (whose flush writes back what the page cache still holds); each case starts after
 * the previous one's files were fsynced and deleted, so write-back of one case does not slow the next.
 */
public final class LogAppendBenchmark {

    private static final int RECORD_SIZE = 1024;
    private static final int RECORDS_PER_BATCH = 64;
    private static final int READ_SIZE = 1 << 20;
    private static final long SEGMENT_FILE_BYTES = LogConfig.DEFAULT_SEGMENT_BYTES;

    private final Path root;
    private final ByteBuffer batch;

    private LogAppendBenchmark(Path root) {
        this.root = root;
        this.batch = buildBatch();
    }

    public static void main(String[] args) throws IOException {
        long bytes = 1L << 30;
        long flushBytes = 64L << 20;
        int reps = 3;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (String arg : args) {
            if (arg.startsWith("--bytes=")) {
                bytes = parseSize(arg.substring("--bytes=".length()));
            } else if (arg.startsWith("--flush-bytes=")) {
                flushBytes = parseSize(arg.substring("--flush-bytes=".length()));
            } else if (arg.startsWith("--reps=")) {
                reps = Integer.parseInt(arg.substring("--reps=".length()));
            } else if (arg.startsWith("--dir=")) {
                parent = Path.of(arg.substring("--dir=".length()));
            } else {
                System.err.println("usage: LogAppendBenchmark [--bytes=1g] [--flush-bytes=64m] [--reps=3] "
                        + "[--dir=/path]");
                System.exit(2);
            }
        }
        Path root = Files.createTempDirectory(Files.createDirectories(parent), "sluice-log-bench");
        try {
            new LogAppendBenchmark(root).run(bytes, flushBytes, reps);
        } finally {
            deleteRecursively(root);
        }
    }

    private void run(long bytes, long flushBytes, int reps) throws IOException {
        System.out.printf(Locale.ROOT, "sluice-log append benchmark: %s per case (%s with fsync), %d repetitions, "
                        + "batch %d bytes (%d records of %d bytes), dir %s, java %s, %d cpus%n", human(bytes),
                human(flushBytes), reps, batch.remaining(), RECORDS_PER_BATCH, RECORD_SIZE, root, Runtime.version(),
                Runtime.getRuntime().availableProcessors());

        long warmup = Math.min(bytes, 128L << 20);
        rawWrite(warmup, false);
        logAppend(warmup, LogConfig.defaults(), false);

        // Cases alternate within each repetition so that load from elsewhere on the machine hits both alike.
        List<Result> raw = new ArrayList<>();
        List<Result> append = new ArrayList<>();
        List<Result> read = new ArrayList<>();
        List<Result> rawFsync = new ArrayList<>();
        List<Result> appendFsync = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            raw.add(rawWrite(bytes, false));
            append.add(logAppend(bytes, LogConfig.defaults(), true));
            read.add(lastRead);
            rawFsync.add(rawWrite(flushBytes, true));
            appendFsync.add(logAppend(flushBytes, LogConfig.defaults().withFlushMessages(1), false));
            System.out.printf(Locale.ROOT, "  rep %d: raw %.0f, append %.0f, read %.0f, raw+fsync %.1f, "
                            + "append+fsync %.1f MB/s%n", rep + 1, raw.getLast().mbPerSecond(),
                    append.getLast().mbPerSecond(), read.getLast().mbPerSecond(), rawFsync.getLast().mbPerSecond(),
                    appendFsync.getLast().mbPerSecond());
        }

        System.out.println();
        System.out.println("median of " + reps + " [min - max]");
        print("1  raw FileChannel write, no fsync", raw);
        print("2  PartitionLog.appendAsLeader, flush off", append);
        print("3a raw FileChannel write + fsync per batch", rawFsync);
        print("3b PartitionLog.appendAsLeader, flush.messages=1", appendFsync);
        print("4  PartitionLog read + transferTo /dev/null", read);
        System.out.printf(Locale.ROOT, "%nappend/raw, flush off:          %5.1f %% (median of per-repetition ratios)%n",
                medianRatio(append, raw));
        System.out.printf(Locale.ROOT, "append/raw, fsync every batch:  %5.1f %%%n",
                medianRatio(appendFsync, rawFsync));
    }

    private Result lastRead;

    /** Case 1 and 3a: the same bytes through a plain FileChannel, rolling files at the segment size. */
    private Result rawWrite(long totalBytes, boolean fsyncEachBatch) throws IOException {
        Path dir = Files.createDirectories(root.resolve("raw"));
        int batchBytes = batch.remaining();
        long batches = totalBytes / batchBytes;
        FileChannel channel = null;
        long fileBytes = SEGMENT_FILE_BYTES;
        int files = 0;
        long start = System.nanoTime();
        for (long i = 0; i < batches; i++) {
            if (fileBytes + batchBytes > SEGMENT_FILE_BYTES) {
                if (channel != null) {
                    channel.close();
                }
                channel = FileChannel.open(dir.resolve("raw-" + files++), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                fileBytes = 0;
            }
            ByteBuffer source = batch.duplicate();
            while (source.hasRemaining()) {
                fileBytes += channel.write(source);
            }
            if (fsyncEachBatch) {
                channel.force(false);
            }
        }
        long elapsed = System.nanoTime() - start;
        channel.force(false);
        channel.close();
        deleteRecursively(dir);
        return new Result(batches * batchBytes, batches * RECORDS_PER_BATCH, elapsed);
    }

    /** Case 2 and 3b (and case 4 after case 2): appends to a fresh partition log. */
    private Result logAppend(long totalBytes, LogConfig config, boolean measureRead) throws IOException {
        Path dir = root.resolve("bench-0");
        int batchBytes = batch.remaining();
        long batches = totalBytes / batchBytes;
        Result result;
        try (PartitionLog log = PartitionLog.open(dir, config, Clock.systemUTC())) {
            long start = System.nanoTime();
            for (long i = 0; i < batches; i++) {
                log.appendAsLeader(batch.duplicate(), 1);
            }
            long elapsed = System.nanoTime() - start;
            result = new Result(batches * batchBytes, batches * RECORDS_PER_BATCH, elapsed);
            if (measureRead) {
                lastRead = sequentialRead(log);
            }
        }
        deleteRecursively(dir);
        return result;
    }

    /** Case 4: reads the whole log front to back in 1 MiB reads, sending each region to /dev/null. */
    private Result sequentialRead(PartitionLog log) throws IOException {
        try (FileChannel devNull = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE)) {
            long offset = log.logStartOffset();
            long end = log.logEndOffset();
            long bytes = 0;
            long start = System.nanoTime();
            while (offset < end) {
                LogReadResult result = log.readForFollower(offset, READ_SIZE);
                FileRegion region = result.records();
                bytes += region.transferTo(devNull);
                offset = region.isEmpty() ? end : result.nextFetchOffset();
            }
            long elapsed = System.nanoTime() - start;
            return new Result(bytes, (end - log.logStartOffset()), elapsed);
        }
    }

    private static ByteBuffer buildBatch() {
        Random random = new Random(42);
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE,
                RECORDS_PER_BATCH * (RECORD_SIZE + 16));
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            byte[] value = new byte[RECORD_SIZE];
            random.nextBytes(value);
            builder.append(System.currentTimeMillis(), null, value);
        }
        ByteBuffer heap = builder.build();
        // Request bodies arrive in direct (network) buffers; writing from one avoids the JDK's copy to a direct one.
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining());
        direct.put(heap).flip();
        return direct;
    }

    private record Result(long bytes, long records, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }

        double mbPerSecond() {
            return bytes / 1e6 / seconds();
        }

        double recordsPerSecond() {
            return records / seconds();
        }
    }

    private static void print(String name, List<Result> results) {
        List<Result> sorted = results.stream().sorted(Comparator.comparingDouble(Result::mbPerSecond)).toList();
        Result median = sorted.get(sorted.size() / 2);
        System.out.printf(Locale.ROOT, "%-50s %8.1f MB/s [%7.1f - %7.1f] %10.0f records/s  (%s per run)%n", name,
                median.mbPerSecond(), sorted.getFirst().mbPerSecond(), sorted.getLast().mbPerSecond(),
                median.recordsPerSecond(), human(median.bytes()));
    }

    private static double medianRatio(List<Result> measured, List<Result> baseline) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            ratios.add(100.0 * measured.get(i).mbPerSecond() / baseline.get(i).mbPerSecond());
        }
        ratios.sort(null);
        return ratios.get(ratios.size() / 2);
    }

    private static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }

    private static String human(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
