package io.sluice.partition.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
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
import io.sluice.security.ClientCertificate;
import io.sluice.security.KafkaTls;
import io.sluice.security.SaslExchange;
import io.sluice.security.SluicePrincipal;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One Kafka client's connection to this node. Its requests are answered in request order, as Kafka's network layer
 * answers them: Produce, Fetch, ListOffsets and OffsetsForLeaderEpoch here ({@link DirectProduce},
 * {@link DirectFetch}, {@link DirectOffsets}), DescribeLogDirs for this node's directory ({@link DirectLogDirs}),
 * ListGroups and ListTransactions too, empty ({@link DirectListings}),
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
 *
 * <p>Security is the gateways' ({@link NodeSecurity}): with it on, a connection signs in with SASL (SaslHandshake and
 * SaslAuthenticate, answered here) or by its TLS client certificate before anything but ApiVersions, which closes
 * it, and once its SASL session ended (KIP-368) anything but a new sign-in closes it too; what it asks here is checked
 * against the ACLs as its principal ({@link Access}); a failed sign-in's answer is its last; what it is served here
 * counts against its principal's quotas, whose {@code throttle_time_ms} its answer carries and for which its next
 * request waits ({@code KafkaThrottle}); its forwarded requests reach the gateway signed in as its principal.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
    static final int MAX_WAITING = 16;
    static final int PIPELINED_PRODUCES = 5;

    private final long id;
    private final DirectProduce produce;
    private final DirectFetch fetch;
    private final DirectOffsets offsets;
    private final DirectLogDirs logDirs;
    private final GatewayBrokers gateways;
    private final int maxFrame;
    private final KafkaRequestTimers timers;
    private final NodeSecurity security;
    /** The connection's SASL state, which the sign-in sets (from the thread that checks the credentials). */
    private final SaslExchange.State signIn;
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
    /** Until when (nanoTime) the connection's principal's quotas hold its next request. */
    private long pausedUntil;
    private boolean resumeScheduled;

    KafkaConnection(long id, DirectProduce produce, DirectFetch fetch, DirectOffsets offsets, DirectLogDirs logDirs,
                    GatewayBrokers gateways,
                    int maxFrame, KafkaRequestTimers timers, NodeSecurity security) {
        this.id = id;
        this.security = security;
        this.signIn = new SaslExchange.State(security.sasl.required() ? null : SluicePrincipal.ANONYMOUS,
                () -> context.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null);
        this.timers = timers;
        this.produce = produce;
        this.fetch = fetch;
        this.offsets = offsets;
        this.logDirs = logDirs;
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
        KafkaTls.onHandshake(ctx.channel(), security.principalRules, this::certificate, why -> {
            if (security.sasl.required()) {
                security.acls.audit().signInFailed("Kafka TLS handshake from " + ctx.channel().remoteAddress()
                        + " refused: " + why);
            }
        });
    }

    /**
     * With security on, a client whose certificate maps to a principal is signed in as it; one whose certificate no
     * rule maps is audited and left signed out: it may still sign in with SASL (Kafka's SASL_SSL ignores the
     * certificate), and any other request first closes it. With security off a certificate changes nothing.
     */
    private void certificate(ClientCertificate certificate) {
        if (!security.sasl.required()) {
            return;
        }
        switch (certificate) {
            case ClientCertificate.Mapped mapped -> signIn.signedInByCertificate(mapped.principal());
            case ClientCertificate.Unmapped unmapped -> {
                security.acls.audit().signInFailed("Kafka TLS from " + context.channel().remoteAddress()
                        + ": no principal mapping rule maps the certificate's subject " + unmapped.subject());
            }
            case ClientCertificate.Absent absent -> {
            }
        }
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
        long held = pausedUntil - System.nanoTime();
        if (held > 0) {
            if (!resumeScheduled) {
                resumeScheduled = true;
                context.executor().schedule(() -> {
                    resumeScheduled = false;
                    next();
                }, held, TimeUnit.NANOSECONDS);
            }
            return;
        }
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
        SluicePrincipal principal = signIn.principal();
        String refusal = security.sasl.refusal(signIn, request.apiKey());
        if (refusal != null) {
            frame.release();
            close(refusal);
            return;
        }
        boolean offsets = DirectOffsets.handles(request.apiKey());
        boolean listing = DirectListings.handles(request.apiKey());
        boolean logDirsHere = DirectLogDirs.handles(request.apiKey());
        boolean sasl = request.apiKey() == ApiKeys.SASL_HANDSHAKE || request.apiKey() == ApiKeys.SASL_AUTHENTICATE;
        Pending pending = new Pending(produceHere, request.apiKey(),
                !produceHere && request.apiKey() != ApiKeys.FETCH && !offsets && !listing && !logDirsHere && !sasl);
        started.add(pending);
        int frameBytes = frame.readableBytes();
        Access access = new Access(security.acls, principal);
        if (produceHere) {
            frame.release();
            appending = pending;
            pending.work = produce.start(request, access)
                    .doOnNext(appended -> context.executor().execute(() -> appended(pending)))
                    .flatMap(answer -> answer.map(Optional::of).defaultIfEmpty(Optional.empty()))
                    .onErrorResume(e -> Mono.just(Optional.of(failure(request, e))))
                    .subscribe(answer -> {
                        Duration pause = security.throttle.served(principal, request, frameBytes,
                                answer.orElse(null));
                        List<Object> parts = answer.map(response -> KafkaCodec.encodeMixed(request, response))
                                .orElse(null);
                        context.executor().execute(() -> {
                            appended(pending); // when the append itself failed
                            ready(pending, parts, pause);
                        });
                    }, e -> context.executor().execute(() -> close(e.toString())));
        } else if (request.apiKey() == ApiKeys.FETCH) {
            frame.release();
            if (fetchSession == null) {
                fetchSession = new FetchSession(() -> ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE));
            }
            FetchSession session = fetchSession;
            answerHere(pending, request, frameBytes, principal, () -> fetch.handle(request, session, access));
        } else if (offsets) {
            frame.release();
            answerHere(pending, request, frameBytes, principal, () -> this.offsets.handle(request, access));
        } else if (listing) {
            frame.release();
            answerHere(pending, request, frameBytes, principal,
                    () -> Mono.just(DirectListings.answer(request.apiKey())));
        } else if (logDirsHere) {
            frame.release();
            answerHere(pending, request, frameBytes, principal, () -> logDirs.handle(request, access));
        } else if (request.apiKey() == ApiKeys.SASL_HANDSHAKE) {
            frame.release();
            answerHere(pending, request, frameBytes, principal, () -> Mono.just(security.sasl.handshake(
                    ((SaslHandshakeRequest) request.body()).data(), request.version(), signIn)));
        } else if (request.apiKey() == ApiKeys.SASL_AUTHENTICATE) {
            frame.release();
            answerHere(pending, request, frameBytes, principal, () -> security.sasl.authenticate(
                    ((SaslAuthenticateRequest) request.body()).data(), signIn).map(ApiMessage.class::cast));
        } else {
            forward(pending, frame);
        }
    }

    /**
     * Answers {@code request} with what {@code answer} gives, or with its failure as Kafka's error, counted against
     * {@code principal}'s quotas (null: not signed in, not counted).
     */
    private void answerHere(Pending pending, KafkaRequest request, int frameBytes, SluicePrincipal principal,
                            Supplier<Mono<ApiMessage>> answer) {
        pending.work = Mono.defer(answer)
                .onErrorResume(e -> Mono.just(failure(request, e)))
                .subscribe(response -> {
                    Duration pause = security.throttle.served(principal, request, frameBytes, response);
                    List<Object> parts = KafkaCodec.encodeMixed(request, response);
                    context.executor().execute(() -> ready(pending, parts, pause));
                }, e -> context.executor().execute(() -> close(e.toString())));
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

    /**
     * {@code pending}'s answer is ready: every ready answer at the head goes out, in order, then what may start, after
     * {@code pause} (its principal's quotas'). After a failed sign-in's answer the connection closes.
     */
    private void ready(Pending pending, List<Object> parts, Duration pause) {
        if (!pause.isZero()) {
            pausedUntil = Math.max(pausedUntil, System.nanoTime() + pause.toNanos());
        }
        ready(pending, parts);
    }

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
        if (signIn.closing() && started.isEmpty() && !closing) {
            closing = true;
            LOG.info("Closing Kafka connection #{} from {}: its SASL sign-in failed", id,
                    context.channel().remoteAddress());
            context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        next();
    }

    private void forward(Pending pending, ByteBuf frame) {
        SluicePrincipal principal = security.sasl.required() ? signIn.principal() : null;
        if (upstream != null && !Objects.equals(upstream.principal(), principal)) {
            // Signed in since: the next connection signs in as the principal.
            upstream.close();
            upstream = null;
        }
        if (upstream == null) {
            Optional<BrokerEndpoint> gateway = gateways.forConnection(id);
            if (gateway.isEmpty()) {
                frame.release();
                close("no gateway is known to forward its requests to");
                return;
            }
            upstream = new Upstream(context.channel().eventLoop(), gateway.get(), maxFrame, principal,
                    security.clusterSecret, security.upstreamTls);
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
