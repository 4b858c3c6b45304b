package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.kafka.KafkaRequest;
import io.sluice.security.SaslExchange;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** SaslHandshake: the client names its mechanism, as every Kafka listener takes it ({@link SaslExchange}). */
@Component
class SaslHandshakeApi implements KafkaApi {

    private final SaslExchange sasl;

    SaslHandshakeApi(SaslExchange sasl) {
        this.sasl = sasl;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        return Mono.just(sasl.handshake(((SaslHandshakeRequest) request.body()).data(), request.version(),
                session.signIn()));
    }
}
