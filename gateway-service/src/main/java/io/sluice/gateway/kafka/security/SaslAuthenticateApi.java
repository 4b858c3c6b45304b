package io.sluice.gateway.kafka.security;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.security.SaslSignIn;
import io.sluice.gateway.security.SluicePrincipal;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.SaslMessages;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * SaslAuthenticate: the client's credentials in the mechanism the handshake chose, checked by {@link SaslSignIn}
 * (PLAIN: a user of the users file and its password, acting as itself only; OAUTHBEARER: a JWT the gateway's JWT
 * settings accept). Success signs the connection in as {@code User:<name>}, for good: no re-authentication is asked
 * (session lifetime 0). Failure is SASL_AUTHENTICATION_FAILED and ends the connection after the answer.
 */
@Component
class SaslAuthenticateApi implements KafkaApi {

    private final SaslSignIn signIn;

    SaslAuthenticateApi(SaslSignIn signIn) {
        this.signIn = signIn;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        SaslAuthenticateRequestData data = ((SaslAuthenticateRequest) request.body()).data();
        String mechanism = session.mechanism();
        if (mechanism == null || session.signedIn()) {
            session.closeAfterAnswer();
            return Mono.just(new SaslAuthenticateResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate comes once, after a SaslHandshake"));
        }
        Mono<SluicePrincipal> signedIn;
        try {
            signedIn = switch (mechanism) {
                case SaslSignIn.PLAIN -> {
                    SaslMessages.Plain plain = SaslMessages.plain(data.authBytes());
                    if (!plain.authorizationId().isEmpty() && !plain.authorizationId().equals(plain.user())) {
                        yield Mono.error(Errors.SASL_AUTHENTICATION_FAILED.exception(
                                "A user may only act as itself"));
                    }
                    yield signIn.plain(plain.user(), plain.password(), session.address());
                }
                case SaslSignIn.OAUTHBEARER -> signIn.oauthBearer(SaslMessages.oauthBearerToken(data.authBytes()),
                        session.address());
                default -> Mono.error(Errors.UNSUPPORTED_SASL_MECHANISM.exception(mechanism));
            };
        } catch (IllegalArgumentException malformed) {
            signedIn = Mono.error(Errors.SASL_AUTHENTICATION_FAILED.exception(malformed.getMessage()));
        }
        return signedIn
                .<ApiMessage>map(principal -> {
                    session.signedIn(principal);
                    return new SaslAuthenticateResponseData().setAuthBytes(new byte[0]).setSessionLifetimeMs(0);
                })
                .onErrorResume(e -> {
                    session.closeAfterAnswer();
                    var failure = KafkaErrors.exception(e);
                    return Mono.just(new SaslAuthenticateResponseData().setAuthBytes(new byte[0])
                            .setErrorCode(Errors.forException(failure).code()).setErrorMessage(failure.getMessage()));
                });
    }
}
