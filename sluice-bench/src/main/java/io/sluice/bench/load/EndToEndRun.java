package io.sluice.bench.load;

import io.sluice.bench.load.LoadOptions.ValueFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * End-to-end latency: one SSE stream of the whole topic opened at {@code offset=latest}, then records produced one
 * per request (acks as given, all by default) either at a fixed {@code --rate} (open loop, at most
 * {@code --concurrency} requests in flight) or, with rate 0, one at a time: send, wait for its ack and its delivery,
 * send the next (as Kafka's EndToEndLatency does).
 *
 * <p>Each value starts with a marker {@code e2e-<run>-<id>-} and is padded with letters to {@code --record-size}. The
 * latency of record {@code id} is from just before its produce request is handed to the HTTP client (plain Netty,
 * {@link NettyRequests}) to the moment its SSE {@code record} event has been decoded on the client's event loop
 * ({@link NettySseStream}). Before measuring, probe records are sent until one arrives on the stream, so the stream
 * is known to be positioned and flowing; then, with {@code --warmup-records}, that many records are sent as the run
 * sends them and awaited on the stream, counted in no figure, so that the figures are not this JVM's own warm-up.
 */
final class EndToEndRun {

    private static final String JSON = "application/json";

    private final LoadOptions options;
    private final GatewayClient gateway;
    private final PrintStream out;
    private final String marker = "e2e-" + Long.toString(System.nanoTime() & 0xffffffL, 36) + "-";

    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final ErrorCounts errors = new ErrorCounts();
    private final Recorder e2e = new Recorder(3);
    private final Recorder acks = new Recorder(3);
    private final Histogram e2eTotal = LatencySummary.microsHistogram();
    private final Histogram ackTotal = LatencySummary.microsHistogram();
    private final AtomicBoolean probeSeen = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final Semaphore deliveries = new Semaphore(0);
    private final AtomicReference<String> streamFailure = new AtomicReference<>();
    private AtomicLongArray sendNanos;
    private AtomicLongArray deliveredAt;
    /** Record ids below this are the warm-up's: sent and awaited like the others, counted in no figure. */
    private int warmup;
    private final LongAdder warmupAcked = new LongAdder();
    private final LongAdder warmupDelivered = new LongAdder();

    EndToEndRun(LoadOptions options, GatewayClient gateway, PrintStream out) {
        this.options = options;
        this.gateway = gateway;
        this.out = out;
    }

    EndToEndReport run() throws IOException, InterruptedException {
        int total = (int) Math.min(Integer.MAX_VALUE / 2, options.numRecords());
        warmup = (int) Math.min(Integer.MAX_VALUE / 2, options.warmupRecords());
        sendNanos = new AtomicLongArray(warmup + total);
        deliveredAt = new AtomicLongArray(warmup + total);
        gateway.awaitReady(options.topic());
        try (NettyHttp http = new NettyHttp(gateway.base())) {
            return run(total, http);
        }
    }

    private EndToEndReport run(int total, NettyHttp http) throws IOException, InterruptedException {
        NettyRequests client = new NettyRequests(http, gateway.timeout().plusSeconds(5));
        URI produce = gateway.produceUri(options.topic(), options.acks(), options.timeoutMs(), null);
        byte[] padding = Payloads.letters(Math.max(0, options.recordSize()), new SplittableRandom(42));

        NettySseStream stream = NettySseStream.open(http, gateway.streamUri(options.topic(), "latest",
                options.valueFormat().parameter()), new StreamListener());
        probe(http, client, produce, padding);
        if (warmup > 0) {
            out.printf(Locale.ROOT, "warming up: %d records, in no figure%n", warmup);
            send(0, warmup, http, client, produce, padding, System.nanoTime());
            awaitDeliveries(warmupDelivered, warmupAcked);
        }
        out.printf(Locale.ROOT, "stream positioned; producing %d records at %s%n", total,
                options.rate() == 0 ? "one in flight" : options.rate() + " records/s");

        long cpuStart = ClientCpu.processCpuNanos();
        long start = System.nanoTime();
        long lastSend;
        try (Progress progress = new Progress(out, options.reportIntervalMs(), () -> interval(start))) {
            lastSend = send(warmup, warmup + total, http, client, produce, padding, start);
            awaitDeliveries(delivered, acked);
        }
        stop.set(true);
        stream.close();
        interval(start);
        long missing = 0;
        for (int id = warmup; id < warmup + total; id++) {
            if (sendNanos.get(id) != 0 && deliveredAt.get(id) == 0) {
                missing++;
            }
        }
        return new EndToEndReport(options, sent.sum(), acked.sum(), errors, delivered.sum(), missing,
                duplicates.sum(), new Throughput(sent.sum(), sent.sum() * (long) options.recordSize(), lastSend - start),
                LatencySummary.of(e2eTotal), LatencySummary.of(ackTotal), streamFailure.get(),
                ClientCpu.since(cpuStart, start));
    }

    /**
     * Sends records {@code from} to {@code to} (exclusive) as the run sends them: at the rate from {@code start}, at
     * most {@code --concurrency} in flight, or one at a time awaiting each delivery. Returns when every answer came,
     * with the time the last record was sent.
     */
    private long send(int from, int to, NettyHttp http, NettyRequests client, URI produce, byte[] padding, long start)
            throws InterruptedException {
        Pacer pacer = new Pacer(start, options.rate());
        Semaphore inFlight = new Semaphore(options.concurrency());
        long lastSend = start;
        for (int id = from; id < to && streamFailure.get() == null; id++) {
            byte[] body = body(id, padding);
            if (options.rate() == 0) {
                sendNanos.set(id, System.nanoTime());
                counted(id, sent);
                try {
                    NettyRequests.Answer answer = client.send(http.post(produce, body, JSON)).get();
                    answered(id, answer.status(), answer.body());
                } catch (ExecutionException e) {
                    errors.add("IO_ERROR", 1, e.getCause().toString());
                    continue;
                }
                if (!deliveries.tryAcquire(options.timeoutMs(), TimeUnit.MILLISECONDS)) {
                    out.println("record " + id + " was not delivered within " + options.timeoutMs() + " ms");
                }
            } else {
                pacer.awaitDue(id - from);
                inFlight.acquire();
                int sentId = id;
                sendNanos.set(id, System.nanoTime());
                counted(id, sent);
                client.send(http.post(produce, body, JSON)).whenComplete((answer, e) -> {
                    if (e != null) {
                        errors.add("IO_ERROR", 1, e.toString());
                    } else {
                        answered(sentId, answer.status(), answer.body());
                    }
                    // counted first: the run's end waits for these permits, then compares deliveries with acks
                    inFlight.release();
                });
            }
            lastSend = System.nanoTime();
        }
        inFlight.acquire(options.concurrency());
        return lastSend;
    }

    /** Counts record {@code id} in {@code counter} unless it is the warm-up's. */
    private void counted(int id, LongAdder counter) {
        if (id >= warmup) {
            counter.increment();
        }
    }

    /** Waits until every acknowledged record (of those counted in {@code ackedOnes}) was delivered, or no delivery came for --timeout-ms. */
    private void awaitDeliveries(LongAdder deliveredOnes, LongAdder ackedOnes) throws InterruptedException {
        long idleSince = System.nanoTime();
        long seen = deliveredOnes.sum();
        while (deliveredOnes.sum() < ackedOnes.sum() && streamFailure.get() == null) {
            Thread.sleep(20);
            long now = System.nanoTime();
            if (deliveredOnes.sum() != seen) {
                seen = deliveredOnes.sum();
                idleSince = now;
            } else if (now - idleSince > options.timeoutMs() * 1_000_000L) {
                out.println("gave up waiting: " + (ackedOnes.sum() - seen) + " acknowledged records not delivered within "
                        + options.timeoutMs() + " ms");
                return;
            }
        }
    }

    private void answered(int id, int status, byte[] body) {
        ProduceResults.Counted counted = ProduceResults.ofResponse(status, body, 1);
        if (id < warmup) {
            warmupAcked.add(counted.acked());
        } else {
            acks.recordValue(ProduceStats.micros(System.nanoTime() - sendNanos.get(id)));
            acked.add(counted.acked());
        }
        counted.addTo(errors);
        if (counted.acked() == 0) {
            deliveries.release(); // nothing will arrive for it: do not hold a closed loop back
        }
    }

    private void probe(NettyHttp http, NettyRequests client, URI produce, byte[] padding)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.timeoutMs() * 1_000_000L;
        for (int attempt = 0; !probeSeen.get(); attempt++) {
            if (streamFailure.get() != null) {
                throw new IOException("the SSE stream failed: " + streamFailure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no probe record arrived on the SSE stream within " + options.timeoutMs() + " ms");
            }
            try {
                NettyRequests.Answer answer = client.send(http.post(produce,
                        value(marker + "P" + attempt + "-", padding), JSON)).get();
                if (answer.status() != 200) {
                    out.println("probe produce answered HTTP " + answer.status() + ": "
                            + new String(answer.body(), StandardCharsets.UTF_8));
                }
            } catch (ExecutionException e) {
                out.println("probe produce failed: " + e.getCause());
            }
            for (int i = 0; i < 25 && !probeSeen.get(); i++) {
                Thread.sleep(10);
            }
        }
    }

    /** The SSE stream's events, on the event loop: each record event is a delivery, timed as it arrived. */
    private final class StreamListener implements NettySseStream.Listener {
        @Override
        public void event(SseEvents.Event event, long receivedNanos) {
            if (event.event().equals("error")) {
                streamFailure.compareAndSet(null, event.data());
            } else if (event.event().equals("record")) {
                delivered(ReadCounter.recordValue(event.data()), receivedNanos);
            }
        }

        @Override
        public void ended(String why) {
            if (!stop.get()) {
                streamFailure.compareAndSet(null, why);
            }
        }
    }

    private void delivered(String value, long now) {
        String text = value == null ? "" : options.valueFormat() == ValueFormat.BINARY
                ? new String(Base64.getDecoder().decode(value.substring(0, Math.min(value.length(), 64)
                        / 4 * 4)), StandardCharsets.ISO_8859_1) : value;
        if (!text.startsWith(marker)) {
            return; // another producer's record
        }
        int end = text.indexOf('-', marker.length());
        String id = text.substring(marker.length(), end < 0 ? text.length() : end);
        if (id.startsWith("P")) {
            probeSeen.set(true);
            return;
        }
        int index = Integer.parseInt(id);
        if (!deliveredAt.compareAndSet(index, 0, now)) {
            duplicates.increment();
            return;
        }
        if (index < warmup) {
            warmupDelivered.increment();
            deliveries.release();
            return;
        }
        e2e.recordValue(ProduceStats.micros(now - sendNanos.get(index)));
        delivered.increment();
        lastDeliveryNanos.set(now);
        deliveries.release();
    }

    private byte[] body(int id, byte[] padding) {
        return value(marker + id + "-", padding);
    }

    /** A one-record body whose value is {@code prefix} padded with letters to the record size. */
    private byte[] value(String prefix, byte[] padding) {
        byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] value = head.length >= padding.length ? head : Arrays.copyOf(head, padding.length);
        System.arraycopy(padding, 0, value, head.length, Math.max(0, padding.length - head.length));
        return Payloads.jsonBatch(new byte[][] {value}, options.valueFormat());
    }

    private synchronized String interval(long start) {
        Histogram window = e2e.getIntervalHistogram();
        e2eTotal.add(window);
        ackTotal.add(acks.getIntervalHistogram());
        LatencySummary l = LatencySummary.of(window);
        return String.format(Locale.ROOT, "%7.1f s: %d sent, %d acked, %d delivered; last interval e2e p50 %s p99 %s "
                        + "max %s ms", (System.nanoTime() - start) / 1e9, sent.sum(), acked.sum(), delivered.sum(),
                LatencySummary.fixed(l.p50Ms()), LatencySummary.fixed(l.p99Ms()), LatencySummary.fixed(l.maxMs()));
    }
}
