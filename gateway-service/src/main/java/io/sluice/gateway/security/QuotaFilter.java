package io.sluice.gateway.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Per-principal quotas, after authentication and authorization: requests per second on every route, produce bytes
 * (the request body, counted as it is read) on produce, fetched bytes (counted as the response is written) on reads,
 * polls and SSE streams. Each is a {@link TokenBucket} per principal that may go into debt; a principal in debt, or
 * without a request token, is answered 429 THROTTLED with {@code Retry-After} until it has paid back — nothing of the
 * request is done. An open stream is never cut: what it sends counts against its principal's next requests.
 * Metrics: {@code sluice_quota_bytes_total} and {@code sluice_quota_throttled_total}, by principal and quota.
 */
final class QuotaFilter implements WebFilter, Ordered {

    static final int ORDER = AuthorizationFilter.ORDER + 10;

    private enum Kind { PRODUCE_BYTES, FETCH_BYTES, REQUESTS }

    private record Key(String principal, Kind kind) {
    }

    private final SecurityProperties.Quotas quotas;
    private final Set<String> superUsers;
    private final ProblemResponses problems;
    private final MeterRegistry meters;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Key, TokenBucket> buckets = new ConcurrentHashMap<>();

    QuotaFilter(SecurityProperties properties, ProblemResponses problems, MeterRegistry meters, LongSupplier nanoTime) {
        this.quotas = properties.quotas();
        this.superUsers = Set.copyOf(properties.superUsers());
        this.problems = problems;
        this.meters = meters;
        this.nanoTime = nanoTime;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        SluicePrincipal principal = exchange.getAttribute(SluicePrincipal.ATTRIBUTE);
        if (principal == null || superUsers.contains(principal.toString())) {
            return chain.filter(exchange);
        }
        String who = principal.toString();
        SecurityProperties.Quota quota = quotas.of(who);
        ServerHttpRequest request = exchange.getRequest();
        boolean produce = isProduce(request);
        boolean fetch = isFetch(request);
        long now = nanoTime.getAsLong();

        TokenBucket requests = bucket(who, Kind.REQUESTS, quota.requestsPerSecond());
        TokenBucket produced = produce ? bucket(who, Kind.PRODUCE_BYTES, rate(quota.produceBytesPerSecond())) : null;
        TokenBucket fetched = fetch ? bucket(who, Kind.FETCH_BYTES, rate(quota.fetchBytesPerSecond())) : null;
        Duration wait = Duration.ZERO;
        Kind over = null;
        for (Kind kind : Kind.values()) {
            TokenBucket bucket = switch (kind) {
                case REQUESTS -> requests;
                case PRODUCE_BYTES -> produced;
                case FETCH_BYTES -> fetched;
            };
            // Bytes: wait only while in debt; requests: wait for one whole token.
            Duration w = bucket == null ? Duration.ZERO : bucket.waitFor(kind == Kind.REQUESTS ? 1 : 0, now);
            if (w.compareTo(wait) > 0) {
                wait = w;
                over = kind;
            }
        }
        if (over != null) {
            throttled(who, over).increment();
            return problems.write(exchange, ErrorCode.THROTTLED, who + " is over its "
                    + over.name().toLowerCase().replace('_', ' ') + " quota; try again after Retry-After",
                    ProblemResponses.retryAfter(wait));
        }
        if (requests != null) {
            requests.take(1, now);
        }
        ServerWebExchange.Builder counted = exchange.mutate();
        if (produced != null) {
            Counter producedBytes = bytes(who, Kind.PRODUCE_BYTES);
            counted.request(new ServerHttpRequestDecorator(request) {
                @Override
                public Flux<DataBuffer> getBody() {
                    return super.getBody().doOnNext(buffer -> {
                        produced.take(buffer.readableByteCount(), nanoTime.getAsLong());
                        producedBytes.increment(buffer.readableByteCount());
                    });
                }
            });
        }
        if (fetched == null) {
            return chain.filter(counted.build());
        }
        Counter fetchedBytes = bytes(who, Kind.FETCH_BYTES);
        ServerHttpResponse counting = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return super.writeWith(Flux.from(body).doOnNext(buffer -> charge(buffer.readableByteCount())));
            }

            @Override
            public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
                return super.writeAndFlushWith(Flux.from(body).map(part -> Flux.from(part)
                        .doOnNext(buffer -> charge(buffer.readableByteCount()))));
            }

            private void charge(int count) {
                fetched.take(count, nanoTime.getAsLong());
                fetchedBytes.increment(count);
            }
        };
        return chain.filter(counted.response(counting).build());
    }

    private TokenBucket bucket(String principal, Kind kind, Double rate) {
        if (rate == null || rate <= 0) {
            return null;
        }
        return buckets.computeIfAbsent(new Key(principal, kind), key -> new TokenBucket(rate, nanoTime.getAsLong()));
    }

    private static Double rate(DataSize perSecond) {
        return perSecond == null ? null : (double) perSecond.toBytes();
    }

    private static boolean isProduce(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        return HttpMethod.POST.equals(request.getMethod()) && path.startsWith("/v1/topics/") && path.endsWith("/records");
    }

    private static boolean isFetch(ServerHttpRequest request) {
        String path = request.getPath().pathWithinApplication().value();
        return (HttpMethod.GET.equals(request.getMethod()) && path.endsWith("/records"))
                || (HttpMethod.POST.equals(request.getMethod()) && path.startsWith("/v1/groups/") && path.endsWith("/poll"));
    }

    private Counter throttled(String principal, Kind kind) {
        return Counter.builder("sluice.quota.throttled").description("Requests refused for being over a quota")
                .tag("principal", principal).tag("quota", kind.name().toLowerCase()).register(meters);
    }

    private Counter bytes(String principal, Kind kind) {
        return Counter.builder("sluice.quota.bytes").baseUnit("bytes")
                .description("Bytes counted against per-principal quotas")
                .tag("principal", principal).tag("quota", kind.name().toLowerCase()).register(meters);
    }
}
