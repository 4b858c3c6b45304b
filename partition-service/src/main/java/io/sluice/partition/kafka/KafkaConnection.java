package io.sluice.partition.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.kafka.FetchSession;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One Kafka client's connection to this node. Its requests are answered in request order, as Kafka's network layer
 * answers them: Produce, Fetch, ListOffsets and OffsetsForLeaderEpoch here ({@link DirectProduce},
 * {@link DirectFetch}, {@link DirectOffsets}), ListGroups and ListTransactions too, empty ({@link DirectListings}),
 * every other request forwarded as
 * it is to a gateway over a connection of its own ({@link Upstream}) — ApiVersions, Metadata, groups, transactions,
 * administration — so a client sees one broker that answers everything.
 *
 * <p>Requests are handled one at a time, except consecutive produce requests, up to {@value #PIPELINED_PRODUCES} (a
 * producer's default {@code max.in.flight.requests.per.connection}): each starts once the one before it is appended,
 * so they reach the log in request order, and their waits for acks overlap. Answers are written in request order as
 * they become ready.
 *
 * <p>A frame that is no readable request closes the connection once the requests before it are answered, as at the
 * gateway; so does a forward when no gateway is known or reachable (the client reconnects, to this node or
 * another). Requests read while others are handled wait, and past {@value #MAX_WAITING} the connection stops reading
 * until some are answered. Every method runs on the connection's event loop.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
    static final int MAX_WAITING = 16;
    static final int PIPELINED_PRODUCES = 5;

    private final long id;
    private final DirectProduce produce;
    private final DirectFetch fetch;
    private final DirectOffsets offsets;
    private final GatewayBrokers gateways;
    private final int maxFrame;
    private final KafkaRequestTimers timers;
    /** Frames read and not started, in order. */
    private final Deque<ByteBuf> waiting = new ArrayDeque<>();
    /** Requests started and not yet answered, in order. */
    private final Deque<Pending> started = new ArrayDeque<>();
    private ChannelHandlerContext context;
    /** The next waiting frame, parsed; null until it is. */
    private KafkaRequest head;
    /** The produce started last while it is still being appended, else null. */
    private Pending appending;
    private boolean closing;
    private Upstream upstream;
    /** The connection's fetch session (KIP-227), made by its first Fetch. */
    private FetchSession fetchSession;

    KafkaConnection(long id, DirectProduce produce, DirectFetch fetch, DirectOffsets offsets, GatewayBrokers gateways,
                    int maxFrame, KafkaRequestTimers timers) {
        this.id = id;
        this.timers = timers;
        this.produce = produce;
        this.fetch = fetch;
        this.offsets = offsets;
        this.gateways = gateways;
        this.maxFrame = maxFrame;
    }

    /** A request started: its kind, and its answer once ready (no bytes for a produce with acks=0). */
    private static final class Pending {

        final boolean produce;
        final ApiKeys api;
        final boolean forwarded;
        final long startedNanos = System.nanoTime();
        Disposable work;
        boolean ready;
        List<Object> parts;

        Pending(boolean produce, ApiKeys api, boolean forwarded) {
            this.produce = produce;
            this.api = api;
            this.forwarded = forwarded;
        }
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

    /** Starts every waiting request that may start now. */
    private void next() {
        while (!closing && !waiting.isEmpty() && context.channel().isActive()) {
            if (head == null) {
                try {
                    head = KafkaCodec.parse(KafkaFrameDecoder.bytesOf(waiting.peek()).duplicate());
                } catch (MalformedFrameException e) {
                    if (started.isEmpty()) {
                        close("its frame is no readable request: " + e.getMessage());
                    }
                    return; // closed once the requests before it are answered
                }
            }
            boolean pipelined = head.apiKey() == ApiKeys.PRODUCE && DirectProduce.handles(head);
            boolean mayStart = started.isEmpty() || pipelined && appending == null
                    && started.size() < PIPELINED_PRODUCES && started.stream().allMatch(p -> p.produce);
            if (!mayStart) {
                return;
            }
            KafkaRequest request = head;
            head = null;
            ByteBuf frame = waiting.poll();
            if (!context.channel().config().isAutoRead() && waiting.size() < MAX_WAITING / 2) {
                context.channel().config().setAutoRead(true);
            }
            start(request, frame, pipelined);
        }
    }

    private void start(KafkaRequest request, ByteBuf frame, boolean produceHere) {
        boolean offsets = DirectOffsets.handles(request.apiKey());
        boolean listing = DirectListings.handles(request.apiKey());
        Pending pending = new Pending(produceHere, request.apiKey(),
                !produceHere && request.apiKey() != ApiKeys.FETCH && !offsets && !listing);
        started.add(pending);
        if (produceHere) {
            frame.release();
            appending = pending;
            pending.work = produce.start(request)
                    .doOnNext(appended -> context.executor().execute(() -> appended(pending)))
                    .flatMap(answer -> answer.map(Optional::of).defaultIfEmpty(Optional.empty()))
                    .onErrorResume(e -> Mono.just(Optional.of(failure(request, e))))
                    .subscribe(answer -> context.executor().execute(() -> {
                        appended(pending); // when the append itself failed
                        ready(pending, answer.map(response -> KafkaCodec.encodeMixed(request, response))
                                .orElse(null));
                    }), e -> context.executor().execute(() -> close(e.toString())));
        } else if (request.apiKey() == ApiKeys.FETCH) {
            frame.release();
            if (fetchSession == null) {
                fetchSession = new FetchSession(() -> ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
            }
            FetchSession session = fetchSession;
            answerHere(pending, request, () -> fetch.handle(request, session));
        } else if (offsets) {
            frame.release();
            answerHere(pending, request, () -> this.offsets.handle(request));
        } else if (listing) {
            frame.release();
            answerHere(pending, request, () -> Mono.just(DirectListings.answer(request.apiKey())));
        } else {
            forward(pending, frame);
        }
    }

    /** Answers {@code request} with what {@code answer} gives, or with its failure as Kafka's error. */
    private void answerHere(Pending pending, KafkaRequest request, Supplier<Mono<ApiMessage>> answer) {
        pending.work = Mono.defer(answer)
                .onErrorResume(e -> Mono.just(failure(request, e)))
                .map(response -> KafkaCodec.encodeMixed(request, response))
                .subscribe(parts -> context.executor().execute(() -> ready(pending, parts)),
                        e -> context.executor().execute(() -> close(e.toString())));
    }

    /** {@code pending}'s batches are appended (or refused): the next produce may start. */
    private void appended(Pending pending) {
        if (appending == pending) {
            appending = null;
            next();
        }
    }

    private static ApiMessage failure(KafkaRequest request, Throwable e) {
        if (!(e instanceof SluiceException) && !(e instanceof ApiException)) {
            LOG.error("{} failed", request, e);
        }
        return request.errorResponse(KafkaErrors.exception(e));
    }

    /** {@code pending}'s answer is ready: every ready answer at the head goes out, in order, then what may start. */
    private void ready(Pending pending, List<Object> parts) {
        timers.record(pending.api, pending.forwarded, System.nanoTime() - pending.startedNanos);
        pending.ready = true;
        pending.parts = parts;
        boolean wrote = false;
        while (!started.isEmpty() && started.peek().ready) {
            Pending answered = started.poll();
            if (answered.parts != null && context.channel().isActive()) {
                for (Object part : answered.parts) {
                    Object body = part instanceof ByteBuffer bytes ? Unpooled.wrappedBuffer(bytes)
                            : part instanceof ByteBuf buffer ? buffer
                            : ChannelRegions.body((FileRegion) part, context.channel());
                    context.write(body, context.voidPromise());
                }
                wrote = true;
            }
        }
        if (wrote) {
            context.flush();
        }
        next();
    }

    private void forward(Pending pending, ByteBuf frame) {
        if (upstream == null) {
            Optional<BrokerEndpoint> gateway = gateways.forConnection(id);
            if (gateway.isEmpty()) {
                frame.release();
                close("no gateway is known to forward its requests to");
                return;
            }
            upstream = new Upstream(context.channel().eventLoop(), gateway.get(), maxFrame);
        }
        upstream.forward(frame, answer -> ready(pending, List.of(answer)),
                why -> close("forwarding its requests failed: " + why));
    }

    private void close(String why) {
        if (!closing) {
            closing = true;
            LOG.info("Closing Kafka connection #{} from {}: {}", id, context.channel().remoteAddress(), why);
            context.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        for (Pending pending : started) {
            if (pending.work != null) {
                pending.work.dispose();
            }
            if (pending.parts != null) {
                pending.parts.forEach(part -> {
                    if (part instanceof ByteBuf buffer) {
                        buffer.release();
                    }
                });
            }
        }
        started.clear();
        if (upstream != null) {
            upstream.close();
        }
        waiting.forEach(ByteBuf::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(cause.toString());
    }
}
