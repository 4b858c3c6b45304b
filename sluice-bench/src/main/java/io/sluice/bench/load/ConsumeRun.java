package io.sluice.bench.load;

import io.sluice.bench.load.GatewayClient.TopicInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Reads a topic from its earliest offsets until {@code --num-records} records (default: what the topic held when the
 * run started). JSON and raw mode: one reader thread per partition, each with one read in flight, reading
 * {@code max_records}/{@code max_bytes} pages from where the last one ended, with {@code wait_ms} only once its
 * partition is caught up. SSE mode: one {@code text/event-stream} of the whole topic from {@code offset=earliest}.
 * A run that makes no progress for {@code --timeout-ms} stops and says so.
 */
final class ConsumeRun {

    private final LoadOptions options;
    private final GatewayClient gateway;
    private final PrintStream out;

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder longPolls = new LongAdder();
    private final ErrorCounts errors = new ErrorCounts();
    private final Recorder fetches = new Recorder(3);
    private final Histogram fetchTotal = LatencySummary.microsHistogram();
    private final AtomicLong firstRecordNanos = new AtomicLong();
    private final AtomicLong doneNanos = new AtomicLong();
    private final AtomicLong progressNanos = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private long lastRecords;
    private long lastIntervalNanos;

    ConsumeRun(LoadOptions options, GatewayClient gateway, PrintStream out) {
        this.options = options;
        this.gateway = gateway;
        this.out = out;
    }

    ConsumeReport run() throws IOException, InterruptedException {
        TopicInfo topic = gateway.awaitReady(options.topic());
        long target = options.numRecords() > 0 ? options.numRecords() : topic.records();
        if (target <= 0) {
            throw new IOException("topic " + options.topic() + " holds no records; produce first or give --num-records");
        }
        out.printf(Locale.ROOT, "consuming %d records of %s (%d partitions, %d records at start)%n", target,
                options.topic(), topic.partitions().size(), topic.records());
        long startMillis = System.currentTimeMillis();
        long cpuStart = ClientCpu.processCpuNanos();
        long start = System.nanoTime();
        lastIntervalNanos = start;
        progressNanos.set(start);
        try (Progress progress = new Progress(out, options.reportIntervalMs(), () -> interval(start))) {
            if (options.sse()) {
                stream(target, start);
            } else {
                List<Thread> readers = new ArrayList<>();
                for (GatewayClient.PartitionInfo p : topic.partitions()) {
                    HttpClient client = gateway.client(p.partition());
                    readers.add(Thread.ofPlatform().name("read-" + p.partition())
                            .start(() -> readPartition(client, p.partition(), target)));
                }
                for (Thread reader : readers) {
                    reader.join();
                }
            }
        }
        interval(start);
        boolean stalled = doneNanos.get() == 0;
        long end = stalled ? progressNanos.get() : doneNanos.get();
        long first = firstRecordNanos.get();
        return new ConsumeReport(options, target, new Throughput(records.sum(), bytes.sum(), end - start),
                LatencySummary.of(fetchTotal), reads.sum(), longPolls.sum(), errors,
                first == 0 ? Double.NaN : (first - start) / 1e6, stalled, startMillis,
                ClientCpu.since(cpuStart, start));
    }

    private void readPartition(HttpClient client, int partition, long target) {
        String offset = "earliest";
        boolean caughtUp = false;
        while (!stop.get()) {
            if (System.nanoTime() - progressNanos.get() > options.timeoutMs() * 1_000_000L) {
                stop.set(true);
                return;
            }
            long wait = caughtUp ? options.waitMs() : 0;
            boolean raw = options.readApi() == LoadOptions.ReadApi.RAW;
            HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.readUri(options.topic(), partition, offset,
                            options.maxRecords(), options.maxBytes(), wait, raw ? null : options.valueFormat().parameter()))
                    .timeout(gateway.timeout().plusMillis(wait)).GET();
            HttpRequest request = (raw ? builder.header("Accept", ReadCounter.RAW_MEDIA_TYPE) : builder).build();
            long started = System.nanoTime();
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                long ended = System.nanoTime();
                reads.increment();
                if (response.statusCode() != 200) {
                    ProduceResults.Counted problem = ProduceResults.ofResponse(response.statusCode(), response.body(), 1);
                    problem.addTo(errors);
                    Thread.sleep(100);
                    continue;
                }
                ReadCounter.ReadPage page = raw ? ReadCounter.rawPage(response.body(), response.headers(),
                        offset.equals("earliest") ? 0 : Long.parseLong(offset))
                        : ReadCounter.page(response.body(), options.valueFormat());
                if (wait == 0) {
                    fetches.recordValue(ProduceStats.micros(ended - started));
                } else {
                    longPolls.increment();
                }
                if (page.records() > 0) {
                    firstRecordNanos.compareAndSet(0, ended);
                    progressNanos.accumulateAndGet(ended, Math::max);
                    bytes.add(page.valueBytes());
                    records.add(page.records());
                    if (records.sum() >= target && doneNanos.compareAndSet(0, ended)) {
                        stop.set(true);
                    }
                }
                offset = Long.toString(page.nextOffset());
                caughtUp = page.nextOffset() >= page.highWatermark();
            } catch (IOException | RuntimeException e) {
                errors.add(e instanceof IOException ? "IO_ERROR" : "UNREADABLE_ANSWER", 1, e.toString());
                sleepQuietly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stream(long target, long start) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(gateway.streamUri(options.topic(), "earliest",
                        options.valueFormat().parameter()))
                .header("Accept", "text/event-stream").GET().build();
        // The reading happens on its own thread so a silent stream can be given up after --timeout-ms.
        Thread reader = Thread.ofPlatform().name("sse").daemon(true).start(() -> {
            try {
                HttpResponse<InputStream> response = gateway.client(0).send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body();
                     BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16)) {
                    if (response.statusCode() != 200) {
                        errors.add("HTTP_" + response.statusCode(), 1, lines.readLine());
                        return;
                    }
                    SseEvents events = new SseEvents();
                    String line;
                    while (!stop.get() && (line = lines.readLine()) != null) {
                        SseEvents.Event event = events.accept(line);
                        if (event == null) {
                            continue;
                        }
                        long now = System.nanoTime();
                        if (event.event().equals("error")) {
                            errors.add("SSE_ERROR", 1, event.data());
                            return;
                        }
                        if (!event.event().equals("record")) {
                            continue;
                        }
                        firstRecordNanos.compareAndSet(0, now);
                        progressNanos.set(now);
                        bytes.add(ReadCounter.recordValueBytes(event.data(), options.valueFormat()));
                        records.increment();
                        if (records.sum() >= target) {
                            doneNanos.compareAndSet(0, now);
                            return;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!stop.get()) {
                    errors.add("IO_ERROR", 1, e.toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (reader.isAlive()) {
            reader.join(100);
            if (reader.isAlive() && System.nanoTime() - progressNanos.get() > options.timeoutMs() * 1_000_000L) {
                stop.set(true);
                reader.interrupt();
                break;
            }
        }
        stop.set(true);
    }

    private synchronized String interval(long start) {
        long now = System.nanoTime();
        Histogram window = fetches.getIntervalHistogram();
        fetchTotal.add(window);
        long total = records.sum();
        Throughput rate = new Throughput(total - lastRecords, 0, now - lastIntervalNanos);
        lastRecords = total;
        lastIntervalNanos = now;
        LatencySummary l = LatencySummary.of(window);
        return String.format(Locale.ROOT, "%7.1f s: %d records read; last interval %.1f records/s%s",
                (now - start) / 1e9, total, rate.recordsPerSecond(), options.sse() ? ""
                        : ", fetch p50 " + LatencySummary.fixed(l.p50Ms()) + " p99 " + LatencySummary.fixed(l.p99Ms())
                        + " ms");
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
