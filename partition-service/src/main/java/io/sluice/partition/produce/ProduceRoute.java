package io.sluice.partition.produce;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponseCodec;
import io.sluice.partition.PartitionProperties;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.web.InternalRoutes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code POST /internal/produce?acks=0|1|all&timeout_ms=N} with a {@value ProduceRequestCodec#CONTENT_TYPE} body,
 * answered with a {@value ProduceResponseCodec#CONTENT_TYPE} body. A plain Reactor Netty route
 * ({@link InternalRoutes} checks the caller, the content type and the size limit first).
 */
public final class ProduceRoute implements InternalRoutes.BodyHandler {

    private final ProduceService produce;
    private final Duration defaultTimeout;

    public ProduceRoute(ProduceService produce, PartitionProperties properties) {
        this.produce = produce;
        this.defaultTimeout = properties.requests().defaultTimeout();
    }

    @Override
    public Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, ByteBuffer body) {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        Acks acks = Acks.parse(parameter(query, "acks", "all"));
        String timeoutMs = parameter(query, "timeout_ms", null);
        Duration timeout = timeoutMs == null ? defaultTimeout : Duration.ofMillis(nonNegative(timeoutMs));
        return produce.produce(body, acks, timeout).flatMap(answer -> {
            ByteBuffer encoded = ProduceResponseCodec.encode(answer);
            return response.header(HttpHeaderNames.CONTENT_TYPE, ProduceResponseCodec.CONTENT_TYPE)
                    .sendByteArray(Mono.just(encoded.array()))
                    .then();
        });
    }

    private static String parameter(QueryStringDecoder query, String name, String fallback) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? fallback : values.getFirst();
    }

    private static long nonNegative(String timeoutMs) {
        long value;
        try {
            value = Long.parseLong(timeoutMs);
        } catch (NumberFormatException e) {
            throw ErrorCode.INVALID_REQUEST.exception("timeout_ms must be a number of milliseconds, was " + timeoutMs);
        }
        if (value < 0) {
            throw ErrorCode.INVALID_REQUEST.exception("timeout_ms must be >= 0, was " + value);
        }
        return value;
    }
}
