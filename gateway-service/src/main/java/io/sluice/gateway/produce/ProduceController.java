package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;
import io.sluice.gateway.format.Formats;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import java.time.Duration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code POST /v1/topics/{topic}/records} with an NDJSON stream of records, answered by an NDJSON stream of results
 * in the same order ({@link NdjsonProduceFlow}). {@code acks} (0, 1, all; default all), {@code timeout_ms} and the
 * formats apply. JSON bodies to the same path are {@link JsonProduceRoute}'s.
 */
@RestController
class ProduceController {

    private final NdjsonProduceFlow ndjson;
    private final GatewayProperties.Produce settings;

    ProduceController(NdjsonProduceFlow ndjson, GatewayProperties properties) {
        this.ndjson = ndjson;
        this.settings = properties.produce();
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

    private Duration timeout(Long timeoutMs) {
        return Duration.ofMillis(Bounds.check("timeout_ms", timeoutMs, settings.defaultTimeout().toMillis(), 0,
                settings.maxTimeout().toMillis()));
    }
}
