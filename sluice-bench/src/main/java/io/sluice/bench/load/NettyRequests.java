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
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Requests answered one at a time per keep-alive connection, over {@link NettyHttp}: {@link #send} takes an idle
 * connection or opens one, so as many requests can be in flight as callers send at once. For runs that send from
 * their own thread (the e2e run's pacer) rather than from closed loops on the event loop. Thread-safe: the
 * connections are touched on the event loop only.
 */
final class NettyRequests {

    /** An answer: its status and body. */
    record Answer(int status, byte[] body) {
    }

    private final NettyHttp http;
    private final Duration timeout;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();

    NettyRequests(NettyHttp http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** Sends {@code request}; the answer completes the future (on the event loop), a failure fails it. */
    CompletableFuture<Answer> send(FullHttpRequest request) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        http.execute(() -> {
            Connection connection = idle.pollFirst();
            if (connection != null) {
                connection.send(request, answer);
                return;
            }
            Connection fresh = new Connection();
            http.connect(fresh).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    fresh.channel = f.channel();
                    fresh.send(request, answer);
                } else {
                    request.release();
                    answer.completeExceptionally(f.cause());
                }
            });
        });
        return answer;
    }

    /** One connection with at most one request in flight; back to the idle ones once answered. */
    @ChannelHandler.Sharable
    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        private Channel channel;
        private CompletableFuture<Answer> pending;
        private io.netty.util.concurrent.ScheduledFuture<?> deadline;

        void send(FullHttpRequest request, CompletableFuture<Answer> answer) {
            pending = answer;
            deadline = channel.eventLoop().schedule(() -> channel.close(), timeout.toMillis(), TimeUnit.MILLISECONDS);
            channel.writeAndFlush(request).addListener(f -> {
                if (!f.isSuccess()) {
                    channel.close();
                }
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            CompletableFuture<Answer> answer = pending;
            pending = null;
            deadline.cancel(false);
            if (HttpUtil.isKeepAlive(response)) {
                idle.addLast(this);
            } else {
                ctx.close();
            }
            if (answer != null) {
                answer.complete(new Answer(response.status().code(), ByteBufUtil.getBytes(response.content())));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.remove(this);
            fail(new IOException("the connection closed before the answer, or no answer within " + timeout));
        }

        private void fail(Throwable cause) {
            if (pending != null) {
                deadline.cancel(false);
                pending.completeExceptionally(cause);
                pending = null;
            }
        }
    }
}
