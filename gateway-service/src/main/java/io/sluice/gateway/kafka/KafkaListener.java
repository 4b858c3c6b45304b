package io.sluice.gateway.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.sluice.gateway.GatewayProperties;
import io.sluice.kafka.KafkaCodec;
import io.sluice.kafka.KafkaFrameDecoder;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.MalformedFrameException;
import io.sluice.security.AuditLog;
import io.sluice.security.ClientCertificate;
import io.sluice.security.KafkaThrottle;
import io.sluice.security.KafkaTls;
import io.sluice.security.PrincipalMappingRules;
import io.sluice.security.SaslExchange;
import io.sluice.security.SecurityProperties;
import io.sluice.security.SluicePrincipal;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.protocol.ApiKeys;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.tcp.TcpServer;

/**
 * The gateway's Kafka-protocol listener (docs/kafka.md): a Reactor Netty TCP server that reads size-prefixed request
 * frames, hands each to {@link KafkaApis} and writes the answers.
 *
 * <p>Per connection, requests are answered in request order, as Kafka's network layer does, and handled one after
 * another — except consecutive produce requests, up to {@value #PIPELINED_PRODUCES} of them, which overlap
 * ({@link RequestOrder}): each hands its batches to the leaders' queues as it starts, in request order, and the
 * leaders append them in that order, since the gateway keeps one internal produce request in flight per leader
 * ({@code sluice.gateway.produce.coalescing.max-in-flight-per-leader=1}, the default; with more, produce requests do
 * not overlap). So a producer's requests keep their order, and the ones waiting for replication share internal
 * requests to the leaders rather than each waiting for the one before. A frame larger than
 * {@code sluice.gateway.kafka.max-request-size}, or one that is no readable request (garbage, an unknown API key, a
 * version kafka-clients cannot parse), closes its connection and nothing else: nothing of it was handled, and the
 * requests before it were answered.
 *
 * <p>With security on ({@code sluice.security.enabled}) a connection signs in with SASL before anything else
 * ({@link KafkaSession}); another request first closes it, as does any request but a new sign-in once its SASL
 * session ended (KIP-368, {@link SaslExchange#refusal}). With an SSL bundle (by default the HTTP server's) the
 * listener speaks TLS: SASL_SSL, or SSL with security off. With {@code sluice.security.tls.client-auth} it asks
 * for client certificates, and a connection whose certificate maps to a principal is signed in as it
 * ({@link ClientCertificate}); one whose certificate no rule maps is an audit line and stays signed out (SASL may
 * still sign it in, as Kafka's SASL_SSL ignores certificates), as is a refused handshake. After each answer the connection waits the throttle time
 * its principal's quotas ask ({@link KafkaThrottle}) before its next request is read.
 *
 * <p>Each frame is copied once, out of Netty's buffer into an array of its own ({@link KafkaFrameDecoder}), since a
 * request's record batches are read after Netty released the buffer they came in.
 */
@Component
@ConditionalOnBooleanProperty(name = "sluice.gateway.kafka.enabled", matchIfMissing = true)
class KafkaListener implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaListener.class);
    /** Produce requests of one connection that may be handled together: a Kafka producer's default in flight. */
    static final int PIPELINED_PRODUCES = 5;

    private final GatewayProperties.Kafka settings;
    private final KafkaApis apis;
    private final KafkaBroker broker;
    private final KafkaBrokers brokers;
    private final SaslExchange signIn;
    private final KafkaThrottle throttle;
    private final SslBundle tls;
    private final SecurityProperties.ClientAuth clientAuth;
    private final PrincipalMappingRules principalRules;
    private final AuditLog audit;
    private final int pipelined;
    private final AtomicLong connections = new AtomicLong();
    private volatile DisposableServer server;

    KafkaListener(GatewayProperties properties, KafkaApis apis, KafkaBroker broker, KafkaBrokers brokers,
                  SaslExchange signIn, KafkaThrottle throttle, SslBundles bundles, Environment environment,
                  SecurityProperties security, AuditLog audit) {
        this.settings = properties.kafka();
        this.apis = apis;
        this.broker = broker;
        this.brokers = brokers;
        this.signIn = signIn;
        this.throttle = throttle;
        this.tls = KafkaTls.bundle(settings.sslBundle(), environment, bundles);
        this.clientAuth = security.tls().clientAuth();
        this.principalRules = security.tls().rules();
        this.audit = audit;
        // Overlapping produces keep their order only while each leader takes one internal produce at a time.
        this.pipelined = properties.produce().coalescing().maxInFlightPerLeader() == 1 ? PIPELINED_PRODUCES : 1;
    }

    /** Kafka's name for what the listener speaks: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
    String securityProtocol() {
        return (signIn.required() ? "SASL_" : "") + (tls != null ? "SSL" : "PLAINTEXT");
    }

    @Override
    public void start() {
        int maxFrame = (int) Math.min(Integer.MAX_VALUE, settings.maxRequestSize().toBytes());
        TcpServer tcp = TcpServer.create()
                .host(settings.host())
                .port(settings.port())
                .doOnConnection(connection -> connection.addHandlerLast("kafka-frames", new KafkaFrameDecoder(maxFrame)))
                .handle(this::serve);
        if (tls != null) {
            tcp = tcp.secure(spec -> spec.sslContext(KafkaTls.server(tls, clientAuth)))
                    .doOnChannelInit((observer, channel, remote) -> auditRefusedHandshakes(channel));
        }
        server = tcp.bindNow(Duration.ofSeconds(30));
        broker.bound(server.port());
        brokers.start();
        LOG.info("Kafka listener ({}) on {}:{}, advertised as {}:{} (broker {}){}", securityProtocol(),
                settings.host(), server.port(), broker.advertisedHost(), broker.advertisedPort(), broker.nodeId(),
                signIn.required() ? ", SASL mechanisms " + signIn.mechanisms() : "");
    }

    @Override
    public void stop() {
        brokers.stop();
        DisposableServer running = server;
        if (running != null) {
            running.disposeNow(Duration.ofSeconds(10));
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port, or -1 when not listening. */
    int port() {
        DisposableServer running = server;
        return running == null ? -1 : running.port();
    }

    private Publisher<Void> serve(NettyInbound in, NettyOutbound out) {
        SocketAddress[] remote = new SocketAddress[1];
        in.withConnection(connection -> remote[0] = connection.channel().remoteAddress());
        KafkaSession session = new KafkaSession(connections.incrementAndGet(), remote[0], signIn.required());
        in.withConnection(connection -> connection.onDispose(session::closed));
        in.withConnection(connection -> KafkaTls.onHandshake(connection.channel(), principalRules,
                certificate -> signedInByCertificate(certificate, session), null));
        RequestOrder order = new RequestOrder();
        Flux<ByteBuf> answers = in.receive()
                .map(KafkaFrameDecoder::bytesOf)
                .flatMapSequential(frame -> inOrder(frame, session, order), pipelined, 1)
                // A failed sign-in's answer is the connection's last.
                .takeUntil(answer -> session.closing())
                .map(parts -> outgoing(out.alloc(), parts))
                .doOnError(e -> LOG.info("Closing {}: {}", session, e instanceof MalformedFrameException
                        ? e.getMessage() : e.toString()));
        return out.send(answers, buffer -> true);
    }

    /**
     * With security on, a client whose certificate maps to a principal is signed in as it; one whose certificate no
     * rule maps is audited and left signed out: it may still sign in with SASL (Kafka's SASL_SSL ignores the
     * certificate), and any other request first closes it. With security off a certificate changes nothing.
     */
    private void signedInByCertificate(ClientCertificate certificate, KafkaSession session) {
        if (!signIn.required()) {
            return;
        }
        switch (certificate) {
            case ClientCertificate.Mapped mapped -> session.signIn().signedInByCertificate(mapped.principal());
            case ClientCertificate.Unmapped unmapped -> {
                audit.signInFailed("Kafka TLS from " + session.clientHost() + ": no principal mapping rule maps "
                        + "the certificate's subject " + unmapped.subject());
                LOG.info("{}: no principal mapping rule maps its certificate's subject {}; it must sign in with SASL",
                        session, unmapped.subject());
            }
            case ClientCertificate.Absent absent -> {
            }
        }
    }

    /** With security on, a TLS handshake the listener refused is an audit line. */
    private void auditRefusedHandshakes(Channel channel) {
        if (signIn.required()) {
            KafkaTls.onHandshake(channel, principalRules, null, why -> audit.signInFailed("Kafka TLS handshake from "
                    + channel.remoteAddress() + " refused: " + why));
        }
    }

    /**
     * An answer's parts (a Fetch answer's include its record batches as they came from the leaders) copied once, into
     * one pooled direct buffer, which the socket writes as it is. Handed on as they are, heap parts would be copied
     * twice (a composite of them is merged into a new array before Netty copies that to direct memory) and the merge's
     * array zeroed first.
     */
    static ByteBuf outgoing(ByteBufAllocator alloc, ByteBuffer[] parts) {
        int size = 0;
        for (ByteBuffer part : parts) {
            size += part.remaining();
        }
        ByteBuf buffer = alloc.directBuffer(size, size);
        for (ByteBuffer part : parts) {
            buffer.writeBytes(part.duplicate());
        }
        return buffer;
    }

    /** The answer to one frame, once {@code order} lets it start; the frame is read after the ones before it began. */
    private Flux<ByteBuffer[]> inOrder(ByteBuffer frame, KafkaSession session, RequestOrder order) {
        boolean produce = frame.remaining() >= 2 && frame.getShort(frame.position()) == ApiKeys.PRODUCE.id;
        AtomicBoolean admitted = new AtomicBoolean();
        return order.admit(produce)
                .doOnSuccess(started -> admitted.set(true))
                .thenMany(Flux.defer(() -> answer(frame, session, order)))
                .doFinally(signal -> {
                    if (admitted.get()) {
                        order.done();
                    }
                });
    }

    /**
     * The answer to one frame, if any, then the pause its principal's quotas ask before the next is read; a pause also
     * stops produce requests read after this one from overlapping it.
     */
    /** The connection's principal once signed in (a request's, counted against its quotas), else null. */
    private static SluicePrincipal principal(KafkaSession session) {
        return session.signedIn() ? session.principal() : null;
    }

    private Flux<ByteBuffer[]> answer(ByteBuffer frame, KafkaSession session, RequestOrder order) {
        int frameBytes = frame.remaining();
        KafkaRequest request = KafkaCodec.parse(frame);
        String refusal = signIn.refusal(session.signIn(), request.apiKey());
        if (refusal != null) {
            throw new MalformedFrameException(refusal);
        }
        AtomicReference<Duration> pause = new AtomicReference<>(Duration.ZERO);
        return apis.handle(request, session)
                .map(response -> {
                    pause.set(throttle.served(principal(session), request, frameBytes, response));
                    return KafkaCodec.encodeParts(request, response);
                })
                .switchIfEmpty(Mono.fromRunnable(() -> pause.set(throttle.served(principal(session), request,
                        frameBytes, null))))
                .concatWith(Mono.defer(() -> {
                    if (pause.get().isZero()) {
                        return Mono.empty();
                    }
                    order.hold();
                    return Mono.delay(pause.get()).then(Mono.empty());
                }));
    }
}
