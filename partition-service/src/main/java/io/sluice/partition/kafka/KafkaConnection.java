package io.sluice.partition.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.kafka.KafkaCodec;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaFrameDecoder;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.MalformedFrameException;
import io.sluice.log.FileRegion;
import io.sluice.partition.fetch.ChannelRegions;
import io.sluice.protocol.SluiceException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One Kafka client's connection to this node. Its requests are answered one at a time, in request order, as Kafka's
 * network layer answers them: Produce and Fetch here ({@link DirectProduce}, {@link DirectFetch}), every other request
 * forwarded as it is to a gateway over a connection of its own ({@link Upstream}) — ApiVersions, Metadata, groups,
 * transactions, administration — so a client sees one broker that answers everything. A frame that is no readable
 * request closes the connection, as at the gateway; so does a forward when no gateway is known or reachable (the
 * client reconnects, to this node or another). Requests read while one is answered wait, and past
 * {@value #MAX_WAITING} the connection stops reading until they are answered. Every method runs on the connection's
 * event loop.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
    static final int MAX_WAITING = 16;

    private final long id;
    private final DirectProduce produce;
    private final DirectFetch fetch;
    private final GatewayBrokers gateways;
    private final int maxFrame;
    private final Deque<ByteBuf> waiting = new ArrayDeque<>();
    private ChannelHandlerContext context;
    private boolean busy;
    private Disposable answering;
    private Upstream upstream;

    KafkaConnection(long id, DirectProduce produce, DirectFetch fetch, GatewayBrokers gateways, int maxFrame) {
        this.id = id;
        this.produce = produce;
        this.fetch = fetch;
        this.gateways = gateways;
        this.maxFrame = maxFrame;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        waiting.add((ByteBuf) message);
        if (waiting.size() >= MAX_WAITING) {
            ctx.channel().config().setAutoRead(false);
        }
        next();
    }

    private void next() {
        if (busy || waiting.isEmpty() || !context.channel().isActive()) {
            return;
        }
        ByteBuf frame = waiting.poll();
        if (!context.channel().config().isAutoRead() && waiting.size() < MAX_WAITING / 2) {
            context.channel().config().setAutoRead(true);
        }
        busy = true;
        KafkaRequest request;
        try {
            request = KafkaCodec.parse(KafkaFrameDecoder.bytesOf(frame).duplicate());
        } catch (MalformedFrameException e) {
            frame.release();
            LOG.info("Closing Kafka connection #{} from {}: {}", id, context.channel().remoteAddress(),
                    e.getMessage());
            context.close();
            return;
        }
        Mono<ApiMessage> local = local(request);
        if (local == null) {
            forward(frame);
            return;
        }
        frame.release();
        // One signal per request, so that exactly one answer is written and the next request taken exactly once:
        // the encoded parts, or none for a produce with acks=0.
        answering = local
                .map(response -> Optional.of(KafkaCodec.encodeMixed(request, response)))
                .defaultIfEmpty(Optional.empty())
                .onErrorResume(e -> Mono.just(Optional.of(KafkaCodec.encodeMixed(request, failure(request, e)))))
                .subscribe(parts -> context.executor().execute(() -> answered(parts.orElse(null))),
                        e -> context.executor().execute(context::close));
    }

    /** The answer of a request this node answers itself, or null for one it forwards. */
    private Mono<ApiMessage> local(KafkaRequest request) {
        if (request.apiKey() == ApiKeys.PRODUCE && DirectProduce.handles(request)) {
            return Mono.defer(() -> produce.handle(request));
        }
        if (request.apiKey() == ApiKeys.FETCH) {
            return Mono.defer(() -> fetch.handle(request));
        }
        return null;
    }

    private static ApiMessage failure(KafkaRequest request, Throwable e) {
        if (!(e instanceof SluiceException) && !(e instanceof ApiException)) {
            LOG.error("{} failed", request, e);
        }
        return request.errorResponse(KafkaErrors.exception(e));
    }

    /** Writes an answer's parts (none for a produce with acks=0), then takes the next request. */
    private void answered(List<Object> parts) {
        answering = null;
        if (parts != null && context.channel().isActive()) {
            for (Object part : parts) {
                Object body = part instanceof ByteBuffer bytes ? Unpooled.wrappedBuffer(bytes)
                        : ChannelRegions.body((FileRegion) part, context.channel());
                context.write(body, context.voidPromise());
            }
            context.flush();
        }
        busy = false;
        next();
    }

    private void forward(ByteBuf frame) {
        if (upstream == null) {
            Optional<BrokerEndpoint> gateway = gateways.forConnection(id);
            if (gateway.isEmpty()) {
                frame.release();
                LOG.warn("Closing Kafka connection #{}: no gateway is known to forward its requests to", id);
                context.close();
                return;
            }
            upstream = new Upstream(context.channel().eventLoop(), gateway.get(), maxFrame);
        }
        upstream.forward(frame, answer -> {
            if (context.channel().isActive()) {
                context.writeAndFlush(answer, context.voidPromise());
            } else {
                answer.release();
            }
            busy = false;
            next();
        }, () -> {
            LOG.info("Closing Kafka connection #{}: its gateway connection failed", id);
            context.close();
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (answering != null) {
            answering.dispose();
            answering = null;
        }
        if (upstream != null) {
            upstream.close();
        }
        waiting.forEach(ByteBuf::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.info("Closing Kafka connection #{} from {}: {}", id, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
