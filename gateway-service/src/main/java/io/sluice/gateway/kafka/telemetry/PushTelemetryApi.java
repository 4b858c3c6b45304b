package io.sluice.gateway.kafka.telemetry;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.PushTelemetryResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.PushTelemetryRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * PushTelemetry (KIP-714): a client's metrics, kept for the Prometheus endpoint under its client id and principal
 * ({@link ClientTelemetry}); a refused push is answered with Kafka's error for it.
 */
@Component
class PushTelemetryApi implements KafkaApi {

    private final ClientTelemetry telemetry;

    PushTelemetryApi(ClientTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.PUSH_TELEMETRY;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        // Decompressing and decoding up to a megabyte: off the connection's event loop.
        return Mono.fromCallable(() -> {
                    telemetry.push(((PushTelemetryRequest) request.body()).data(), request.clientId(),
                            session.principal());
                    return (ApiMessage) new PushTelemetryResponseData();
                })
                .subscribeOn(Schedulers.boundedElastic());
    }
}
