package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.bench.load.GatewayClient.TopicInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Reads a topic from its earliest offsets until {@code --num-records} records (default: what the topic held when the
 * run started). JSON and raw mode: one {@link Reader} per partition, each with one read in flight, over
 * {@link NettyHttp}. SSE mode: one {@code text/event-stream} of the whole topic from {@code offset=earliest}.
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
        return run(options.numRecords());
    }

    /** Reads {@code numRecords} records from the earliest offsets (-1: what the topic holds at the start). */
    ConsumeReport run(long numRecords) throws IOException, InterruptedException {
        TopicInfo topic = gateway.awaitReady(options.topic());
        long target = numRecords > 0 ? numRecords : topic.records();
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
                readPartitions(topic.partitions(), target);
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

    /**
     * One {@link Reader} per partition, until the target or a stall, on as many event loops as there are partitions
     * or cores (fewer of either): decoding the pages is the reader's work, as a Kafka consumer's is.
     */
    private void readPartitions(List<GatewayClient.PartitionInfo> partitions, long target) throws InterruptedException {
        int threads = Math.max(1, Math.min(partitions.size(), Runtime.getRuntime().availableProcessors()));
        try (NettyHttp http = new NettyHttp(gateway.base(), threads)) {
            CountDownLatch done = new CountDownLatch(partitions.size());
            http.execute(() -> partitions.forEach(p -> new Reader(http, p.partition(), target, done).connect()));
            while (!done.await(100, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - progressNanos.get() > options.timeoutMs() * 1_000_000L) {
                    stop.set(true);
                    return;
                }
            }
        }
    }

    /** {@code answered}'s result when it has sent the next read itself. */
    private static final long NEXT_READ_SENT = -1;

    /**
     * Reads one partition with one read in flight on one keep-alive connection: pages of {@code max_records} /
     * {@code max_bytes} from where the last one ended, with {@code wait_ms} only once the partition is caught up. A
     * failed read is counted by cause and tried again 100 ms later, over a new connection if it lost its own.
     */
    @ChannelHandler.Sharable
    private final class Reader extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final NettyHttp http;
        private final int partition;
        private final long target;
        private final CountDownLatch done;
        private final boolean raw = options.readApi() == LoadOptions.ReadApi.RAW;
        private String offset = "earliest";
        private boolean caughtUp;
        private boolean inFlight;
        private boolean finished;
        private long wait;
        private long started;
        private ScheduledFuture<?> timeout;
        private ByteBuffer pageBuffer;

        Reader(NettyHttp http, int partition, long target, CountDownLatch done) {
            this.http = http;
            this.partition = partition;
            this.target = target;
            this.done = done;
        }

        void connect() {
            http.connect(this).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    read(f.channel());
                } else {
                    errors.add("IO_ERROR", 1, f.cause().toString());
                    f.channel().eventLoop().schedule(this::connect, 100, TimeUnit.MILLISECONDS);
                }
            });
        }

        private void read(Channel channel) {
            if (stop.get()) {
                finished = true;
                done.countDown();
                channel.close();
                return;
            }
            wait = caughtUp ? options.waitMs() : 0;
            FullHttpRequest request = http.get(gateway.readUri(options.topic(), partition, offset,
                    options.maxRecords(), options.maxBytes(), wait, raw ? null : options.valueFormat().parameter()));
            if (raw) {
                request.headers().set(HttpHeaderNames.ACCEPT, ReadCounter.RAW_MEDIA_TYPE);
            }
            inFlight = true;
            started = System.nanoTime();
            // no answer in time: the connection is closed, which fails the read (channelInactive)
            timeout = channel.eventLoop().schedule(() -> channel.close(), gateway.timeout().toMillis() + wait,
                    TimeUnit.MILLISECONDS);
            channel.writeAndFlush(request);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            timeout.cancel(false);
            inFlight = false;
            long ended = System.nanoTime();
            reads.increment();
            long delay = 0;
            try {
                delay = answered(ctx.channel(), response, ended);
            } catch (RuntimeException e) {
                errors.add("UNREADABLE_ANSWER", 1, e.toString());
                delay = inFlight ? NEXT_READ_SENT : 100;
            }
            if (!HttpUtil.isKeepAlive(response)) {
                ctx.close();
            } else if (delay == NEXT_READ_SENT) {
                return;
            } else if (delay > 0) {
                ctx.channel().eventLoop().schedule(() -> read(ctx.channel()), delay, TimeUnit.MILLISECONDS);
            } else {
                read(ctx.channel());
            }
        }

        /**
         * Counts one answer; returns how long to wait before the next read (ms), or {@link #NEXT_READ_SENT}. A raw
         * answer gives its next position in its headers, so the next read is sent before this page is decoded, as a
         * Kafka consumer sends its next fetch before the application takes the records of the last one.
         */
        private long answered(Channel channel, FullHttpResponse response, long ended) {
            ByteBuf content = response.content();
            if (response.status().code() != 200) {
                ProduceResults.ofResponse(response.status().code(), ByteBufUtil.getBytes(content), 1).addTo(errors);
                return 100;
            }
            if (wait == 0) {
                fetches.recordValue(ProduceStats.micros(ended - started));
            } else {
                longPolls.increment();
            }
            ReadCounter.ReadPage page;
            long result = 0;
            if (raw) {
                long from = offset.equals("earliest") ? 0 : Long.parseLong(offset);
                long next = longHeader(response, "Sluice-Next-Offset");
                long highWatermark = longHeader(response, "Sluice-High-Watermark");
                advance(next, highWatermark);
                if (HttpUtil.isKeepAlive(response)) {
                    read(channel);
                    result = NEXT_READ_SENT;
                }
                page = ReadCounter.rawPage(contiguous(content), next, highWatermark, from);
            } else {
                // read where the aggregator put the answer: a copy into a new array per 1 MiB page cost a fifth of
                // the reader's CPU (zeroing the arrays)
                page = ReadCounter.page(new ByteBufInputStream(content), options.valueFormat());
                advance(page.nextOffset(), page.highWatermark());
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
            return result;
        }

        private void advance(long nextOffset, long highWatermark) {
            offset = Long.toString(nextOffset);
            caughtUp = nextOffset >= highWatermark;
        }

        /**
         * The answer as one buffer: its own when it arrived in one piece; otherwise copied into this reader's buffer,
         * which is kept from page to page. ({@code nioBuffer()} of an aggregated answer in several pieces allocates a
         * new zeroed array per page: 22 % of a raw reader's CPU.)
         */
        private ByteBuffer contiguous(ByteBuf content) {
            if (content.nioBufferCount() == 1) {
                return content.nioBuffer();
            }
            int length = content.readableBytes();
            if (pageBuffer == null || pageBuffer.capacity() < length) {
                pageBuffer = ByteBuffer.allocateDirect(Math.max(length, 1 << 20));
            }
            ByteBuffer target = pageBuffer.clear().limit(length);
            content.getBytes(content.readerIndex(), target);
            return target.flip();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (inFlight) {
                inFlight = false;
                errors.add("IO_ERROR", 1, cause.toString());
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (finished) {
                return;
            }
            if (inFlight) {
                timeout.cancel(false);
                inFlight = false;
                errors.add("IO_ERROR", 1, "the connection closed before the answer, or no answer within the timeout");
            }
            ctx.channel().eventLoop().schedule(this::connect, 100, TimeUnit.MILLISECONDS);
        }
    }

    private static long longHeader(FullHttpResponse response, String name) {
        String value = response.headers().get(name);
        if (value == null) {
            throw new IllegalStateException("a raw read answer without " + name);
        }
        return Long.parseLong(value);
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

}
