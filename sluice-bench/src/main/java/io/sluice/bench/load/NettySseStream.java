package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One SSE stream read on {@link NettyHttp}'s event loop: each event is handed to the listener as soon as
 * {@link SseDecoder} decodes its blank line, with the time it was (no thread between the socket and the listener, so
 * an e2e latency ends where the event arrived, not where another thread woke up to it). Not thread-safe: one per
 * stream, used on the event loop.
 */
final class NettySseStream extends SimpleChannelInboundHandler<HttpObject> {

    /** What the stream tells: events as they come, and its end (an error answer, a closed connection). */
    interface Listener {
        void event(SseEvents.Event event, long receivedNanos);

        void ended(String why);
    }

    private final Listener listener;
    private final SseDecoder decoder = new SseDecoder();
    private final StringBuilder refusal = new StringBuilder();
    private int status;
    private volatile boolean ended;
    private volatile Channel channel;

    private NettySseStream(Listener listener) {
        this.listener = listener;
    }

    /** Opens the stream of {@code uri}. */
    static NettySseStream open(NettyHttp http, URI uri, Listener listener) {
        NettySseStream stream = new NettySseStream(listener);
        FullHttpRequest request = http.get(uri);
        request.headers().set(HttpHeaderNames.ACCEPT, "text/event-stream");
        http.execute(() -> http.connectStreaming(stream).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                stream.channel = f.channel();
                f.channel().writeAndFlush(request);
            } else {
                request.release();
                stream.end(f.cause().toString());
            }
        }));
        return stream;
    }

    /** Closes the connection (from any thread); the listener hears of no end after this. */
    void close() {
        ended = true;
        Channel open = channel;
        if (open != null) {
            open.close();
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
        if (message instanceof HttpResponse response) {
            status = response.status().code();
        }
        if (message instanceof HttpContent content) {
            long now = System.nanoTime();
            ByteBuf bytes = content.content();
            if (status != 200) {
                // a refused stream answers a problem document, not events: keep (the start of) it for the reason
                if (refusal.length() < 512) {
                    refusal.append(bytes.toString(StandardCharsets.UTF_8));
                }
            } else {
                decoder.feed(bytes.nioBuffer(), event -> {
                    if (!ended) {
                        listener.event(event, now);
                    }
                });
            }
            if (message instanceof LastHttpContent) {
                end(status != 200 ? "HTTP " + status + " " + refusal.toString().strip() : "the SSE stream ended");
                ctx.close();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end(cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end("the SSE stream's connection closed");
    }

    private void end(String why) {
        if (!ended) {
            ended = true;
            listener.ended(why);
        }
    }
}
