package io.sluice.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.PrintStream;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Produce with JSON batches: {@code --concurrency} closed loops, each one keep-alive connection sending one request
 * at a time, all on {@link NettyHttp}'s single event loop, so at most that many requests are in flight (the earlier
 * Reactor Netty client spent about 230 µs of CPU per one-record request, more than the gateway spent serving it).
 * Loops claim {@code --records-per-request} record indices at a time; under {@code --throughput} a request leaves
 * when its last record is due. No retries: a failed request's records are counted by cause and not sent again; a connection that
 * fails is replaced and its loop goes on.
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
        byte[] tail = total % perRequest == 0 || total < perRequest ? null
                : Payloads.jsonBatch(values((int) (total % perRequest), seed), options.valueFormat());
        URI uri = gateway.produceUri(options.topic(), options.acks(), options.timeoutMs(), null);
        long cpuStart = ClientCpu.processCpuNanos();
        long start = System.nanoTime();
        ProduceStats stats = new ProduceStats(start);
        try (NettyHttp http = new NettyHttp(uri);
             Progress progress = new Progress(out, options.reportIntervalMs(),
                     () -> stats.interval(System.nanoTime(), start, options.recordSize()))) {
            Loops loops = new Loops(http, uri, pool, tail, total, new Pacer(start, options.throughput()), stats);
            http.execute(() -> {
                for (int i = 0; i < options.concurrency(); i++) {
                    loops.start();
                }
            });
            loops.done.await();
        }
        stats.interval(System.nanoTime(), start, options.recordSize());
        long elapsed = Math.max(0, stats.lastAnswerNanos.get() - start);
        long acked = stats.acked.sum();
        return new ProduceReport(options, stats.sent.sum(), acked, stats.errors,
                new Throughput(acked, acked * options.recordSize(), elapsed), stats.requestLatency(),
                stats.recordLatency(), pool.bodyBytes(), ClientCpu.since(cpuStart, start));
    }

    /**
     * Every loop of the run, touched only on the event loop thread: the next record index, the loops still running,
     * and how a loop gets a connection. {@link #done} opens when the last loop has nothing left to send.
     */
    private final class Loops {
        final CountDownLatch done = new CountDownLatch(1);
        private final NettyHttp http;
        private final URI uri;
        private final Payloads.Pool pool;
        private final byte[] tail;
        private final long total;
        private final Pacer pacer;
        private final ProduceStats stats;
        private long next;
        private int running;

        Loops(NettyHttp http, URI uri, Payloads.Pool pool, byte[] tail, long total, Pacer pacer, ProduceStats stats) {
            this.http = http;
            this.uri = uri;
            this.pool = pool;
            this.tail = tail;
            this.total = total;
            this.pacer = pacer;
            this.stats = stats;
        }

        /** Starts a loop, which runs until no records are left to claim. */
        void start() {
            running++;
            connect(new Loop());
        }

        /** A connection for {@code loop}: its first one, or one in place of a connection that failed. */
        private void connect(Loop loop) {
            http.connect(loop).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    loop.sendNext(f.channel());
                } else {
                    loop.connectFailed(f.cause());
                }
            });
        }

        /**
         * One closed loop: at most one request in flight, on one connection at a time (so the handler is shared only
         * in the sense that a replacement connection's pipeline gets it after the failed one's is gone).
         */
        @ChannelHandler.Sharable
        private final class Loop extends SimpleChannelInboundHandler<FullHttpResponse> {
            private long first = -1;
            private int count;
            private long started;
            private boolean finished;
            private ScheduledFuture<?> timeout;

            /** Claims the next records, waits until they are due, and sends them; ends the loop when none are left. */
            void sendNext(Channel channel) {
                if (!claim()) {
                    end();
                    channel.close();
                    return;
                }
                long wait = pacer.dueNanos(first + count - 1) - System.nanoTime();
                if (wait > 0) {
                    channel.eventLoop().schedule(() -> send(channel), wait, TimeUnit.NANOSECONDS);
                } else {
                    send(channel);
                }
            }

            private boolean claim() {
                if (next >= total) {
                    return false;
                }
                first = next;
                count = (int) Math.min(options.recordsPerRequest(), total - first);
                next += count;
                return true;
            }

            private void send(Channel channel) {
                byte[] body = count == options.recordsPerRequest() || tail == null ? pool.next() : tail;
                FullHttpRequest request = http.post(uri, body, "application/json");
                stats.sent.add(count);
                started = System.nanoTime();
                // no answer in time: the connection is closed, which fails the request (channelInactive)
                timeout = channel.eventLoop().schedule(() -> channel.close(), gateway.timeout().toMillis() + 5_000,
                        TimeUnit.MILLISECONDS);
                channel.writeAndFlush(request).addListener(f -> {
                    if (!f.isSuccess()) {
                        channel.close();
                    }
                });
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                if (first < 0) {
                    return;
                }
                timeout.cancel(false);
                answered(response.status().code(), ByteBufUtil.getBytes(response.content()));
                first = -1;
                if (HttpUtil.isKeepAlive(response)) {
                    sendNext(ctx.channel());
                } else {
                    ctx.close();
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (first >= 0) {
                    failed(cause.toString());
                }
                ctx.close();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (finished) {
                    return;
                }
                if (first >= 0) {
                    failed("the connection closed before the answer, or no answer within the timeout");
                }
                if (next < total) {
                    connect(this);
                } else {
                    end();
                }
            }

            /** No connection: the loop's next request fails as a request would, then the loop tries again. */
            void connectFailed(Throwable cause) {
                if (claim()) {
                    stats.sent.add(count);
                    failed(cause.toString());
                    connect(this);
                } else {
                    end();
                }
            }

            private void end() {
                finished = true;
                if (--running == 0) {
                    done.countDown();
                }
            }

            private void failed(String message) {
                if (timeout != null) {
                    timeout.cancel(false);
                }
                stats.lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
                stats.errors.add("IO_ERROR", count, message);
                first = -1;
            }

            private void answered(int status, byte[] body) {
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
        }
    }

    private byte[][] values(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            values[i] = Payloads.letters(options.recordSize(), random);
        }
        return values;
    }
}
