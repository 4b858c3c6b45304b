package io.sluice.gateway.security;

import io.sluice.protocol.ErrorCode;
import io.sluice.security.Quotas;
import io.sluice.security.SluicePrincipal;
import java.time.Duration;
import java.util.EnumSet;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The HTTP face of the per-principal {@link Quotas}, after authentication and authorization: requests per second on
 * every route, produce bytes (the request body, counted as it is read) on produce, fetched bytes (counted as the
 * response is written) on reads, polls and SSE streams. A principal in debt, or without a request token, is answered
 * 429 THROTTLED with {@code Retry-After} until it has paid back — nothing of the request is done. An open stream is
 * never cut: what it sends counts against its principal's next requests.
 */
final class QuotaFilter implements WebFilter, Ordered {

    static final int ORDER = AuthorizationFilter.ORDER + 10;

    private final Quotas quotas;
    private final ProblemResponses problems;

    QuotaFilter(Quotas quotas, ProblemResponses problems) {
        this.quotas = quotas;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        SluicePrincipal principal = exchange.getAttribute(Principals.ATTRIBUTE);
        if (principal == null) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        boolean produce = isProduce(request);
        boolean fetch = isFetch(request);
        EnumSet<Quotas.Kind> kinds = EnumSet.of(Quotas.Kind.REQUESTS);
        if (produce) {
            kinds.add(Quotas.Kind.PRODUCE_BYTES);
        }
        if (fetch) {
            kinds.add(Quotas.Kind.FETCH_BYTES);
        }
        Quotas.Kind over = null;
        Duration wait = Duration.ZERO;
        for (Quotas.Kind kind : kinds) {
            Duration w = quotas.wait(principal, null, EnumSet.of(kind));
            if (w.compareTo(wait) > 0) {
                wait = w;
                over = kind;
            }
        }
        if (over != null) {
            quotas.throttled(principal, over);
            return problems.write(exchange, ErrorCode.THROTTLED, principal + " is over its "
                    + over.name().toLowerCase().replace('_', ' ') + " quota; try again after Retry-After",
                    ProblemResponses.retryAfter(wait));
        }
        quotas.charge(principal, null, Quotas.Kind.REQUESTS, 1);
        ServerWebExchange.Builder counted = exchange.mutate();
        if (produce) {
            counted.request(new ServerHttpRequestDecorator(request) {
                @Override
                public Flux<DataBuffer> getBody() {
                    return super.getBody().doOnNext(buffer -> quotas.charge(principal, null, Quotas.Kind.PRODUCE_BYTES,
                            buffer.readableByteCount()));
                }
            });
        }
        if (!fetch) {
            return chain.filter(counted.build());
        }
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
                quotas.charge(principal, null, Quotas.Kind.FETCH_BYTES, count);
            }
        };
        return chain.filter(counted.response(counting).build());
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
}
