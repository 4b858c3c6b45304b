package io.sluice.partition.cleaner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.log.CleanResult;
import io.sluice.log.LogCleaner;
import io.sluice.log.LogDirtiness;
import io.sluice.log.LogManager;
import io.sluice.log.Throttler;
import io.sluice.partition.PartitionProperties;
import io.sluice.web.TaggedGauges;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's {@link LogCleaner} on a thread of its own ("log-cleaner", never an event loop): cleans the
 * dirtiest compacted log, again at once while there is work, else after the backoff. Every replica cleans its own
 * log, leaders and followers alike, as in Kafka. Metrics: runs and bytes cleaned (counters), per partition the dirty
 * ratio and dirty bytes (the cleaner's lag), and the seconds since the last run.
 *
 * <p>{@link #start()} and {@link #stop()} are called by the node's life cycle; stop waits for the cleaning in
 * progress to give up at its next batch (the thread is never interrupted: an interrupt during file I/O would close a
 * segment's channel under its other readers) and must come before the logs close.
 */
public final class LogCleanerService {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleanerService.class);

    private final PartitionProperties.Cleaner settings;
    private final LogCleaner cleaner;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Counter runs;
    private final Counter bytesCleaned;
    private final Counter recordsRemoved;
    private final TaggedGauges dirtyRatio;
    private final TaggedGauges dirtyBytes;
    private volatile long lastRunMs;
    private volatile boolean stopping;
    private Thread thread;

    LogCleanerService(PartitionProperties.Cleaner settings, LogManager logs, Clock clock, MeterRegistry meters)
            throws IOException {
        this.settings = settings;
        this.clock = clock;
        Throttler throttler = settings.ioMaxBytesPerSecond() == null ? Throttler.unlimited()
                : new Throttler(settings.ioMaxBytesPerSecond().toBytes(), System::nanoTime, this::sleepNanos);
        this.cleaner = new LogCleaner(logs, clock, settings.dedupeBufferSize().toBytes(), throttler);
        this.lastRunMs = clock.millis();
        runs = Counter.builder("sluice.partition.cleaner.runs").description("Log cleanings done")
                .register(meters);
        bytesCleaned = Counter.builder("sluice.partition.cleaner.bytes.cleaned").baseUnit("bytes")
                .description("Bytes the log cleaner read, mapping keys and rewriting segments").register(meters);
        recordsRemoved = Counter.builder("sluice.partition.cleaner.records.removed").baseUnit("records")
                .description("Superseded records and expired tombstones the log cleaner removed").register(meters);
        dirtyRatio = new TaggedGauges(meters, "sluice.partition.cleaner.dirty.ratio",
                "Share of a compacted log's cleanable bytes not cleaned yet", null);
        dirtyBytes = new TaggedGauges(meters, "sluice.partition.cleaner.dirty",
                "Cleanable bytes of a compacted log not cleaned yet: the cleaner's lag", "bytes");
        Gauge.builder("sluice.partition.cleaner.time.since.last.run", this,
                        s -> (s.clock.millis() - s.lastRunMs) / 1000.0)
                .baseUnit("seconds").description("Seconds since the log cleaner last looked for work").register(meters);
    }

    public synchronized void start() {
        if (!settings.enabled() || thread != null) {
            return;
        }
        thread = Thread.ofPlatform().name("log-cleaner").daemon(true).start(this::run);
    }

    /** Stops the thread: the cleaning in progress gives up at its next batch. Waits up to {@code timeout}. */
    public synchronized void stop(Duration timeout) {
        stopping = true;
        cleaner.shutdown();
        stopped.countDown();
        if (thread != null) {
            try {
                thread.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("The log cleaner did not stop within {}; closing the logs anyway", timeout);
            }
        }
    }

    private void run() {
        while (!stopping) {
            Optional<CleanResult> result = Optional.empty();
            try {
                result = cleaner.cleanFilthiestLog();
                result.ifPresent(this::record);
            } catch (InterruptedException e) {
                return; // shutting down
            } catch (RuntimeException e) {
                LOG.warn("Log cleaner round failed: {}", e.toString());
            }
            lastRunMs = clock.millis();
            refreshDirtiness();
            // Straight on while cleanings rewrite something; a round that found nothing to rewrite waits.
            if (result.isEmpty() || result.get().segmentsBefore() == 0) {
                await(settings.backoff());
            }
        }
    }

    private void record(CleanResult result) {
        runs.increment();
        bytesCleaned.increment(result.bytesRead());
        recordsRemoved.increment(result.recordsRemoved());
    }

    private void refreshDirtiness() {
        Map<Tags, Number> ratios = new HashMap<>();
        Map<Tags, Number> bytes = new HashMap<>();
        for (LogDirtiness dirtiness : cleaner.dirtiness()) {
            Tags tags = Tags.of("topic", dirtiness.partition().topic(),
                    "partition", Integer.toString(dirtiness.partition().partition()));
            ratios.put(tags, dirtiness.dirtyRatio());
            bytes.put(tags, dirtiness.dirtyBytes());
        }
        dirtyRatio.replace(ratios);
        dirtyBytes.replace(bytes);
    }

    private void await(Duration duration) {
        try {
            stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /** The throttler's pause: parks (no interrupt involved) and gives up when the service stops. */
    private void sleepNanos(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !stopping; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        if (stopping) {
            throw new InterruptedException("the log cleaner is shutting down");
        }
    }
}
