package io.sluice.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Produce with JSON batches: {@code --concurrency} closed loops, each sending one request at a time, over as many
 * connections of one Reactor Netty client on a single event loop, so at most that many requests are in flight and the
 * generator's own CPU per request stays small beside the gateway's (a blocking worker thread per request spent more
 * CPU in thread hand-offs than the gateway spent serving it). Loops claim {@code --records-per-request} record
 * indices at a time; under {@code --throughput} a request leaves when its last record is due. No retries: a failed
 * record is counted by cause and not sent again.
 */
final class ProduceRun {

    private static final byte[] NO_BODY = new byte[0];

    private final LoadOptions options;
    private final GatewayClient gateway;
    private final PrintStream out;

    ProduceRun(LoadOptions options, GatewayClient gateway, PrintStream out) {
        this.options = options;
        this.gateway = gateway;
        this.out = out;
    }

    ProduceReport run(long total, long seed) {
        int perRequest = options.recordsPerRequest();
        Payloads.Pool pool = new Payloads.Pool((int) Math.min(perRequest, total), options.recordSize(),
                options.valueFormat(), false, seed);
        String uri = gateway.produceUri(options.topic(), options.acks(), options.timeoutMs(), null).toString();
        ConnectionProvider connections = ConnectionProvider.builder("produce")
                .maxConnections(options.concurrency())
                .pendingAcquireMaxCount(-1)
                .build();
        LoopResources loop = LoopResources.create("produce", 1, true);
        HttpClient client = HttpClient.create(connections)
                .runOn(loop)
                .responseTimeout(gateway.timeout().plusSeconds(5));
        long cpuStart = ClientCpu.processCpuNanos();
        long start = System.nanoTime();
        Pacer pacer = new Pacer(start, options.throughput());
        ProduceStats stats = new ProduceStats(start);
        AtomicLong next = new AtomicLong();
        byte[][] tail = new byte[1][];
        try (Progress progress = new Progress(out, options.reportIntervalMs(),
                () -> stats.interval(System.nanoTime(), start, options.recordSize()))) {
            Flux.range(0, options.concurrency())
                    .flatMap(loopIndex -> Mono.defer(() -> sendNext(client, uri, pool, pacer, stats, next, total,
                                    seed, tail))
                            .repeat(() -> next.get() < total), options.concurrency())
                    .blockLast();
        } finally {
            connections.dispose();
            loop.dispose();
        }
        stats.interval(System.nanoTime(), start, options.recordSize());
        long elapsed = Math.max(0, stats.lastAnswerNanos.get() - start);
        long acked = stats.acked.sum();
        return new ProduceReport(options, stats.sent.sum(), acked, stats.errors,
                new Throughput(acked, acked * options.recordSize(), elapsed), stats.requestLatency(),
                stats.recordLatency(), pool.bodyBytes(), ClientCpu.since(cpuStart, start));
    }

    /** One request of a closed loop: claims the next records, waits until they are due, sends them and counts. */
    private Mono<Void> sendNext(HttpClient client, String uri, Payloads.Pool pool, Pacer pacer, ProduceStats stats,
                                AtomicLong next, long total, long seed, byte[][] tail) {
        int perRequest = options.recordsPerRequest();
        long first = next.getAndAdd(perRequest);
        if (first >= total) {
            return Mono.empty();
        }
        int count = (int) Math.min(perRequest, total - first);
        byte[] body;
        if (count == perRequest || count == total) {
            body = pool.next();
        } else {
            // the last, shorter request of the run, built once
            tail[0] = tail[0] != null ? tail[0] : Payloads.jsonBatch(values(count, seed), options.valueFormat());
            body = tail[0];
        }
        long wait = pacer.dueNanos(first + count - 1) - System.nanoTime();
        Mono<Long> due = wait > 0 ? Mono.delay(Duration.ofNanos(wait)) : Mono.just(0L);
        return due.then(Mono.defer(() -> {
            stats.sent.add(count);
            long started = System.nanoTime();
            return client.post()
                    .uri(uri)
                    .send((request, outbound) -> {
                        request.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
                        return outbound.send(Mono.just(Unpooled.wrappedBuffer(body)));
                    })
                    .responseSingle((response, content) -> content.asByteArray()
                            .defaultIfEmpty(NO_BODY)
                            .doOnNext(bytes -> answered(stats, pacer, first, count, started,
                                    response.status().code(), bytes)))
                    .then()
                    .onErrorResume(e -> {
                        stats.lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
                        stats.errors.add("IO_ERROR", count, e.toString());
                        return Mono.empty();
                    });
        }));
    }

    private static void answered(ProduceStats stats, Pacer pacer, long first, int count, long started, int status,
                                 byte[] body) {
        long ended = System.nanoTime();
        stats.request(started, ended);
        ProduceResults.Counted counted = ProduceResults.ofResponse(status, body, count);
        stats.acked.add(counted.acked());
        counted.addTo(stats.errors);
        if (pacer.limited()) {
            for (int i = 0; i < counted.acked(); i++) {
                stats.ackedRecords(ended - pacer.dueNanos(first + i), 1);
            }
        } else {
            stats.ackedRecords(ended - started, counted.acked());
        }
    }

    private byte[][] values(int count, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = Payloads.letters(options.recordSize(), random);
        }
        return values;
    }
}
