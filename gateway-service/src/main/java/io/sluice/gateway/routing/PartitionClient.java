package io.sluice.gateway.routing;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.metadata.NodeInfo;
import io.sluice.metadata.Problem;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.wire.FetchRequest;
import io.sluice.protocol.wire.FetchResponseCodec;
import io.sluice.protocol.wire.ListOffsetsRequest;
import io.sluice.protocol.wire.ListOffsetsResponse;
import io.sluice.protocol.wire.ProduceRequestCodec;
import io.sluice.protocol.wire.ProduceResponse;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls partition services' internal data API over pooled keep-alive HTTP connections, one circuit breaker per node
 * (a node that keeps failing is not hammered while it restarts) and a timeout per call.
 *
 * <p>Failures are mapped to what the caller can act on: a node that cannot be reached before the request was sent,
 * or whose circuit is open, is LEADER_NOT_AVAILABLE (safe to re-route and retry); a call that fails after the request
 * was sent is REQUEST_TIMED_OUT (a produce may or may not have been applied); a problem answer keeps its error code.
 */
@Component
public class PartitionClient {

    private static final int MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
    /** After a produce's own timeout (when the leader answers REQUEST_TIMED_OUT), time for that answer to arrive. */
    private static final Duration PRODUCE_ANSWER_GRACE = Duration.ofSeconds(1);

    private final WebClient http;
    private final JsonMapper json;
    private final CircuitBreakerRegistry breakers;
    private final Duration timeout;

    public PartitionClient(WebClient.Builder builder, JsonMapper json, GatewayProperties properties,
                           MeterRegistry meters) {
        this.http = builder.codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_RESPONSE_BYTES)).build();
        this.json = json;
        this.timeout = properties.partitionCalls().timeout();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.partitionCalls().failureRate())
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .waitDurationInOpenState(properties.partitionCalls().openDuration())
                // Only a node's failure to answer counts against it; its error answers are answers.
                .recordException(e -> e instanceof WebClientRequestException || e instanceof TimeoutException)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    }

    /**
     * The produce's own timeout bounds the call, so that a leader that does not answer at all (paused, cut off) fails
     * a produce shortly after its timeout_ms rather than a whole partition-call timeout later.
     */
    public Mono<ProduceResponse> produce(NodeInfo node, ByteBuffer body, String acks, Duration requestTimeout) {
        Duration limit = requestTimeout.plus(timeout.compareTo(PRODUCE_ANSWER_GRACE) < 0 ? timeout : PRODUCE_ANSWER_GRACE);
        return call(node, http.post()
                .uri(node.url() + "/internal/produce?acks={acks}&timeout_ms={timeout}", acks, requestTimeout.toMillis())
                .contentType(MediaType.parseMediaType(ProduceRequestCodec.CONTENT_TYPE))
                .bodyValue(body)
                .exchangeToMono(response -> decode(response, ProduceResponse.class)), limit);
    }

    public Mono<List<FetchResponseCodec.FetchedPartition>> fetch(NodeInfo node, FetchRequest request) {
        Duration wait = Duration.ofMillis(request.maxWaitMs() == null ? 0 : request.maxWaitMs());
        return call(node, http.post()
                .uri(node.url() + "/internal/fetch")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? DataBufferUtils.join(response.bodyToFlux(DataBuffer.class), MAX_RESPONSE_BYTES)
                                .map(PartitionClient::toByteBuffer)
                                .map(FetchResponseCodec::decode)
                        : problem(response)), timeout.plus(wait));
    }

    public Mono<ListOffsetsResponse> listOffsets(NodeInfo node, ListOffsetsRequest request) {
        return call(node, http.post()
                .uri(node.url() + "/internal/list-offsets")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchangeToMono(response -> decode(response, ListOffsetsResponse.class)), timeout);
    }

    private <T> Mono<T> call(NodeInfo node, Mono<T> exchange, Duration limit) {
        CircuitBreaker breaker = breakers.circuitBreaker("node-" + node.id());
        return exchange
                .timeout(limit)
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorMap(e -> !(e instanceof SluiceException), e -> translate(node, e));
    }

    private <T> Mono<T> decode(ClientResponse response, Class<T> type) {
        if (!response.statusCode().is2xxSuccessful()) {
            return problem(response);
        }
        return response.bodyToMono(byte[].class).map(bytes -> json.readValue(bytes, type));
    }

    private <T> Mono<T> problem(ClientResponse response) {
        return response.bodyToMono(byte[].class)
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> {
                    try {
                        return Mono.error(json.readValue(bytes, Problem.class).toException());
                    } catch (RuntimeException e) {
                        return Mono.error(ErrorCode.UNKNOWN_SERVER_ERROR.exception(
                                "Partition service answered HTTP " + response.statusCode().value()));
                    }
                });
    }

    private static SluiceException translate(NodeInfo node, Throwable e) {
        if (e instanceof CallNotPermittedException) {
            return ErrorCode.LEADER_NOT_AVAILABLE.exception("Node " + node.id() + " keeps failing; not calling it for now");
        }
        if (e instanceof WebClientRequestException request && causedBy(request, ConnectException.class)) {
            return ErrorCode.LEADER_NOT_AVAILABLE.exception("Node " + node.id() + " at " + node.url() + " is unreachable");
        }
        if (e instanceof TimeoutException) {
            return ErrorCode.REQUEST_TIMED_OUT.exception("Node " + node.id() + " did not answer in time");
        }
        return ErrorCode.REQUEST_TIMED_OUT.exception("The call to node " + node.id() + " failed after it was sent: " + e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer toByteBuffer(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return ByteBuffer.wrap(bytes);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
