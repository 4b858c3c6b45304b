package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.kafka.KafkaRequest;
import io.sluice.security.SaslExchange;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * SaslAuthenticate: the client's credentials in the mechanism the handshake chose, checked as every Kafka listener
 * checks them ({@link SaslExchange}); a partition service forwarding a signed-in client's requests signs in here as
 * that client with the cluster secret.
 */
@Component
class SaslAuthenticateApi implements KafkaApi {

    private final SaslExchange sasl;

    SaslAuthenticateApi(SaslExchange sasl) {
        this.sasl = sasl;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        return sasl.authenticate(((SaslAuthenticateRequest) request.body()).data(), session.signIn())
                .map(ApiMessage.class::cast);
    }
}
