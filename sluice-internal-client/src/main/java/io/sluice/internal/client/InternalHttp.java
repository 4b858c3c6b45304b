package io.sluice.internal.client;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.internal.InternalPaths;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * The one HTTP stack for internal calls: Reactor Netty, non-blocking, with a connection pool per {@link Purpose}, and
 * the same resilience4j policies on every call, all with Micrometer metrics ({@code resilience4j_*}, tagged by name):
 * <ul>
 *   <li><b>time limiter</b> — each attempt is bounded by its call's limit (a long poll's wait or a produce's timeout
 *   is part of that limit, so the limit is per call rather than per limiter; the purpose's {@link TimeLimiter}
 *   records successes, failures and time-outs);</li>
 *   <li><b>circuit breaker per target</b> — a node or coordinator instance that keeps failing to answer is not called
 *   while its circuit is open (error answers are answers and do not count); one whose circuit opened on refused
 *   connections is called again as soon as its port accepts them ({@link #watchForReturn});</li>
 *   <li><b>retry with backoff</b> — only what the call's {@link RetryPolicy} allows: never a produce whose outcome is
 *   unknown, never an answer that calls for a metadata refresh.</li>
 * </ul>
 * A failure leaves as a {@link SluiceException}: the target's own error, its {@link Target#unreachable()} code when
 * the call never reached it or its circuit is open, REQUEST_TIMED_OUT (outcome unknown) when it broke or timed out
 * after it was sent. Answers are delivered on a Netty event loop: callers that block must publish elsewhere.
 *
 * <p>Thread-safe; one per service.
 */
public final class InternalHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InternalHttp.class);
    private static final byte[] EMPTY = new byte[0];
    /** How often a target whose circuit opened while it refused connections is tried again ({@link #watchForReturn}). */
    static final Duration RETURN_PROBE_EVERY = Duration.ofMillis(250);
    /** How long such a target is watched at most: one gone for good is not probed for ever. */
    static final Duration RETURN_WATCH_LIMIT = Duration.ofMinutes(1);

    private final Map<Purpose, ConnectionProvider> pools = new EnumMap<>(Purpose.class);
    private final Map<Purpose, HttpClient> clients = new EnumMap<>(Purpose.class);
    private final Map<Purpose, Map<String, HttpClient>> withContentType = new EnumMap<>(Purpose.class);
    private final CircuitBreakerRegistry breakers;
    /** The circuits that counted a failure since their target's last answer: only these have failures to forget. */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final RetryRegistry retries;
    private final TimeLimiterRegistry limiters;
    private final InternalClientSettings settings;
    /** Each target's base URL by its circuit's name, for {@link #watchForReturn}. */
    private final Map<String, URI> targets = new ConcurrentHashMap<>();
    private final ConnectionProbe probe;
    /** The circuits whose last failed call found its target's port refusing connections. */
    private final Set<String> refusing = ConcurrentHashMap.newKeySet();
    /** The watches of open circuits under way, by circuit name, ended by {@link #close}. */
    private final Map<String, Disposable> watches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public InternalHttp(InternalClientSettings settings, MeterRegistry meters) {
        this(settings, meters, null, null);
    }

    /**
     * With {@code clusterSecret} (null: none) sent on every call in {@link InternalPaths#CLUSTER_SECRET_HEADER}, for a
     * cluster whose internal plane is closed, and {@code tls} (null: the JDK's default trust) for calls to
     * {@code https://} peers (docs/security.md).
     */
    public InternalHttp(InternalClientSettings settings, MeterRegistry meters, String clusterSecret, InternalTls tls) {
        this.settings = settings;
        this.probe = new ConnectionProbe(settings.connectTimeout(), tls);
        for (Purpose purpose : Purpose.values()) {
            String name = "sluice-" + purpose.name().toLowerCase(Locale.ROOT);
            ConnectionProvider pool = ConnectionProvider.builder(name)
                    .maxConnections(settings.connections(purpose))
                    .pendingAcquireMaxCount(-1)
                    .pendingAcquireTimeout(settings.callTimeout())
                    .maxIdleTime(java.time.Duration.ofSeconds(30))
                    .build();
            pools.put(purpose, pool);
            clients.put(purpose, secure(HttpClient.create(pool), tls)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                    .keepAlive(true)
                    .headers(headers -> {
                        headers.set(HttpHeaderNames.ACCEPT, "application/json, application/problem+json, */*");
                        if (clusterSecret != null) {
                            headers.set(InternalPaths.CLUSTER_SECRET_HEADER, clusterSecret);
                        }
                    }));
            withContentType.put(purpose, new ConcurrentHashMap<>());
        }
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRate())
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(settings.openDuration())
                .recordException(e -> e instanceof TransportFailure || e instanceof TimeoutException)
                .build());
        // A circuit that opens turns every call to its target into an immediate refusal for a while: say so, with
        // the failures that opened it, where an operator (or a failed test's kept log) will look.
        breakers.getEventPublisher().onEntryAdded(added -> {
            CircuitBreaker breaker = added.getAddedEntry();
            breaker.getEventPublisher().onStateTransition(event -> {
                LOG.warn("Circuit to {}: {} ({} of the last {} calls failed to get an answer)", breaker.getName(),
                        event.getStateTransition(), breaker.getMetrics().getNumberOfFailedCalls(),
                        breaker.getMetrics().getNumberOfBufferedCalls());
                if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    watchForReturn(breaker);
                }
            });
        });
        this.retries = RetryRegistry.ofDefaults();
        this.limiters = TimeLimiterRegistry.of(TimeLimiterConfig.custom().timeoutDuration(settings.callTimeout()).build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(limiters).bindTo(meters);
    }

    /**
     * The client with the cluster's trust and certificate. Reactor Netty applies TLS only to {@code https://} URLs,
     * so one client serves a cluster whose URLs are all one scheme or the other. Host names are verified (the default).
     */
    static HttpClient secure(HttpClient client, InternalTls tls) {
        if (tls == null) {
            return client;
        }
        return client.secure(spec -> spec.sslContext(Http11SslContextSpec.forClient().configure(builder -> {
            builder.trustManager(tls.trustManagers());
            if (tls.keyManagers() != null) {
                builder.keyManager(tls.keyManagers());
            }
        })));
    }

    public InternalClientSettings settings() {
        return settings;
    }

    /** Closes {@code target}'s circuit, if it has one, forgetting the failures it counted ({@link ReturningNodes}). */
    void closeCircuit(Target target) {
        breakers.find(target.name()).ifPresent(CircuitBreaker::reset);
    }

    /**
     * A circuit that opened on a refused connection (the target's process gone: killed, crashed, or restarting) goes
     * half-open as soon as the target's port accepts connections again, not when its open duration has passed: a
     * restarted coordinator or node is called again within {@link #RETURN_PROBE_EVERY} of listening. Without this its
     * callers were refused for the rest of the open duration, and a half-open circuit whose trial calls came just
     * before the new process listened was refused for a whole open duration more (a gateway answered "keeps failing"
     * for seconds after its coordinator was back: CI run ci19). A circuit that opened on a call that reached a process
     * (timed out, or broke after it was sent) is left to its open duration, as before: only a refused connection
     * proves the process gone ({@link ConnectionProbe}). A target still refusing after {@link #RETURN_WATCH_LIMIT} is
     * no longer watched (a node removed for good): its circuit goes half-open at a call after the open duration.
     */
    private void watchForReturn(CircuitBreaker breaker) {
        String name = breaker.getName();
        URI url = targets.get(name);
        Disposable.Swap watch = Disposables.swap();
        if (url == null || closed || !refusing.contains(name) || watches.putIfAbsent(name, watch) != null) {
            return; // one watch per circuit at a time
        }
        String base = url.toString();
        watch.update(Mono.defer(() -> probe.refusesConnections(base))
                .repeatWhen(probed -> probed.delayElements(RETURN_PROBE_EVERY))
                .take(RETURN_WATCH_LIMIT)
                .takeUntil(refused -> !refused || breaker.getState() != CircuitBreaker.State.OPEN)
                .last()
                .doFinally(signal -> watches.remove(name, watch))
                .subscribe(refused -> {
                    if (!refused && breaker.getState() == CircuitBreaker.State.OPEN) {
                        LOG.info("{} at {} accepts connections again: its circuit lets trial calls through",
                                breaker.getName(), base);
                        try {
                            breaker.transitionToHalfOpenState();
                        } catch (IllegalStateTransitionException raced) {
                            // a call moved it on at the same moment: nothing left to do
                        }
                    }
                }, e -> LOG.debug("Watching {} for its return failed", name, e)));
    }

    private void noteFailure(String circuit, Throwable e) {
        if (ConnectionProbe.refused(e)) {
            refusing.add(circuit);
        } else if (!refusing.isEmpty()) {
            refusing.remove(circuit);
        }
    }

    /** Whether an open circuit to {@code target} is being watched for the target's return: for tests. */
    boolean watchingForReturn(Target target) {
        return watches.containsKey(target.name());
    }

    /**
     * Makes {@code call}: a 2xx or redirect answer is returned as it is; an error answer fails with the target's
     * problem decoded.
     */
    Mono<Answer> exchange(Call call) {
        TimeLimiter limiter = limiters.timeLimiter(call.purpose().name().toLowerCase(Locale.ROOT));
        CircuitBreaker breaker = breakers.circuitBreaker(call.target().name());
        targets.putIfAbsent(call.target().name(), call.target().baseUrl());
        Mono<Answer> sent = Mono.defer(() -> send(call))
                .timeout(call.timeLimit())
                .doOnSuccess(answer -> limiter.onSuccess())
                .doOnError(limiter::onError)
                // Before the circuit hears of the failure: the call that opens it has already been noted.
                .doOnError(e -> noteFailure(breaker.getName(), e));
        return (call.timeLimit().compareTo(settings.callTimeout()) > 0 ? judged(sent, breaker)
                        : sent.transformDeferred(CircuitBreakerOperator.of(breaker)))
                .doOnSuccess(answer -> answered(breaker))
                .doOnError(e -> {
                    if (e instanceof TransportFailure || e instanceof TimeoutException) {
                        failing.add(breaker.getName());
                    } else if (!(e instanceof CallNotPermittedException)) {
                        answered(breaker); // an error answer is an answer
                    }
                })
                .transformDeferred(RetryOperator.of(retry(call)))
                .onErrorMap(e -> !(e instanceof SluiceException), e -> translate(call.target(), e));
    }

    /**
     * The target answered, so the failures its closed circuit had counted are forgotten: they were about a process
     * or a path that answers now. A circuit judges its window on the call that completes it, so without this a node
     * that failed six of its first ten calls while it restarted had its circuit opened by its fourth answer once back
     * (a follower then could not ask its restarted leader where epochs end for five seconds). A target that keeps
     * failing still opens its circuit; one whose calls fail and answer by turns no longer does. Every answered call
     * comes here, so the circuit's window (read under its lock) is looked at only after a failure was counted.
     */
    private void answered(CircuitBreaker breaker) {
        if (!failing.isEmpty() && failing.remove(breaker.getName())
                && breaker.getState() == CircuitBreaker.State.CLOSED
                && breaker.getMetrics().getNumberOfFailedCalls() > 0) {
            breaker.reset();
        }
    }

    /**
     * A call that may wait (a long poll: its time limit is past the call timeout), under {@code breaker} without
     * holding one of its permissions while it waits. Asked while the circuit is open, it fails as any call does; its
     * outcome counts as any call's. But a half-open circuit lets only a few trial calls through at once and judges
     * them when they have all ended: long polls holding those permissions for their whole wait kept every other call
     * to a target that had come back failing fast ("keeps failing") until the polls ended.
     */
    private static Mono<Answer> judged(Mono<Answer> call, CircuitBreaker breaker) {
        return Mono.defer(() -> {
            breaker.acquirePermission();
            breaker.releasePermission();
            long start = breaker.getCurrentTimestamp();
            return call
                    .doOnSuccess(answer -> breaker.onSuccess(breaker.getCurrentTimestamp() - start,
                            breaker.getTimestampUnit()))
                    .doOnError(e -> breaker.onError(breaker.getCurrentTimestamp() - start,
                            breaker.getTimestampUnit(), e));
        });
    }

    private Mono<Answer> send(Call call) {
        HttpClient.RequestSender request = client(call).request(call.method()).uri(call.target().url(call.path()));
        HttpClient.ResponseReceiver<?> receiver = call.body() == null ? request
                : request.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(call.body())));
        return receiver
                .response((response, content) -> body(response, content)
                        .map(bytes -> new Answer(response.status().code(),
                                response.responseHeaders().get(HttpHeaderNames.LOCATION), bytes)))
                .next()
                .onErrorMap(e -> !(e instanceof TimeoutException), e -> new TransportFailure(!notSent(e), e))
                .flatMap(answer -> answer.status() < 300 || answer.isRedirect() ? Mono.just(answer)
                        : Mono.error(ProblemDecoder.decode(call.target(), answer.status(), answer.body())));
    }

    /**
     * The whole body as one array. With a {@code Content-Length} (every Sluice service sends one; a fetch answer's is
     * exact, its records sent from the file) each piece is copied into an array of that length as it arrives and
     * released, so a fetch answer of megabytes is copied once; aggregating the pieces first cost a copy into a
     * consolidated buffer and a second into the array.
     */
    private static Mono<byte[]> body(HttpClientResponse response, ByteBufFlux content) {
        long length;
        try {
            length = Long.parseLong(response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH, "-1"));
        } catch (NumberFormatException unreadable) {
            length = -1;
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
            return content.aggregate().asByteArray().defaultIfEmpty(EMPTY);
        }
        int size = (int) length;
        return content.reduceWith(() -> new Filling(size), Filling::append).map(Filling::bytes);
    }

    /** An array of the body's announced length, filled piece by piece. */
    private static final class Filling {

        private final byte[] bytes;
        private int filled;

        Filling(int size) {
            this.bytes = size == 0 ? EMPTY : new byte[size];
        }

        Filling append(ByteBuf piece) {
            int length = piece.readableBytes();
            if (length > bytes.length - filled) {
                throw new IllegalStateException("The answer is longer than its Content-Length of " + bytes.length);
            }
            piece.getBytes(piece.readerIndex(), bytes, filled, length);
            filled += length;
            return this;
        }

        byte[] bytes() {
            if (filled != bytes.length) {
                throw new IllegalStateException("The answer ended after " + filled + " of its " + bytes.length
                        + " bytes");
            }
            return bytes;
        }
    }

    /** The purpose's client with the call's content type; configured once per type, not per call. */
    private HttpClient client(Call call) {
        HttpClient base = clients.get(call.purpose());
        if (call.contentType() == null) {
            return base;
        }
        return withContentType.get(call.purpose()).computeIfAbsent(call.contentType(),
                type -> base.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, type)));
    }

    private Retry retry(Call call) {
        String name = call.purpose().name().toLowerCase(Locale.ROOT) + "-" + call.retry().name().toLowerCase(Locale.ROOT);
        return retry(name, settings.retryBackoff(), call.retry()::retries);
    }

    /** A registered (so measured) retry with this stack's attempts and exponential backoff from {@code backoff}. */
    Retry retry(String name, java.time.Duration backoff, java.util.function.Predicate<Throwable> retryOn) {
        return retries.retry(name, () -> RetryConfig.custom()
                .maxAttempts(settings.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(backoff, 2.0, settings.retryMaxBackoff()))
                .retryOnException(retryOn)
                .failAfterMaxAttempts(false)
                .build());
    }

    /** True when the failure shows the request never left this process (so the target cannot have acted on it). */
    private static boolean notSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ConnectTimeoutException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    // Reactor Netty's pool errors live in a shaded internal package: known by name, not by type.
                    || t.getClass().getSimpleName().startsWith("PoolAcquire")) {
                return true;
            }
        }
        return false;
    }

    private static SluiceException translate(Target target, Throwable e) {
        if (e instanceof CallNotPermittedException) {
            return target.unreachable().exception(target + " keeps failing; not calling it for now");
        }
        if (e instanceof TransportFailure transport && !transport.sent()) {
            return target.unreachable().exception(target + " is unreachable: " + transport.getMessage());
        }
        if (e instanceof TimeoutException) {
            return ErrorCode.REQUEST_TIMED_OUT.exception(target + " did not answer in time");
        }
        if (e instanceof TransportFailure transport) {
            return ErrorCode.REQUEST_TIMED_OUT.exception("The call to " + target + " failed after it was sent: "
                    + transport.getMessage());
        }
        return ErrorCode.UNKNOWN_SERVER_ERROR.exception("The call to " + target + " failed: " + e);
    }

    @Override
    public void close() {
        closed = true;
        watches.values().forEach(Disposable::dispose);
        pools.values().forEach(ConnectionProvider::dispose);
    }
}
