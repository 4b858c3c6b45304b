package io.sluice.gateway.security;

import io.sluice.protocol.ErrorCode;
import io.sluice.web.Problems;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problems answered by the security filters, which run before any controller and so before the shared problem
 * handler: the same RFC 9457 body ({@link Problems#of}) written straight to the response.
 */
final class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    Mono<Void> write(ServerWebExchange exchange, ErrorCode code, String detail, HttpHeaders headers) {
        return write(exchange, code, detail, headers, Map.of());
    }

    /** With further members ({@link io.sluice.protocol.SluiceException#details()}). */
    Mono<Void> write(ServerWebExchange exchange, ErrorCode code, String detail, HttpHeaders headers,
                     Map<String, Object> details) {
        Map<String, Object> body = Problems.members(Problems.of(code, detail));
        body.putAll(details);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(code.httpStatus()));
        response.getHeaders().addAll(Problems.headers(code.httpStatus()));
        response.getHeaders().putAll(headers);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json.writeValueAsBytes(body))));
    }

    /** The Retry-After header for {@code wait}, in whole seconds rounded up (never 0). */
    static HttpHeaders retryAfter(Duration wait) {
        HttpHeaders headers = new HttpHeaders();
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return headers;
    }
}
