package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Kafka's SASL exchange as every Kafka listener runs it: PLAIN against the users file, one handshake and one
 * authenticate per connection, and the forwarded sign-in of a partition service, taken only with the cluster secret.
 */
class SaslExchangeTest {

    private static final String SECRET = "cluster-secret";

    @TempDir
    Path dir;

    private static SaslExchange.State connection() {
        return new SaslExchange.State(null, InetAddress::getLoopbackAddress);
    }

    private SaslExchange exchange(String forwardingSecret) throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "alice:" + new BCryptPasswordEncoder().encode("alice-pw") + "\n");
        SaslSignIn signIn = new SaslSignIn(new Credentials(BasicUsers.read(users), null, "sub"),
                new LoginThrottle(new SecurityProperties.LoginThrottling(10, Duration.ofMinutes(1)),
                        Clock.systemUTC()));
        return new SaslExchange(signIn, forwardingSecret);
    }

    private static SaslAuthenticateResponseData authenticate(SaslExchange exchange, SaslExchange.State connection,
                                                             String mechanism, byte[] message) {
        Errors handshake = Errors.forCode(exchange.handshake(new SaslHandshakeRequestData().setMechanism(mechanism),
                (short) 1, connection).errorCode());
        assertThat(handshake).as("the handshake naming " + mechanism).isEqualTo(Errors.NONE);
        return exchange.authenticate(new SaslAuthenticateRequestData().setAuthBytes(message), connection).block();
    }

    @Test
    void aUserOfTheUsersFileSignsInWithPlainAndAWrongPasswordEndsTheConnection() throws Exception {
        SaslExchange exchange = exchange(null);
        SaslExchange.State alice = connection();
        SaslAuthenticateResponseData answer = authenticate(exchange, alice, SaslSignIn.PLAIN,
                "\0alice\0alice-pw".getBytes(StandardCharsets.UTF_8));

        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
        assertThat(alice.principal()).isEqualTo(new SluicePrincipal("alice"));
        assertThat(exchange.authenticate(new SaslAuthenticateRequestData().setAuthBytes(new byte[0]), alice).block()
                .errorCode()).as("a second authenticate").isEqualTo(Errors.ILLEGAL_SASL_STATE.code());

        SaslExchange.State guess = connection();
        answer = authenticate(exchange, guess, SaslSignIn.PLAIN, "\0alice\0wrong".getBytes(StandardCharsets.UTF_8));
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(guess.principal()).isNull();
        assertThat(guess.closing()).isTrue();
    }

    @Test
    void aForwardedSignInIsTakenWithTheClusterSecretOnlyAndNeverOffered() throws Exception {
        SaslExchange exchange = exchange(SECRET);
        assertThat(exchange.mechanisms()).containsExactly(SaslSignIn.PLAIN);

        SaslExchange.State forwarded = connection();
        SaslAuthenticateResponseData answer = authenticate(exchange, forwarded, SaslExchange.FORWARDED,
                SaslExchange.forwardedCredentials(SECRET, new SluicePrincipal("bob")));
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
        assertThat(forwarded.principal()).as("the client's principal, as the node forwards it")
                .isEqualTo(new SluicePrincipal("bob"));

        for (byte[] wrong : List.of(SaslExchange.forwardedCredentials("not-the-secret", new SluicePrincipal("bob")),
                SECRET.getBytes(StandardCharsets.UTF_8), (SECRET + "\0").getBytes(StandardCharsets.UTF_8),
                ("\0bob").getBytes(StandardCharsets.UTF_8))) {
            SaslExchange.State impostor = connection();
            answer = authenticate(exchange, impostor, SaslExchange.FORWARDED, wrong);
            assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(impostor.principal()).isNull();
            assertThat(impostor.closing()).isTrue();
        }
    }

    @Test
    void withoutAClusterSecretTheForwardedMechanismIsUnsupported() throws Exception {
        SaslExchange.State connection = connection();
        Errors answer = Errors.forCode(exchange(null).handshake(new SaslHandshakeRequestData()
                .setMechanism(SaslExchange.FORWARDED), (short) 1, connection).errorCode());

        assertThat(answer).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(connection.mechanism()).isNull();
    }

    @Test
    void aVersionZeroHandshakeIsRefused() throws Exception {
        assertThat(exchange(null).handshake(new SaslHandshakeRequestData().setMechanism(SaslSignIn.PLAIN), (short) 0,
                connection()).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    }
}
