package io.sluice.partition.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.FetchStream;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.web.ClusterAdmission;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One fetch stream connection at the node: its hello, checked as an HTTP call's cluster secret is, then fetches of the
 * connection's kind served by the {@link FetchService} as the HTTP routes serve them (a consumer fetch as
 * {@code POST /internal/fetch}, a follower's as {@code POST /internal/replica-fetch}, which records how far that
 * follower is before reading), each answered as soon as it completes, however many are
 * in flight (correlation 0 is the hello's answer). A connection that ends disposes of its fetches still waiting.
 * Frames arrive whole ({@code LengthFieldBasedFrameDecoder}); one too large or a hello that does not parse closes the
 * connection. Its state is touched on the connection's event loop only.
 */
final class FetchStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FetchStreamHandler.class);

    private final FetchStream.Kind kind;
    private final FetchService fetches;
    private final ClusterAdmission admission;
    private final Map<Integer, Disposable> inFlight = new HashMap<>();
    private boolean admitted;
    private boolean refused;

    FetchStreamHandler(FetchStream.Kind kind, FetchService fetches, ClusterAdmission admission) {
        this.kind = kind;
        this.fetches = fetches;
        this.admission = admission;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ByteBuf frame = (ByteBuf) message;
        try {
            if (refused) {
                return; // closing: the refusal is the connection's last answer
            }
            if (!admitted) {
                hello(ctx, frame);
            } else {
                request(ctx, frame);
            }
        } finally {
            frame.release();
        }
    }

    private void hello(ChannelHandlerContext ctx, ByteBuf frame) {
        String secret = FetchStream.readHello(copy(frame));
        if (admission.enabled() && !admission.admits(secret.isEmpty() ? null : secret, null)) {
            LOG.debug("Refused a fetch stream without the cluster secret from {}", ctx.channel().remoteAddress());
            refused = true;
            ctx.writeAndFlush(Unpooled.wrappedBuffer(FetchStream.failed(0, ErrorCode.SASL_AUTHENTICATION_FAILED,
                    "The fetch stream is internal to the cluster: it needs the cluster's secret")))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        admitted = true;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(FetchStream.admitted()));
    }

    private void request(ChannelHandlerContext ctx, ByteBuf frame) {
        if (frame.readableBytes() < 4) {
            throw ErrorCode.INVALID_REQUEST.exception("A fetch stream request of " + frame.readableBytes() + " bytes");
        }
        int correlation = frame.readInt();
        ByteBuffer body = copy(frame);
        // A body that does not parse fails its fetch alone, answered with INVALID_REQUEST like any other failure.
        Mono<List<FetchSection>> answer = Mono.defer(() -> switch (kind) {
            case CONSUMER -> fetches.fetch(FetchRequestCodec.decode(body));
            case REPLICA -> fetches.replicaFetch(ReplicaFetchRequestCodec.decode(body));
        });
        // Answers go out from the event loop as tasks of their own, after this registration, so that an answer ready
        // at once (nothing to wait for) finds its entry to remove.
        Disposable fetch = answer.defaultIfEmpty(List.of()).subscribe(
                sections -> ctx.executor().execute(() -> {
                    if (inFlight.remove(correlation) != null && ctx.channel().isActive()) {
                        FetchResponseWriter.writeFrame(ctx.channel(), correlation, sections);
                    }
                }),
                error -> ctx.executor().execute(() -> {
                    if (inFlight.remove(correlation) != null && ctx.channel().isActive()) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(failure(correlation, error)));
                    }
                }));
        inFlight.put(correlation, fetch);
    }

    private static ByteBuffer failure(int correlation, Throwable error) {
        if (error instanceof SluiceException sluice) {
            return FetchStream.failed(correlation, sluice.errorCode(), sluice.getMessage());
        }
        LOG.error("A fetch failed", error);
        return FetchStream.failed(correlation, ErrorCode.UNKNOWN_SERVER_ERROR, "The fetch failed");
    }

    private static ByteBuffer copy(ByteBuf frame) {
        ByteBuffer bytes = ByteBuffer.allocate(frame.readableBytes());
        frame.readBytes(bytes);
        return bytes.flip();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        List<Disposable> waiting = new ArrayList<>(inFlight.values());
        inFlight.clear();
        waiting.forEach(Disposable::dispose);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("Closing a fetch stream from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
