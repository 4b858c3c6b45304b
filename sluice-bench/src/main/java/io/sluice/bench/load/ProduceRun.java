package io.sluice.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Produce with JSON batches: {@code --concurrency} worker threads, each sending one request at a time (closed loop)
 * through a shared JDK HttpClient, so at most that many requests are in flight. Workers claim
 * {@code --records-per-request} record indices at a time; under {@code --throughput} a request leaves when its last
 * record is due. No retries: a failed record is counted by cause and not sent again.
 */
final class ProduceRun {

    private final LoadOptions options;
    private final GatewayClient gateway;
    private final PrintStream out;

    ProduceRun(LoadOptions options, GatewayClient gateway, PrintStream out) {
        this.options = options;
        this.gateway = gateway;
        this.out = out;
    }

    ProduceReport run(long total, long seed) throws InterruptedException {
        int perRequest = options.recordsPerRequest();
        Payloads.Pool pool = new Payloads.Pool((int) Math.min(perRequest, total), options.recordSize(),
                options.valueFormat(), false, seed);
        URI uri = gateway.produceUri(options.topic(), options.acks(), options.timeoutMs(), null);
        long cpuStart = ClientCpu.processCpuNanos();
        long start = System.nanoTime();
        Pacer pacer = new Pacer(start, options.throughput());
        ProduceStats stats = new ProduceStats(start);
        AtomicLong next = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        try (Progress progress = new Progress(out, options.reportIntervalMs(),
                () -> stats.interval(System.nanoTime(), start, options.recordSize()))) {
            for (int w = 0; w < options.concurrency(); w++) {
                HttpClient client = gateway.client(w);
                long workerSeed = seed + w + 1;
                workers.add(Thread.ofPlatform().name("produce-" + w).start(
                        () -> work(client, uri, pool, pacer, stats, next, total, workerSeed)));
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        stats.interval(System.nanoTime(), start, options.recordSize());
        long elapsed = Math.max(0, stats.lastAnswerNanos.get() - start);
        long acked = stats.acked.sum();
        return new ProduceReport(options, stats.sent.sum(), acked, stats.errors,
                new Throughput(acked, acked * options.recordSize(), elapsed), stats.requestLatency(),
                stats.recordLatency(), pool.bodyBytes(), ClientCpu.since(cpuStart, start));
    }

    private void work(HttpClient client, URI uri, Payloads.Pool pool, Pacer pacer, ProduceStats stats, AtomicLong next,
                      long total, long seed) {
        int perRequest = options.recordsPerRequest();
        byte[] tail = null;
        while (true) {
            long first = next.getAndAdd(perRequest);
            if (first >= total) {
                return;
            }
            int count = (int) Math.min(perRequest, total - first);
            byte[] body;
            if (count == perRequest || count == total) {
                body = pool.next();
            } else {
                // the last, shorter request of the run; built once, off the measured path of the other workers
                tail = tail != null ? tail : Payloads.jsonBatch(values(count, seed), options.valueFormat());
                body = tail;
            }
            pacer.awaitDue(first + count - 1);
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(gateway.timeout().plusSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            stats.sent.add(count);
            long started = System.nanoTime();
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                long ended = System.nanoTime();
                stats.request(started, ended);
                ProduceResults.Counted counted = ProduceResults.ofResponse(response.statusCode(), response.body(), count);
                stats.acked.add(counted.acked());
                counted.addTo(stats.errors);
                if (pacer.limited()) {
                    for (int i = 0; i < counted.acked(); i++) {
                        stats.ackedRecords(ended - pacer.dueNanos(first + i), 1);
                    }
                } else {
                    stats.ackedRecords(ended - started, counted.acked());
                }
            } catch (IOException e) {
                stats.lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
                stats.errors.add("IO_ERROR", count, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
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
