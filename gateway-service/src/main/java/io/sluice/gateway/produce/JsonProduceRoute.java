package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.web.QueryBinder;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.web.ProblemHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/topics/{topic}/records} with a JSON body: a batch of records answered with one result per record
 * (200 all written, 207 mixed, the first error's status when none was). Its parameters are a {@link ProduceRequest}.
 * Oversize bodies are refused (413) from their Content-Length before being read, and while being read otherwise. A
 * request with an {@code Idempotency-Key} header is written once however often it is retried
 * ({@link IdempotentProduce}).
 *
 * <p>The most frequent request of the API, so it is a functional route, matched before the annotated controllers:
 * no search through every mapping, no argument resolution. It binds its parameters with the same binder the
 * annotated controllers' arguments get, and every failure is answered by the shared {@link ProblemHandler}. NDJSON
 * streams to the same path are {@link ProduceController}'s. While security and CORS are off, a JSON produce without an
 * {@code Idempotency-Key} does not reach WebFlux at all: {@link DirectJsonProduceRoute} runs the same steps
 * ({@link JsonProduce}) on Reactor Netty's own routes.
 *
 * <p>{@code POST /v1/records} is the atomic produce ({@link AtomicProduce}): records that name their topics, written
 * as one transaction, with the same parameters (acks must be all) and body limits. Its topics are in the body, so it
 * asks the {@link Authorizer} for WRITE on each before anything is read or written. A write into an HTTP transaction,
 * {@code POST /v1/transactions/{transaction}/records} ({@link HttpTransactions}), takes the same body and parameters.
 */
@Configuration(proxyBeanMethods = false)
class JsonProduceRoute {

    static final String PATH = "/v1/topics/{topic}/records";
    static final String ATOMIC_PATH = "/v1/records";
    static final String TRANSACTION_RECORDS_PATH = "/v1/transactions/{transaction}/records";

    @Bean
    QueryBinder<ProduceRequest> produceParameters(GatewayProperties properties) {
        return QueryBinder.of(ProduceRequest.class, ProduceRequest.PARAMETERS,
                (query, headers) -> ProduceRequest.of(query, properties.produce()));
    }

    @Bean
    JsonProduce jsonProduceSteps(ProduceService produce, RecordParser parser, RecordSchemas schemas,
                                 GatewayProperties properties, QueryBinder<ProduceRequest> produceParameters) {
        return new JsonProduce(produce, parser, schemas, produceParameters, properties.produce());
    }

    @Bean
    RouterFunction<ServerResponse> jsonProduce(JsonProduce steps, IdempotentProduce idempotent, AtomicProduce atomic,
                                               HttpTransactions transactions, Authorizer authorizer,
                                               RecordParser parser, RecordSchemas schemas, ProblemHandler problems) {
        Handler handler = new Handler(steps, idempotent, atomic, transactions, authorizer, parser, schemas, problems);
        return RouterFunctions.route(RequestPredicates.POST(PATH)
                        .and(RequestPredicates.contentType(MediaType.APPLICATION_JSON)), handler::produce)
                .andRoute(RequestPredicates.POST(ATOMIC_PATH)
                        .and(RequestPredicates.contentType(MediaType.APPLICATION_JSON)), handler::atomic)
                .andRoute(RequestPredicates.POST(TRANSACTION_RECORDS_PATH)
                        .and(RequestPredicates.contentType(MediaType.APPLICATION_JSON)), handler::transactionRecords);
    }

    private record Handler(JsonProduce steps, IdempotentProduce idempotent, AtomicProduce atomic,
                           HttpTransactions transactions, Authorizer authorizer, RecordParser parser,
                           RecordSchemas schemas, ProblemHandler problems) {

        Mono<ServerResponse> atomic(ServerRequest request) {
            return Mono.defer(() -> {
                ProduceRequest given = steps.parameters(request.queryParams(), request.headers().asHttpHeaders());
                return topicRecords(request, given, "an atomic produce")
                        .flatMap(records -> atomic.produce(records, given.timeout()))
                        .flatMap(Handler::ok);
            }).onErrorResume(error -> from(problems.problem(error)));
        }

        Mono<ServerResponse> transactionRecords(ServerRequest request) {
            return Mono.defer(() -> {
                ProduceRequest given = steps.parameters(request.queryParams(), request.headers().asHttpHeaders());
                TransactionToken txn = TransactionToken.decode(request.pathVariable("transaction"));
                authorizer.authorize(request.exchange(), AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID,
                        txn.transactionalId());
                return topicRecords(request, given, "a transaction's write")
                        .flatMap(records -> transactions.write(txn, records, given.timeout()))
                        .flatMap(Handler::ok);
            }).onErrorResume(error -> from(problems.problem(error)));
        }

        /**
         * The records of a body whose records name their topics, once WRITE on each of those topics is allowed; such
         * writes are acks=all (a transaction's are) and take no Idempotency-Key.
         */
        private Mono<List<TopicRecord>> topicRecords(ServerRequest request, ProduceRequest given, String what) {
            if (given.acks() != Acks.ALL) {
                throw ErrorCode.INVALID_REQUEST.exception("A transaction is written with acks=all; acks="
                        + request.queryParams().getFirst("acks") + " cannot be asked for " + what);
            }
            if (request.headers().firstHeader(IdempotencyKey.HEADER) != null) {
                throw ErrorCode.INVALID_REQUEST.exception(IdempotencyKey.HEADER + " is not supported on " + what
                        + ": a retry after an unknown outcome writes its records again");
            }
            return read(request).map(bytes -> parser.topicRecords(bytes, given.writing()))
                    .doOnNext(parsed -> authorizer.authorizeTopics(request.exchange(), AclOperation.WRITE,
                            parsed.records().stream().map(TopicRecord::topic).distinct().toList()))
                    .flatMap(parsed -> schemas.conversion(parsed.writing())
                            .map(conversion -> conversion.applyToTopicRecords(parsed.records())));
        }

        private static Mono<ServerResponse> ok(Object answer) {
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(answer);
        }

        Mono<ServerResponse> produce(ServerRequest request) {
            return Mono.defer(() -> {
                ProduceRequest given = steps.parameters(request.queryParams(), request.headers().asHttpHeaders());
                String topic = request.pathVariable("topic");
                IdempotencyKey key = IdempotencyKey.parse(request.headers().firstHeader(IdempotencyKey.HEADER));
                Mono<byte[]> body = read(request);
                if (key != null) {
                    return body.flatMap(bytes -> steps.records(bytes, given).flatMap(records -> idempotent.produce(key,
                                    topic, bytes, given.formatsAsSent(), records, given.acks(), given.timeout())))
                            .flatMap(Handler::respond);
                }
                return body.flatMap(bytes -> steps.write(topic, given, bytes)).flatMap(Handler::respond);
            }).onErrorResume(error -> from(problems.problem(error)));
        }

        private Mono<byte[]> read(ServerRequest request) {
            long limit = steps.maxBodyBytes();
            OptionalLong length = request.headers().contentLength();
            if (length.isPresent() && length.getAsLong() > limit) {
                return Mono.error(steps.declaredTooLarge(length.getAsLong()));
            }
            return DataBufferUtils.join(request.bodyToFlux(DataBuffer.class), (int) Math.min(limit, Integer.MAX_VALUE))
                    // Without a Content-Length (chunked), the limit is found while reading.
                    .onErrorMap(DataBufferLimitException.class, e -> steps.readTooLarge())
                    .switchIfEmpty(Mono.error(JsonProduce::noBody))
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

        private static Mono<ServerResponse> respond(IdempotentProduce.Answer answer) {
            return switch (answer) {
                case IdempotentProduce.Fresh fresh -> respond(fresh.answer());
                // Written by an earlier attempt (only complete successes are stored): its body, byte for byte.
                case IdempotentProduce.Stored stored -> ServerResponse.status(stored.response().status())
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(stored.response().body().getBytes(StandardCharsets.UTF_8));
            };
        }

        private static Mono<ServerResponse> respond(ProduceAnswer answer) {
            return from(JsonProduce.answer(answer));
        }
    }

    private static Mono<ServerResponse> from(ResponseEntity<?> entity) {
        return ServerResponse.status(entity.getStatusCode()).headers(headers -> headers.addAll(entity.getHeaders()))
                .bodyValue(entity.getBody());
    }
}
