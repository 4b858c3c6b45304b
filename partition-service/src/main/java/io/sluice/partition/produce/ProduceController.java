package io.sluice.partition.produce;

import io.sluice.internal.partition.PartitionPaths;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.partition.PartitionProperties;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /internal/produce?acks=0|1|all&timeout_ms=N} with a {@value ProduceRequestCodec#CONTENT_TYPE} body.
 * The body is refused before it is buffered when its declared length is over the limit, and while buffering when
 * it grows past it.
 */
@RestController
class ProduceController {

    private final ProduceService produce;
    private final PartitionProperties properties;

    ProduceController(ProduceService produce, PartitionProperties properties) {
        this.produce = produce;
        this.properties = properties;
    }

    @PostMapping(path = PartitionPaths.PRODUCE, consumes = ProduceRequestCodec.CONTENT_TYPE)
    Mono<ProduceResponse> produce(@RequestBody Flux<DataBuffer> body,
                                  @RequestParam(defaultValue = "all") String acks,
                                  @RequestParam(name = "timeout_ms", required = false) Long timeoutMs,
                                  @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) Long length) {
        long limit = properties.requests().maxProduceBytes().toBytes();
        if (length != null && length > limit) {
            return Mono.error(ErrorCode.REQUEST_TOO_LARGE.exception("The produce request is " + length
                    + " bytes; the limit is " + limit));
        }
        if (timeoutMs != null && timeoutMs < 0) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("timeout_ms must be >= 0, was " + timeoutMs));
        }
        Acks parsed = Acks.parse(acks);
        Duration timeout = timeoutMs == null ? properties.requests().defaultTimeout() : Duration.ofMillis(timeoutMs);
        return DataBufferUtils.join(body, (int) Math.min(limit, Integer.MAX_VALUE))
                .map(ProduceController::toHeapBuffer)
                .flatMap(bytes -> produce.produce(bytes, parsed, timeout));
    }

    /** One copy into the heap: the leader rewrites offsets in these bytes and the pooled buffer goes back now. */
    private static ByteBuffer toHeapBuffer(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return ByteBuffer.wrap(bytes);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
