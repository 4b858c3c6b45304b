package io.sluice.gateway.web;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Streamed responses (SSE, NDJSON: requests that accept them) are flushed once per burst of events rather than once per event. Spring writes a
 * stream element by element with a flush after each; Reactor Netty, given the elements as one stream instead, writes
 * what is ready and flushes whenever nothing more is ready at once. A lone event still leaves at once, while a
 * chunk of records read together reaches the socket in one write: with many subscribers, per-event flushes were the
 * largest cost of the gateway's SSE path.
 */
@Component
class StreamFlushing implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String accept = exchange.getRequest().getHeaders().getFirst(HttpHeaders.ACCEPT);
        if (accept == null || !(accept.contains("event-stream") || accept.contains("ndjson"))) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().response(new BurstFlushed(exchange.getResponse())).build());
    }

    private static final class BurstFlushed extends ServerHttpResponseDecorator {

        BurstFlushed(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            return getDelegate().writeWith(Flux.concat(body));
        }
    }
}
