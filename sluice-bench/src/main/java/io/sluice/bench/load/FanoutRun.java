package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * SSE fan-out: {@code --subscribers} streams of the whole topic, opened at {@code offset=latest} on one gateway, all
 * read by one Reactor Netty client on a single event loop thread; then {@code --num-records} records produced one per
 * request, open loop at {@code --rate} (at most {@value #MAX_IN_FLIGHT} in flight), by a second client on its own
 * event loop so that parsing deliveries does not delay sends. It answers three questions: does every subscriber get
 * every acknowledged record exactly once, what is the send to delivery latency over all deliveries (subscribers x
 * records samples), and how many fetches the gateway's SSE streams make at the leader meanwhile (its Prometheus
 * counters, read right before the first send and right after the last delivery), to be set beside a run with one
 * subscriber at the same rate.
 *
 * <p>Streams open side by side and become ready one by one; until every one has seen a probe record (sent every
 * {@value #PROBE_INTERVAL_MS} ms, values marked as {@link ValueMarker} describes) nothing is measured. The time to
 * open them is reported apart.
 *
 * <p>Threads: the stream callbacks, the SSE decoders and the {@link FanoutTally} belong to the SSE event loop alone;
 * the tally is read only once that loop has terminated. Send times cross from the produce loop in an
 * {@link AtomicLongArray}; the counters the main and progress threads watch are atomic.
 */
final class FanoutRun {

    private static final int MAX_IN_FLIGHT = 64;
    private static final long PROBE_INTERVAL_MS = 200;
    private static final byte[] NO_BODY = new byte[0];

    private final LoadOptions options;
    private final GatewayClient gateway;
    private final PrintStream out;
    private final ValueMarker marker = ValueMarker.random();
    private final int subscribers;
    private final int total;

    // SSE event loop only
    private final FanoutTally tally;
    private final boolean[] positionedBy;

    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger positioned = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicLong allOpenedNanos = new AtomicLong();
    private final AtomicLong allPositionedNanos = new AtomicLong();
    private final ErrorCounts streamFailures = new ErrorCounts();
    private volatile boolean stopping;

    private final AtomicLongArray sendNanos;
    private final BitSet ackedIds = new BitSet();
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final ErrorCounts errors = new ErrorCounts();
    private final AtomicLong lastSendNanos = new AtomicLong();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final Recorder e2e = new Recorder(3);
    private final Recorder acks = new Recorder(3);
    private final Histogram e2eTotal = LatencySummary.microsHistogram();
    private final Histogram ackTotal = LatencySummary.microsHistogram();

    FanoutRun(LoadOptions options, GatewayClient gateway, PrintStream out) {
        this.options = options;
        this.gateway = gateway;
        this.out = out;
        this.subscribers = options.subscribers();
        this.total = (int) Math.min(Integer.MAX_VALUE - 8, options.numRecords());
        this.tally = new FanoutTally(subscribers);
        this.positionedBy = new boolean[subscribers];
        this.sendNanos = new AtomicLongArray(total);
    }

    FanoutReport run() throws IOException, InterruptedException {
        gateway.awaitReady(options.topic());
        byte[] padding = Payloads.letters(Math.max(0, options.recordSize()), new SplittableRandom(42));
        URI produce = gateway.produceUri(options.topic(), options.acks(), options.timeoutMs(), null);

        ConnectionProvider sseConnections = ConnectionProvider.builder("fanout-sse")
                .maxConnections(subscribers)
                .pendingAcquireMaxCount(-1)
                .build();
        LoopResources sseLoop = LoopResources.create("fanout-sse", 1, true);
        Disposable.Composite streams = Disposables.composite();
        FetchWindow fetches;
        long openStart = System.nanoTime();
        long start;
        long cpuStart;
        try {
            HttpClient sse = HttpClient.create(sseConnections)
                    .runOn(sseLoop)
                    .headers(h -> h.set(HttpHeaderNames.ACCEPT, "text/event-stream"));
            String streamUri = gateway.streamUri(options.topic(), "latest", options.valueFormat().parameter()).toString();
            out.printf(Locale.ROOT, "opening %d SSE streams of %s at offset=latest on one event loop%n", subscribers,
                    options.topic());
            for (int s = 0; s < subscribers; s++) {
                streams.add(open(sse, streamUri, s));
            }
            awaitPositioned(produce, padding, openStart);
            if (positioned.get() == 0) {
                throw new IOException("no SSE stream was positioned (saw a probe record) within " + options.timeoutMs()
                        + " ms; stream failures: " + streamFailures.compact());
            }
            out.printf(Locale.ROOT, "%d of %d streams positioned; producing %d records at %s records/s%n",
                    positioned.get(), subscribers, total, options.rate());

            fetches = new FetchWindow();
            fetches.begin();
            cpuStart = ClientCpu.processCpuNanos();
            start = System.nanoTime();
            try (Progress progress = new Progress(out, options.reportIntervalMs(), () -> interval(start))) {
                produce(produce.toString(), padding, start);
                awaitDeliveries();
            }
            fetches.end();
        } finally {
            stopping = true;
            streams.dispose();
            sseConnections.disposeLater().block(Duration.ofSeconds(10));
            // Once the loop has terminated, its writes to the tally are visible here (Netty completes the
            // termination future after the loop thread's last task).
            sseLoop.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
        ClientCpu cpu = ClientCpu.since(cpuStart, start);
        interval(start);
        BitSet ackedNow;
        synchronized (ackedIds) {
            ackedNow = (BitSet) ackedIds.clone();
        }
        long lastDelivery = lastDeliveryNanos.get();
        return new FanoutReport(options, opened.get(), positioned.get(), streamFailures,
                seconds(allOpenedNanos.get(), openStart), seconds(allPositionedNanos.get(), openStart),
                sent.sum(), acked.sum(), errors,
                new Throughput(sent.sum(), sent.sum() * (long) options.recordSize(), lastSendNanos.get() - start),
                tally.completeness(ackedNow),
                new Throughput(deliveries.get(), deliveries.get() * (long) options.recordSize(),
                        lastDelivery == 0 ? 0 : lastDelivery - start),
                LatencySummary.of(e2eTotal), e2eTotal.getTotalCount() == 0 ? Double.NaN
                        : e2eTotal.getValueAtPercentile(90) / 1000.0,
                LatencySummary.of(ackTotal), fetches.delta(), fetches.windowNanos(), fetches.failure(), cpu);
    }

    private static double seconds(long at, long since) {
        return at == 0 ? Double.NaN : (at - since) / 1e9;
    }

    /** One subscriber's endless stream; its events are decoded and counted on the SSE event loop. */
    private Disposable open(HttpClient sse, String uri, int subscriber) {
        SseDecoder decoder = new SseDecoder();
        Consumer<SseEvents.Event> sink = event -> onEvent(subscriber, event);
        return sse.get()
                .uri(uri)
                .response((response, body) -> {
                    int status = response.status().code();
                    if (status != 200) {
                        return body.aggregate().asString().defaultIfEmpty("")
                                .doOnNext(text -> streamFailed("HTTP_" + status, text))
                                .then();
                    }
                    if (opened.incrementAndGet() == subscribers) {
                        allOpenedNanos.set(System.nanoTime());
                    }
                    // Netty releases each buffer once this callback returns, so it is decoded here and now.
                    return body.doOnNext((ByteBuf chunk) -> {
                        for (ByteBuffer part : chunk.nioBuffers()) {
                            decoder.feed(part, sink);
                        }
                    }).then(Mono.fromRunnable(() -> streamFailed("ENDED", "the gateway ended the stream")));
                })
                .subscribe(null, e -> streamFailed(e instanceof RuntimeException r && ReadCounter.isJsonProblem(r)
                        ? "UNREADABLE_EVENT" : "IO_ERROR", e.toString()));
    }

    private void streamFailed(String cause, String message) {
        if (!stopping) {
            failed.incrementAndGet();
            streamFailures.add(cause, 1, message);
        }
    }

    private void onEvent(int subscriber, SseEvents.Event event) {
        long now = System.nanoTime();
        if (event.event().equals("error")) {
            streamFailed("SSE_ERROR", event.data());
            return;
        }
        if (!event.event().equals("record")) {
            return;
        }
        int id = marker.id(ReadCounter.recordValue(event.data()), options.valueFormat());
        if (id == ValueMarker.PROBE) {
            if (!positionedBy[subscriber]) {
                positionedBy[subscriber] = true;
                if (positioned.incrementAndGet() == subscribers) {
                    allPositionedNanos.set(now);
                }
            }
        } else if (id >= 0 && id < total && tally.deliver(subscriber, id)) {
            e2e.recordValue(ProduceStats.micros(now - sendNanos.get(id)));
            deliveries.incrementAndGet();
            lastDeliveryNanos.set(now);
        }
    }

    /**
     * Sends a probe every {@value #PROBE_INTERVAL_MS} ms until every stream has seen one, or every one that has not
     * failed; gives up when no stream opened or got positioned for --timeout-ms.
     */
    private void awaitPositioned(URI produce, byte[] padding, long openStart) throws IOException, InterruptedException {
        long lastProgress = System.nanoTime();
        int seen = 0;
        try (Progress progress = new Progress(out, options.reportIntervalMs(), () -> String.format(Locale.ROOT,
                "%7.1f s: %d of %d streams open, %d positioned, %d failed", (System.nanoTime() - openStart) / 1e9,
                opened.get(), subscribers, positioned.get(), failed.get()))) {
            for (int attempt = 0; positioned.get() + failed.get() < subscribers; attempt++) {
                int now = opened.get() + positioned.get() + failed.get();
                if (now != seen) {
                    seen = now;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > options.timeoutMs() * 1_000_000L) {
                    out.printf(Locale.ROOT, "gave up positioning: %d of %d streams open, %d positioned, %d failed, "
                                    + "no change for %d ms%n", opened.get(), subscribers, positioned.get(), failed.get(),
                            options.timeoutMs());
                    return;
                }
                if (opened.get() > positioned.get()) {
                    sendProbe(produce, padding, attempt);
                }
                Thread.sleep(PROBE_INTERVAL_MS);
            }
        }
    }

    private void sendProbe(URI produce, byte[] padding, int attempt) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(produce).timeout(gateway.timeout().plusSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ValueMarker.body(marker.probe(attempt), padding,
                        options.valueFormat())))
                .build();
        HttpResponse<byte[]> response = gateway.client(0).send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            out.println("probe produce answered HTTP " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    /** Record {@code id} leaves when the pacer says it is due, whether or not earlier ones were answered. */
    private void produce(String uri, byte[] padding, long start) {
        ConnectionProvider connections = ConnectionProvider.builder("fanout-produce")
                .maxConnections(MAX_IN_FLIGHT)
                .pendingAcquireMaxCount(-1)
                .build();
        LoopResources loop = LoopResources.create("fanout-produce", 1, true);
        HttpClient client = HttpClient.create(connections)
                .runOn(loop)
                .responseTimeout(gateway.timeout().plusSeconds(5));
        Pacer pacer = new Pacer(start, options.rate());
        try {
            Flux.range(0, total)
                    .flatMap(id -> {
                        long wait = pacer.dueNanos(id) - System.nanoTime();
                        Mono<Long> due = wait > 0 ? Mono.delay(Duration.ofNanos(wait)) : Mono.just(0L);
                        return due.then(Mono.defer(() -> send(client, uri, id, padding)));
                    }, MAX_IN_FLIGHT)
                    .blockLast();
        } finally {
            connections.dispose();
            loop.dispose();
        }
    }

    private Mono<Void> send(HttpClient client, String uri, int id, byte[] padding) {
        byte[] body = ValueMarker.body(marker.record(id), padding, options.valueFormat());
        long started = System.nanoTime();
        sendNanos.set(id, started);
        sent.increment();
        lastSendNanos.accumulateAndGet(started, Math::max);
        return client.post()
                .uri(uri)
                .send((request, outbound) -> {
                    request.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
                    return outbound.send(Mono.just(Unpooled.wrappedBuffer(body)));
                })
                .responseSingle((response, content) -> content.asByteArray()
                        .defaultIfEmpty(NO_BODY)
                        .doOnNext(bytes -> answered(id, started, response.status().code(), bytes)))
                .then()
                .onErrorResume(e -> {
                    errors.add("IO_ERROR", 1, e.toString());
                    return Mono.empty();
                });
    }

    private void answered(int id, long started, int status, byte[] body) {
        acks.recordValue(ProduceStats.micros(System.nanoTime() - started));
        ProduceResults.Counted counted = ProduceResults.ofResponse(status, body, 1);
        counted.addTo(errors);
        if (counted.acked() == 1) {
            synchronized (ackedIds) {
                ackedIds.set(id);
            }
            acked.increment();
        }
    }

    /**
     * Waits until every subscriber still streaming has every acknowledged record, or no delivery came for
     * --timeout-ms. Deliveries of records whose produce failed count too, so a run that lost some may stop early;
     * the completeness figures are exact either way.
     */
    private void awaitDeliveries() throws InterruptedException {
        long idleSince = System.nanoTime();
        long seen = deliveries.get();
        while (deliveries.get() < acked.sum() * (subscribers - failed.get())) {
            Thread.sleep(20);
            long now = System.nanoTime();
            long current = deliveries.get();
            if (current != seen) {
                seen = current;
                idleSince = now;
            } else if (now - idleSince > options.timeoutMs() * 1_000_000L) {
                out.printf(Locale.ROOT, "gave up waiting: %d of %d deliveries, none for %d ms%n", current,
                        acked.sum() * subscribers, options.timeoutMs());
                return;
            }
        }
    }

    private synchronized String interval(long start) {
        Histogram window = e2e.getIntervalHistogram();
        e2eTotal.add(window);
        ackTotal.add(acks.getIntervalHistogram());
        LatencySummary l = LatencySummary.of(window);
        return String.format(Locale.ROOT, "%7.1f s: %d sent, %d acked, %d deliveries, %d streams failed; last interval "
                        + "e2e p50 %s p99 %s max %s ms", (System.nanoTime() - start) / 1e9, sent.sum(), acked.sum(),
                deliveries.get(), failed.get(), LatencySummary.fixed(l.p50Ms()), LatencySummary.fixed(l.p99Ms()),
                LatencySummary.fixed(l.maxMs()));
    }

    /** The gateway's SSE fetch counters read before the first send and after the last delivery. */
    private final class FetchWindow {

        private SseFetchCounters before;
        private SseFetchCounters after;
        private long beganNanos;
        private long endedNanos;
        private String failure;

        void begin() throws InterruptedException {
            before = read();
            beganNanos = System.nanoTime();
        }

        void end() throws InterruptedException {
            endedNanos = System.nanoTime();
            after = before == null ? null : read();
        }

        SseFetchCounters delta() {
            return before == null || after == null ? null : after.minus(before);
        }

        long windowNanos() {
            return endedNanos - beganNanos;
        }

        String failure() {
            return failure;
        }

        private SseFetchCounters read() throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(options.metricsUrl()).timeout(Duration.ofSeconds(10))
                    .header("Accept", "text/plain").GET().build();
            try {
                HttpResponse<String> response = gateway.client(0).send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    failure = options.metricsUrl() + " answered HTTP " + response.statusCode();
                    return null;
                }
                return SseFetchCounters.parse(response.body());
            } catch (IOException | IllegalArgumentException e) {
                failure = options.metricsUrl() + ": " + e.getMessage();
                return null;
            }
        }
    }
}
