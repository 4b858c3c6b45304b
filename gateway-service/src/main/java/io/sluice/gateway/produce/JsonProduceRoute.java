package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.web.StrictInput;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.web.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/topics/{topic}/records} with a JSON body: a batch of records answered with one result per record
 * (200 all written, 207 mixed, the first error's status when none was). {@code acks} (0, 1, all; default all),
 * {@code timeout_ms} and the formats apply. Oversize bodies are refused (413) from their Content-Length before being
 * read, and while being read otherwise. A request with an {@code Idempotency-Key} header is written once however
 * often it is retried ({@link IdempotentProduce}).
 *
 * <p>The most frequent request of the API, so it is a functional route, matched before the annotated controllers:
 * no search through every mapping, no argument resolution. It applies the rules those get elsewhere itself: unknown
 * query parameters are refused as {@link StrictInput} words it, and every failure is a problem as the shared problem
 * handler writes it. NDJSON streams to the same path are {@link ProduceController}'s.
 */
@Configuration(proxyBeanMethods = false)
class JsonProduceRoute {

    static final String PATH = "/v1/topics/{topic}/records";

    /** The query parameters the route takes. */
    static final SortedSet<String> PARAMETERS = new TreeSet<>(Set.of("acks", "timeout_ms", "format", "key_format",
            "value_format", "header_format"));

    private static final Logger LOG = LoggerFactory.getLogger(JsonProduceRoute.class);

    @Bean
    RouterFunction<ServerResponse> jsonProduce(ProduceService produce, IdempotentProduce idempotent,
                                               RecordParser parser, GatewayProperties properties) {
        Handler handler = new Handler(produce, idempotent, parser, properties.produce());
        return RouterFunctions.route(RequestPredicates.POST(PATH)
                .and(RequestPredicates.contentType(MediaType.APPLICATION_JSON)), handler::produce);
    }

    private record Handler(ProduceService produce, IdempotentProduce idempotent, RecordParser parser,
                           GatewayProperties.Produce settings) {

        Mono<ServerResponse> produce(ServerRequest request) {
            return Mono.defer(() -> {
                StrictInput.refuseUnknownQueryParameters(PARAMETERS, request.queryParams().keySet());
                String topic = request.pathVariable("topic");
                String format = parameter(request, "format");
                String keyFormat = parameter(request, "key_format");
                String valueFormat = parameter(request, "value_format");
                String headerFormat = parameter(request, "header_format");
                IdempotencyKey key = IdempotencyKey.parse(request.headers().firstHeader(IdempotencyKey.HEADER));
                String acks = parameter(request, "acks");
                Acks ackMode = Acks.parse(acks == null ? "all" : acks);
                Duration timeout = timeout(parameter(request, "timeout_ms"));
                Formats formats = Formats.of(format, keyFormat, valueFormat, headerFormat);
                Mono<byte[]> body = read(request);
                if (key != null) {
                    return body.flatMap(bytes -> idempotent.produce(key, topic, bytes,
                                    Arrays.asList(format, keyFormat, valueFormat, headerFormat),
                                    parser.records(bytes, formats), ackMode, timeout))
                            .flatMap(Handler::respond);
                }
                return body.map(bytes -> parser.records(bytes, formats))
                        .flatMap(records -> produce.produce(topic, records, ackMode, timeout))
                        .flatMap(Handler::respond);
            }).onErrorResume(JsonProduceRoute::problem);
        }

        private static String parameter(ServerRequest request, String name) {
            return request.queryParam(name).orElse(null);
        }

        private Mono<byte[]> read(ServerRequest request) {
            long limit = settings.maxRequestSize().toBytes();
            OptionalLong length = request.headers().contentLength();
            if (length.isPresent() && length.getAsLong() > limit) {
                return Mono.error(ErrorCode.REQUEST_TOO_LARGE.exception("The request body is " + length.getAsLong()
                        + " bytes; this gateway accepts at most " + limit));
            }
            return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), (int) Math.min(limit, Integer.MAX_VALUE))
                    // Without a Content-Length (chunked), the limit is found while reading.
                    .onErrorMap(DataBufferLimitException.class, e -> ErrorCode.REQUEST_TOO_LARGE.exception(
                            "The request body is larger than " + limit + " bytes, the most this gateway accepts"))
                    .switchIfEmpty(Mono.error(() -> ErrorCode.INVALID_REQUEST.exception("The request needs a body")))
                    .map(buffer -> {
                        try {
                            byte[] bytes = new byte[buffer.readableByteCount()];
                            buffer.read(bytes);
                            return bytes;
                        } finally {
                            DataBufferUtils.release(buffer);
                        }
                    });
        }

        private Duration timeout(String timeoutMs) {
            Long given = null;
            if (timeoutMs != null) {
                try {
                    given = Long.parseLong(timeoutMs);
                } catch (NumberFormatException e) {
                    throw ErrorCode.INVALID_REQUEST.exception("timeout_ms must be a whole number of milliseconds, was '"
                            + timeoutMs + "'");
                }
            }
            return Duration.ofMillis(Bounds.check("timeout_ms", given, settings.defaultTimeout().toMillis(), 0,
                    settings.maxTimeout().toMillis()));
        }

        private static Mono<ServerResponse> respond(IdempotentProduce.Answer answer) {
            return switch (answer) {
                case IdempotentProduce.Fresh fresh -> respond(fresh.results());
                // Written by an earlier attempt (only complete successes are stored): its body, byte for byte.
                case IdempotentProduce.Stored stored -> ServerResponse.status(stored.response().status())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(stored.response().body().getBytes(StandardCharsets.UTF_8));
            };
        }

        private static Mono<ServerResponse> respond(List<RecordResult> results) {
            long failed = results.stream().filter(r -> !r.ok()).count();
            if (failed == 0) {
                return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("results", results));
            }
            if (failed < results.size()) {
                return ServerResponse.status(HttpStatus.MULTI_STATUS).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("results", results));
            }
            RecordResult first = results.getFirst();
            ErrorCode code = first.errorCode();
            ProblemDetail problem = Problems.of(code, first.detail());
            problem.setProperty("results", results);
            return from(Problems.response(code, problem));
        }
    }

    /** A failure as the shared problem handler answers it: a Sluice error's problem, or an opaque 500. */
    private static Mono<ServerResponse> problem(Throwable error) {
        if (error instanceof SluiceException e) {
            return from(Problems.response(e));
        }
        LOG.error("Unexpected error", error);
        return from(Problems.response(ErrorCode.UNKNOWN_SERVER_ERROR, Problems.UNEXPECTED));
    }

    private static Mono<ServerResponse> from(ResponseEntity<?> entity) {
        return ServerResponse.status(entity.getStatusCode()).headers(headers -> headers.addAll(entity.getHeaders()))
                .bodyValue(entity.getBody());
    }
}
