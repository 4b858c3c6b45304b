package io.sluice.bench.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produce over NDJSON streams: each of {@code --concurrency} workers opens one connection and sends one
 * {@code POST .../records} with {@code Content-Type: application/x-ndjson} and a chunked body that lasts the whole run,
 * writing {@code --records-per-request} lines per chunk, while a reader thread takes the result lines streamed back
 * in the same order. At most {@code --ndjson-window} records per stream are written and not yet answered.
 *
 * <p>This speaks HTTP/1.1 over a plain socket: the request body and the response must flow at the same time (full
 * duplex), and a plain socket makes that explicit instead of depending on when an HTTP client library starts reading
 * a response whose request body is still being sent.
 * Request latency here is per chunk: written to its last result read; record latency is due (chunk written, or the
 * pacer's schedule) to its result read.
 */
final class NdjsonProduceRun {

    private final LoadOptions options;
    private final PrintStream out;

    NdjsonProduceRun(LoadOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** A chunk of records written and not yet fully answered. Only the reader thread changes {@code answered}. */
    private static final class Chunk {
        final long first;
        final int count;
        final long writtenNanos;
        int answered;

        Chunk(long first, int count, long writtenNanos) {
            this.first = first;
            this.count = count;
            this.writtenNanos = writtenNanos;
        }
    }

    ProduceReport run(long total, long seed) throws InterruptedException {
        int perChunk = (int) Math.min(options.recordsPerRequest(), total);
        Payloads.Pool pool = new Payloads.Pool(perChunk, options.recordSize(), options.valueFormat(), true, seed);
        long cpuStart = ClientCpu.processCpuNanos();
        long start = System.nanoTime();
        Pacer pacer = new Pacer(start, options.throughput());
        ProduceStats stats = new ProduceStats(start);
        AtomicLong next = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        try (Progress progress = new Progress(out, options.reportIntervalMs(),
                () -> stats.interval(System.nanoTime(), start, options.recordSize()))) {
            for (int w = 0; w < options.concurrency(); w++) {
                long workerSeed = seed + w + 1;
                workers.add(Thread.ofPlatform().name("ndjson-" + w).start(
                        () -> stream(pool, pacer, stats, next, total, workerSeed)));
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

    private void stream(Payloads.Pool pool, Pacer pacer, ProduceStats stats, AtomicLong next, long total, long seed) {
        URI gateway = options.gateway();
        int port = gateway.getPort() > 0 ? gateway.getPort() : 80;
        ConcurrentLinkedQueue<Chunk> inFlight = new ConcurrentLinkedQueue<>();
        Semaphore window = new Semaphore(options.ndjsonWindow());
        AtomicReference<String> failure = new AtomicReference<>();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(gateway.getHost(), port), 10_000);
            socket.setTcpNoDelay(true);
            OutputStream body = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            String path = gateway.getRawPath() + "/v1/topics/" + java.net.URLEncoder.encode(options.topic(),
                    StandardCharsets.UTF_8) + "/records?acks=" + options.acks() + "&timeout_ms=" + options.timeoutMs()
                    + "&value_format=" + options.valueFormat().parameter();
            body.write(("POST " + path + " HTTP/1.1\r\nHost: " + gateway.getHost() + ":" + port
                    + "\r\nContent-Type: application/x-ndjson\r\nAccept: application/x-ndjson\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.flush();
            Thread reader = Thread.ofPlatform().name(Thread.currentThread().getName() + "-results")
                    .start(() -> readResults(in, inFlight, window, pacer, stats, failure));
            byte[] tail = null;
            int perChunk = options.recordsPerRequest();
            while (failure.get() == null) {
                long first = next.getAndAdd(perChunk);
                if (first >= total) {
                    break;
                }
                int count = (int) Math.min(perChunk, total - first);
                byte[] lines;
                if (count == perChunk || count == total) {
                    lines = pool.next();
                } else {
                    tail = tail != null ? tail : Payloads.ndjsonLines(values(count, seed), options.valueFormat());
                    lines = tail;
                }
                pacer.awaitDue(first + count - 1);
                if (!window.tryAcquire(count, options.timeoutMs(), TimeUnit.MILLISECONDS)) {
                    failure.compareAndSet(null, "NO_RESULTS_WITHIN_TIMEOUT");
                    stats.errors.add("NOT_SENT", count, "window of " + options.ndjsonWindow()
                            + " unanswered records stayed full for " + options.timeoutMs() + " ms");
                    break;
                }
                long written = System.nanoTime();
                inFlight.add(new Chunk(first, count, written));
                stats.sent.add(count);
                body.write(Integer.toHexString(lines.length).getBytes(StandardCharsets.US_ASCII));
                body.write('\r');
                body.write('\n');
                body.write(lines);
                body.write('\r');
                body.write('\n');
                body.flush();
            }
            body.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            body.flush();
            reader.join(options.timeoutMs() + 5_000);
            if (reader.isAlive()) {
                failure.compareAndSet(null, "NO_RESULTS_WITHIN_TIMEOUT");
                socket.close();
                reader.join(5_000);
            }
        } catch (IOException e) {
            failure.compareAndSet(null, "IO_ERROR");
            stats.errors.add("IO_ERROR", 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // whatever is still in flight was never answered
        long unanswered = inFlight.stream().mapToLong(c -> c.count - c.answered).sum();
        if (unanswered > 0) {
            String cause = failure.get() == null ? "MISSING_RESULT" : failure.get();
            stats.errors.add(cause, unanswered, "stream ended with " + unanswered + " records unanswered");
        }
    }

    private void readResults(InputStream in, ConcurrentLinkedQueue<Chunk> inFlight, Semaphore window, Pacer pacer,
                             ProduceStats stats, AtomicReference<String> failure) {
        try {
            String status = line(in);
            boolean chunked = false;
            long length = -1;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring("content-length:".length()).trim());
                }
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            InputStream body = chunked ? new ChunkedInput(in) : new LimitedInput(in, length < 0 ? Long.MAX_VALUE : length);
            if (code != 200) {
                byte[] problem = body.readAllBytes();
                ProduceResults.Counted counted = ProduceResults.ofResponse(code, problem, 1);
                String cause = counted.failed().keySet().iterator().next();
                stats.errors.add(cause, 0, counted.firstMessage());
                failure.compareAndSet(null, cause);
                return;
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            int b;
            while ((b = body.read()) >= 0) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                long now = System.nanoTime();
                String text = line.toString(StandardCharsets.UTF_8).trim();
                line.reset();
                if (text.isEmpty()) {
                    continue;
                }
                answer(text, now, inFlight, pacer, stats);
                window.release();
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, "IO_ERROR");
            stats.errors.add("IO_ERROR", 0, e.toString());
        }
    }

    private void answer(String text, long now, ConcurrentLinkedQueue<Chunk> inFlight, Pacer pacer, ProduceStats stats) {
        Chunk chunk = inFlight.peek();
        if (chunk == null) {
            stats.errors.add("UNEXPECTED_RESULT", 1, text);
            return;
        }
        String[] error = ProduceResults.ofLine(text);
        if (error == null) {
            stats.acked.increment();
            long due = pacer.limited() ? pacer.dueNanos(chunk.first + chunk.answered) : chunk.writtenNanos;
            stats.ackedRecords(now - due, 1);
        } else {
            stats.errors.add(error[0], 1, error[1]);
        }
        if (++chunk.answered == chunk.count) {
            inFlight.poll();
            stats.request(chunk.writtenNanos, now);
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

    /** A CRLF-terminated ASCII line of an HTTP head, without the terminator. */
    static String line(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                int last = out.length() - 1;
                return last >= 0 && out.charAt(last) == '\r' ? out.substring(0, last) : out.toString();
            }
            out.append((char) b);
        }
        throw new EOFException("connection closed inside an HTTP head");
    }

    /** The decoded bytes of a chunked HTTP body; end of stream after the last (empty) chunk and its trailers. */
    static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = chunkLine();
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                if (left == 0) {
                    while (!chunkLine().isEmpty()) {
                        // trailers: none expected, skipped
                    }
                    done = true;
                    return -1;
                }
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            if (--left == 0) {
                chunkLine(); // the CRLF after the chunk's data
            }
            return b;
        }

        private String chunkLine() throws IOException {
            try {
                return line(in);
            } catch (EOFException e) {
                throw new EOFException("connection closed inside the chunked response body");
            }
        }
    }

    /** At most {@code length} bytes of {@code in}. */
    static final class LimitedInput extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }
    }
}
