package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.web.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MimeType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/topics/{topic}/records}: a JSON batch of records answered with one result per record (200 all
 * written, 207 mixed, the first error's status when none was), or an NDJSON stream of records answered by an NDJSON
 * stream of results in the same order. {@code acks} (0, 1, all; default all) and {@code timeout_ms} apply.
 * Oversize bodies are refused (413) from their Content-Length before being read, and while being read otherwise.
 */
@RestController
public class ProduceController {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final MimeType LINE_BYTES = new MimeType("text", "plain", StandardCharsets.ISO_8859_1);

    private final ProduceService produce;
    private final GatewayProperties.Produce settings;
    private final RecordParser parser;

    public ProduceController(ProduceService produce, GatewayProperties properties, JsonMapper json, Clock clock) {
        this.produce = produce;
        this.settings = properties.produce();
        this.parser = new RecordParser(json, clock);
    }

    @PostMapping(path = "/v1/topics/{topic}/records", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Object>> produce(@PathVariable String topic, @RequestBody Flux<DataBuffer> body,
                                         @RequestParam(defaultValue = "all") String acks,
                                         @RequestParam(name = "timeout_ms", required = false) Long timeoutMs,
                                         @RequestParam(name = "key_format", required = false) String keyFormat,
                                         @RequestParam(name = "value_format", required = false) String valueFormat,
                                         @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long length) {
        return Mono.defer(() -> {
            String ackValue = acks(acks);
            Duration timeout = timeout(timeoutMs);
            RecordFormat keys = RecordFormat.parse(keyFormat, "key_format");
            RecordFormat values = RecordFormat.parse(valueFormat, "value_format");
            return read(body, length)
                    .map(bytes -> parser.records(parser.parse(bytes), keys, values))
                    .flatMap(records -> produce.produce(topic, records, ackValue, timeout))
                    .map(ProduceController::respond);
        });
    }

    @PostMapping(path = "/v1/topics/{topic}/records", consumes = "application/x-ndjson", produces = "application/x-ndjson")
    Flux<RecordResult> produceStream(@PathVariable String topic, @RequestBody Flux<DataBuffer> body,
                                     @RequestParam(defaultValue = "all") String acks,
                                     @RequestParam(name = "timeout_ms", required = false) Long timeoutMs,
                                     @RequestParam(name = "key_format", required = false) String keyFormat,
                                     @RequestParam(name = "value_format", required = false) String valueFormat) {
        return Flux.defer(() -> {
            String ackValue = acks(acks);
            Duration timeout = timeout(timeoutMs);
            RecordFormat keys = RecordFormat.parse(keyFormat, "key_format");
            RecordFormat values = RecordFormat.parse(valueFormat, "value_format");
            long limit = settings.maxRequestSize().toBytes();
            int[] index = {0};
            // Lines are produced in small groups as they arrive; results come back in line order. A line longer than
            // the request limit ends the stream with a REQUEST_TOO_LARGE result after the results of the lines before.
            Flux<Parsed> parsed = lines(body, limit)
                    .filter(line -> !line.isBlank())
                    .map(line -> parseLine(line, index[0]++, keys, values))
                    .onErrorResume(DataBufferLimitException.class, e -> Flux.just(new Parsed(index[0], null,
                            ErrorCode.REQUEST_TOO_LARGE.exception("Record " + index[0] + " is on a line longer than "
                                    + limit + " bytes, the most this gateway accepts; nothing after it was read"))));
            // The topic is looked up before the first result, so that an unknown topic is a 404, not 200 and a
            // failed result per line.
            return produce.topic(topic).thenMany(parsed
                    .concatMap(line -> line.record() == null ? Mono.just(line)
                            : produce.validate(topic, line.record(), line.index())
                                    .thenReturn(line)
                                    .onErrorResume(SluiceException.class,
                                            e -> Mono.just(new Parsed(line.index(), null, e))))
                    // fairBackpressure: groups wait for the previous one to be produced instead of overflowing.
                    .bufferTimeout(1000, Duration.ofMillis(5), true)
                    .concatMap(group -> produceGroup(topic, group, ackValue, timeout)));
        });
    }

    /**
     * The body's lines, each as its bytes held one per char (ISO-8859-1): the delimiters are ASCII, and the bytes reach
     * the JSON parser unchanged, which refuses invalid UTF-8 as for a JSON body (decoding as UTF-8 here would replace
     * bad bytes with U+FFFD and store the result).
     */
    private static Flux<String> lines(Flux<DataBuffer> body, long limit) {
        StringDecoder decoder = StringDecoder.textPlainOnly(StringDecoder.DEFAULT_DELIMITERS, true);
        decoder.setMaxInMemorySize((int) Math.min(limit, Integer.MAX_VALUE));
        return decoder.decode(body, ResolvableType.forClass(String.class), LINE_BYTES, null);
    }

    private Flux<RecordResult> produceGroup(String topic, List<Parsed> group, String acks, Duration timeout) {
        List<ProduceRecord> valid = group.stream().filter(p -> p.record() != null).map(Parsed::record).toList();
        Mono<List<RecordResult>> written = valid.isEmpty() ? Mono.just(List.of())
                : produce.produce(topic, valid, acks, timeout)
                        .onErrorResume(SluiceException.class, e -> Mono.just(valid.stream()
                                .map(r -> RecordResult.failed(r.partition(), e)).toList()));
        return written.flatMapIterable(results -> {
            RecordResult[] ordered = new RecordResult[group.size()];
            int next = 0;
            for (int i = 0; i < group.size(); i++) {
                ordered[i] = group.get(i).record() == null ? RecordResult.failed(null, group.get(i).error())
                        : results.get(next++);
            }
            return List.of(ordered);
        });
    }

    private Parsed parseLine(String line, int index, RecordFormat keys, RecordFormat values) {
        try {
            return new Parsed(index, parser.record(parser.parse(line.getBytes(StandardCharsets.ISO_8859_1)), index, keys,
                    values), null);
        } catch (SluiceException e) {
            // The parser's line and column are within this record's line; say which record it is.
            return new Parsed(index, null, e.getMessage().startsWith("Malformed JSON")
                    ? new SluiceException(e.errorCode(), "Record " + index + ": " + e.getMessage()) : e);
        }
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
                .switchIfEmpty(Mono.error(ErrorCode.INVALID_REQUEST.exception("The request has no body")))
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
        ProblemDetail problem = Problems.of(code, first.message());
        problem.setProperty("results", results);
        return ResponseEntity.status(code.httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String acks(String acks) {
        return switch (acks) {
            case "0", "1", "all" -> acks;
            case "-1" -> "all";
            default -> throw ErrorCode.INVALID_REQUEST.exception("acks must be 0, 1 or all, was '" + acks + "'");
        };
    }

    private Duration timeout(Long timeoutMs) {
        if (timeoutMs == null) {
            return settings.defaultTimeout();
        }
        if (timeoutMs < 0) {
            throw ErrorCode.INVALID_REQUEST.exception("timeout_ms must be >= 0, was " + timeoutMs);
        }
        return Duration.ofMillis(timeoutMs);
    }

    private record Parsed(int index, ProduceRecord record, SluiceException error) {
    }
}
