package io.sluice.gateway.kafka;

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
 * with a users file, OAUTHBEARER with JWT settings) and UNSUPPORTED_SASL_MECHANISM if it is not among them. Only
 * version 1 is answered: its tokens then travel in SaslAuthenticate requests (version 0's raw tokens, which no client
 * of the last seven years sends, are not read).
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
    public short minVersion() {
        return 1;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        SaslHandshakeRequestData data = ((SaslHandshakeRequest) request.body()).data();
        SaslHandshakeResponseData answer = new SaslHandshakeResponseData().setMechanisms(signIn.mechanisms());
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
