package io.sluice.gateway.registry;

import io.sluice.gateway.registry.ConfluentJson.ErrorAnswer;
import io.sluice.protocol.ErrorCode;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error answered under {@value SchemaRegistryController#BASE} in Confluent's shape,
 * {@code {"error_code": 40401, "message": "..."}}, which Confluent's clients read: the shared problem handler (and the
 * security filters) decide the status, error code and detail as for every route, and this filter, outermost, only
 * reshapes their RFC 9457 problem into Confluent's body, with Confluent's number for each of Sluice's codes
 * ({@link #CODES}; otherwise the HTTP status, as Confluent's registry answers its generic errors). A body that cannot
 * be read is 422, as Confluent's registry answers it.
 */
@Component
class ConfluentErrors implements WebFilter, Ordered {

    static final Map<ErrorCode, Integer> CODES = Map.ofEntries(
            Map.entry(ErrorCode.SUBJECT_NOT_FOUND, 40401),
            Map.entry(ErrorCode.SCHEMA_VERSION_NOT_FOUND, 40402),
            Map.entry(ErrorCode.SCHEMA_NOT_FOUND, 40403),
            Map.entry(ErrorCode.SUBJECT_SOFT_DELETED, 40404),
            Map.entry(ErrorCode.SUBJECT_NOT_SOFT_DELETED, 40405),
            Map.entry(ErrorCode.SCHEMA_VERSION_SOFT_DELETED, 40406),
            Map.entry(ErrorCode.SCHEMA_VERSION_NOT_SOFT_DELETED, 40407),
            Map.entry(ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, 40408),
            Map.entry(ErrorCode.SUBJECT_MODE_NOT_CONFIGURED, 40409),
            Map.entry(ErrorCode.INCOMPATIBLE_SCHEMA, 40901),
            Map.entry(ErrorCode.INVALID_SCHEMA, 42201),
            Map.entry(ErrorCode.INVALID_SCHEMA_VERSION, 42202),
            Map.entry(ErrorCode.INVALID_COMPATIBILITY_LEVEL, 42203),
            Map.entry(ErrorCode.INVALID_REGISTRY_MODE, 42204),
            Map.entry(ErrorCode.REGISTRY_OPERATION_NOT_PERMITTED, 42205),
            Map.entry(ErrorCode.SCHEMA_REFERENCE_EXISTS, 42206),
            Map.entry(ErrorCode.SCHEMA_ID_CONFLICT, 42207),
            Map.entry(ErrorCode.INVALID_SUBJECT, 42208),
            Map.entry(ErrorCode.SASL_AUTHENTICATION_FAILED, 40101),
            Map.entry(ErrorCode.TOPIC_AUTHORIZATION_FAILED, 40301),
            Map.entry(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 40301),
            Map.entry(ErrorCode.REQUEST_TIMED_OUT, 50002),
            Map.entry(ErrorCode.COORDINATOR_NOT_AVAILABLE, 50003),
            Map.entry(ErrorCode.NOT_ACTIVE_COORDINATOR, 50003));

    private static final MediaType MEDIA_TYPE = MediaType.parseMediaType(SchemaRegistryController.CONTENT_TYPE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Outermost: around the security filters too, so that their refusals are Confluent's bodies as well. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals(SchemaRegistryController.BASE) && !path.startsWith(SchemaRegistryController.BASE + "/")) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().response(new Reshaping(exchange.getResponse())).build());
    }

    /** Confluent's body for a problem's body ({@code error_code} by name, {@code detail}) and status. */
    static ErrorAnswer answer(JsonNode problem, int status) {
        ErrorCode code = problem.hasNonNull("error_code") ? ErrorCode.forName(problem.path("error_code").asString())
                : null;
        int confluent = code == ErrorCode.INVALID_REQUEST ? 422 : CODES.getOrDefault(code, status);
        String message = problem.path("detail").asString(problem.path("title").asString("Error"));
        return new ErrorAnswer(confluent, message);
    }

    private static final class Reshaping extends ServerHttpResponseDecorator {

        Reshaping(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            HttpStatusCode status = getStatusCode();
            MediaType type = getHeaders().getContentType();
            if (status == null || !status.isError() || type == null
                    || !MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(type)) {
                return super.writeWith(body);
            }
            return DataBufferUtils.join(Flux.from(body)).flatMap(joined -> {
                byte[] bytes = new byte[joined.readableByteCount()];
                joined.read(bytes);
                DataBufferUtils.release(joined);
                ErrorAnswer answer = answer(JSON.readTree(bytes), status.value());
                if (answer.errorCode() == 422 && status.value() == 400) {
                    setStatusCode(HttpStatusCode.valueOf(422));
                }
                byte[] reshaped = JSON.writeValueAsBytes(answer);
                HttpHeaders headers = getHeaders();
                headers.setContentType(MEDIA_TYPE);
                headers.setContentLength(reshaped.length);
                return super.writeWith(Mono.just(bufferFactory().wrap(reshaped)));
            });
        }
    }
}
