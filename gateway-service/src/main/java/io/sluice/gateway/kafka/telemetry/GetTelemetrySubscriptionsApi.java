package io.sluice.gateway.kafka.telemetry;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.GetTelemetrySubscriptionsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** GetTelemetrySubscriptions (KIP-714): the metrics a client is asked to push, and how often ({@link ClientTelemetry}). */
@Component
class GetTelemetrySubscriptionsApi implements KafkaApi {

    private final ClientTelemetry telemetry;

    GetTelemetrySubscriptionsApi(ClientTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.GET_TELEMETRY_SUBSCRIPTIONS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        return Mono.just(telemetry.subscription(
                ((GetTelemetrySubscriptionsRequest) request.body()).data().clientInstanceId()));
    }
}
