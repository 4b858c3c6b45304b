package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.SaslSignIn;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * SaslHandshake: the client names its mechanism, answered with the ones the gateway offers ({@link SaslSignIn}: PLAIN
 * with a users file, OAUTHBEARER with JWT settings) and UNSUPPORTED_SASL_MECHANISM if it is not among them.
 *
 * <p>Both versions are offered, since librdkafka will not sign in with a broker that does not list version 0, but only
 * a version 1 handshake is taken: its tokens then travel in SaslAuthenticate requests. A version 0 handshake (raw
 * tokens would follow, unframed; no client of the last seven years sends one when version 1 is offered) is answered
 * UNSUPPORTED_VERSION.
 */
@Component
class SaslHandshakeApi implements KafkaApi {

    private final SaslSignIn signIn;

    SaslHandshakeApi(SaslSignIn signIn) {
        this.signIn = signIn;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        SaslHandshakeRequestData data = ((SaslHandshakeRequest) request.body()).data();
        SaslHandshakeResponseData answer = new SaslHandshakeResponseData().setMechanisms(signIn.mechanisms());
        if (request.version() < 1) {
            return Mono.just(answer.setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
        }
        if (session.mechanism() != null || session.signedIn() && signIn.required()) {
            return Mono.just(answer.setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
        }
        if (!signIn.mechanisms().contains(data.mechanism())) {
            return Mono.just(answer.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()));
        }
        session.mechanism(data.mechanism());
        return Mono.just(answer);
    }
}
