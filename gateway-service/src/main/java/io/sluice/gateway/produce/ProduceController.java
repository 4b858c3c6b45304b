package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.protocol.ErrorCode;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * {@code POST /v1/topics/{topic}/records} with an NDJSON stream of records, answered by an NDJSON stream of results
 * in the same order ({@link NdjsonProduceFlow}). Its parameters are a {@link ProduceRequest}. JSON bodies to the same
 * path are {@link JsonProduceRoute}'s.
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
                                     ProduceRequest request,
                                     @RequestHeader(name = IdempotencyKey.HEADER, required = false) String key) {
        if (key != null) {
            // A stream's own re-sends never duplicate (it is one producer session), but a client's retry of a whole
            // stream is a new session: the key is refused rather than accepted with a promise it could not keep.
            return Flux.error(ErrorCode.INVALID_REQUEST.exception(IdempotencyKey.HEADER + " is not supported on"
                    + " NDJSON streams: a stream's records are written once however often the gateway re-sends them,"
                    + " but a retried stream writes its lines again; send JSON requests with the key to retry them"
                    + " exactly once"));
        }
        return Flux.defer(() -> ndjson.produce(topic, body, settings.maxRequestSize().toBytes(), request.acks(),
                request.timeout(), request.writing()));
    }
}
