package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;
import io.sluice.gateway.format.Formats;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.web.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v1/topics/{topic}/records}: a JSON batch of records answered with one result per record (200 all
 * written, 207 mixed, the first error's status when none was), or an NDJSON stream of records answered by an NDJSON
 * stream of results in the same order ({@link NdjsonProduceFlow}). {@code acks} (0, 1, all; default all),
 * {@code timeout_ms} and the formats apply. Oversize bodies are refused (413) from their Content-Length before being
 * read, and while being read otherwise. A JSON request with an {@code Idempotency-Key} header is written once however
 * often it is retried ({@link IdempotentProduce}).
 */
@RestController
class ProduceController {

    private final ProduceService produce;
    private final IdempotentProduce idempotent;
    private final NdjsonProduceFlow ndjson;
    private final RecordParser parser;
    private final GatewayProperties.Produce settings;

    ProduceController(ProduceService produce, IdempotentProduce idempotent, NdjsonProduceFlow ndjson,
                      RecordParser parser, GatewayProperties properties) {
        this.produce = produce;
        this.idempotent = idempotent;
        this.ndjson = ndjson;
        this.parser = parser;
        this.settings = properties.produce();
    }

    @PostMapping(path = "/v1/topics/{topic}/records", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> produce(@PathVariable String topic, @RequestBody Flux<DataBuffer> body,
                                         @RequestParam(name = "acks", required = false) String acks,
                                         @RequestParam(name = "timeout_ms", required = false) Long timeoutMs,
                                         @RequestParam(name = "format", required = false) String format,
                                         @RequestParam(name = "key_format", required = false) String keyFormat,
                                         @RequestParam(name = "value_format", required = false) String valueFormat,
                                         @RequestParam(name = "header_format", required = false) String headerFormat,
                                         @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long length,
                                         @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        return Mono.defer(() -> {
            IdempotencyKey idempotencyKey = IdempotencyKey.parse(key);
            Acks ackMode = Acks.parse(acks == null ? "all" : acks);
            Duration timeout = timeout(timeoutMs);
            Formats formats = Formats.of(format, keyFormat, valueFormat, headerFormat);
            if (idempotencyKey != null) {
                return read(body, length).flatMap(bytes -> idempotent.produce(idempotencyKey, topic, bytes,
                                Arrays.asList(format, keyFormat, valueFormat, headerFormat),
                                parser.records(parser.parse(bytes), formats), ackMode, timeout))
                        .map(ProduceController::respond);
            }
            return read(body, length)
                    .map(bytes -> parser.records(parser.parse(bytes), formats))
                    .flatMap(records -> produce.produce(topic, records, ackMode, timeout))
                    .map(ProduceController::respond);
        });
    }

    @PostMapping(path = "/v1/topics/{topic}/records", consumes = "application/x-ndjson", produces = "application/x-ndjson")
    Flux<RecordResult> produceStream(@PathVariable String topic, @RequestBody Flux<DataBuffer> body,
                                     @RequestParam(name = "acks", required = false) String acks,
                                     @RequestParam(name = "timeout_ms", required = false) Long timeoutMs,
                                     @RequestParam(name = "format", required = false) String format,
                                     @RequestParam(name = "key_format", required = false) String keyFormat,
                                     @RequestParam(name = "value_format", required = false) String valueFormat,
                                     @RequestParam(name = "header_format", required = false) String headerFormat,
                                     @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        if (key != null) {
            // A stream's own re-sends never duplicate (it is one producer session), but a client's retry of a whole
            // stream is a new session: the key is refused rather than accepted with a promise it could not keep.
            return Flux.error(ErrorCode.INVALID_REQUEST.exception(IdempotencyKey.HEADER + " is not supported on"
                    + " NDJSON streams: a stream's records are written once however often the gateway re-sends them,"
                    + " but a retried stream writes its lines again; send JSON requests with the key to retry them"
                    + " exactly once"));
        }
        return Flux.defer(() -> ndjson.produce(topic, body, settings.maxRequestSize().toBytes(),
                Acks.parse(acks == null ? "all" : acks), timeout(timeoutMs),
                Formats.of(format, keyFormat, valueFormat, headerFormat)));
    }

    private Mono<byte[]> read(Flux<DataBuffer> body, Long length) {
        long limit = settings.maxRequestSize().toBytes();
        if (length != null && length > limit) {
            return Mono.error(ErrorCode.REQUEST_TOO_LARGE.exception("The request body is " + length
                    + " bytes; this gateway accepts at most " + limit));
        }
        return DataBufferUtils.join(body, (int) Math.min(limit, Integer.MAX_VALUE))
                // Without a Content-Length (chunked), the limit is found while reading.
                .onErrorMap(DataBufferLimitException.class, e -> ErrorCode.REQUEST_TOO_LARGE.exception(
                        "The request body is larger than " + limit + " bytes, the most this gateway accepts"))
                .switchIfEmpty(Mono.error(() -> ErrorCode.INVALID_REQUEST.exception("The request has no body")))
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

    private static ResponseEntity<Object> respond(IdempotentProduce.Answer answer) {
        return switch (answer) {
            case IdempotentProduce.Fresh fresh -> respond(fresh.results());
            // Written by an earlier attempt (only complete successes are stored): its body, byte for byte.
            case IdempotentProduce.Stored stored -> ResponseEntity.status(stored.response().status())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(stored.response().body().getBytes(StandardCharsets.UTF_8));
        };
    }

    private static ResponseEntity<Object> respond(List<RecordResult> results) {
        long failed = results.stream().filter(r -> !r.ok()).count();
        if (failed == 0) {
            return ResponseEntity.ok(Map.of("results", results));
        }
        if (failed < results.size()) {
            return ResponseEntity.status(HttpStatus.MULTI_STATUS).body(Map.of("results", results));
        }
        RecordResult first = results.getFirst();
        ErrorCode code = ErrorCode.forName(first.errorCode());
        ProblemDetail problem = Problems.of(code, first.detail());
        problem.setProperty("results", results);
        return Problems.response(code, problem);
    }

    private Duration timeout(Long timeoutMs) {
        return Duration.ofMillis(Bounds.check("timeout_ms", timeoutMs, settings.defaultTimeout().toMillis(), 0,
                settings.maxTimeout().toMillis()));
    }
}
