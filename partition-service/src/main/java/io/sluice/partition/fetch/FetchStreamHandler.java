package io.sluice.partition.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.internal.partition.FetchRequestCodec;
import io.sluice.internal.partition.FetchStream;
import io.sluice.internal.partition.ProduceResponseCodec;
import io.sluice.internal.replication.ReplicaFetchRequestCodec;
import io.sluice.protocol.ErrorCode;
import io.sluice.partition.produce.ProduceService;
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
 * One fetch stream connection at the node: its hello, checked as an HTTP call's cluster secret is, then requests of the
 * connection's kind served as the HTTP routes serve them — a consumer fetch by the {@link FetchService} as
 * {@code POST /internal/fetch}, a follower's as {@code POST /internal/replica-fetch} (which records how far that
 * follower is before reading), a gateway's produce by the {@link ProduceService} as {@code POST /internal/produce} —
 * each answered as soon as it completes, however many are in flight (correlation 0 is the hello's answer). A
 * connection that ends disposes of its requests still waiting: a fetch's wait ends, and a produce is appended or not
 * by how far it had gone, as when an HTTP caller goes away (its caller, told REQUEST_TIMED_OUT, counts it unknown).
 * Frames arrive whole ({@code LengthFieldBasedFrameDecoder}); one too large or a hello that does not parse closes the
 * connection. Its state is touched on the connection's event loop only.
 */
final class FetchStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(FetchStreamHandler.class);

    private final FetchStream.Kind kind;
    private final FetchService fetches;
    private final ProduceService produces;
    private final ClusterAdmission admission;
    private final Map<Integer, Disposable> inFlight = new HashMap<>();
    private boolean admitted;
    private boolean refused;

    FetchStreamHandler(FetchStream.Kind kind, FetchService fetches, ProduceService produces,
                       ClusterAdmission admission) {
        this.kind = kind;
        this.fetches = fetches;
        this.produces = produces;
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
        // A body that does not parse fails its request alone, answered with INVALID_REQUEST like any other failure.
        Mono<Answer> answer = Mono.defer(() -> switch (kind) {
            case CONSUMER -> sections(correlation, fetches.fetch(FetchRequestCodec.decode(body)));
            case REPLICA -> sections(correlation, fetches.replicaFetch(ReplicaFetchRequestCodec.decode(body)));
            case PRODUCE -> produce(correlation, FetchStream.readProduceRequest(body));
        });
        // Answers go out from the event loop as tasks of their own, after this registration, so that an answer ready
        // at once (nothing to wait for) finds its entry to remove.
        Disposable request = answer.subscribe(
                ready -> ctx.executor().execute(() -> {
                    if (inFlight.remove(correlation) != null && ctx.channel().isActive()) {
                        ready.writeTo(ctx);
                    }
                }),
                error -> ctx.executor().execute(() -> {
                    if (inFlight.remove(correlation) != null && ctx.channel().isActive()) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(failure(correlation, error)));
                    }
                }));
        inFlight.put(correlation, request);
    }

    /** A response frame ready to be written on the connection's event loop. */
    @FunctionalInterface
    private interface Answer {
        void writeTo(ChannelHandlerContext ctx);
    }

    private static Mono<Answer> sections(int correlation, Mono<List<FetchSection>> fetched) {
        return fetched.defaultIfEmpty(List.of())
                .map(sections -> ctx -> FetchResponseWriter.writeFrame(ctx.channel(), correlation, sections));
    }

    private Mono<Answer> produce(int correlation, FetchStream.ProduceCall call) {
        return produces.produce(call.entries(), call.acks(), call.timeout()).map(response -> {
            ByteBuffer encoded = ProduceResponseCodec.encode(response);
            return ctx -> ctx.writeAndFlush(Unpooled.wrappedBuffer(
                    FetchStream.okHead(correlation, encoded.remaining()), encoded));
        });
    }

    private static ByteBuffer failure(int correlation, Throwable error) {
        if (error instanceof SluiceException sluice) {
            return FetchStream.failed(correlation, sluice.errorCode(), sluice.getMessage());
        }
        LOG.error("A fetch stream request failed", error);
        return FetchStream.failed(correlation, ErrorCode.UNKNOWN_SERVER_ERROR, "The request failed");
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
