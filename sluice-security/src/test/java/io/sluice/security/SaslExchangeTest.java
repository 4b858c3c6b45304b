package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import io.sluice.internal.scram.ScramApi;
import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import java.security.SecureRandom;
import reactor.core.publisher.Mono;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Kafka's SASL exchange as every Kafka listener runs it: PLAIN against the users file, one handshake and one
 * authenticate per connection, SCRAM's two rounds against the cluster's credentials, and the forwarded sign-in of a
 * partition service, taken only with the cluster secret.
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

    /** The coordinator's credentials as a cache holds them: only alice, with SCRAM-SHA-512. */
    private SaslExchange scramExchange(int maxFailures) throws Exception {
        ScramCredentialCache cache = new ScramCredentialCache(new ScramApi() {
            @Override
            public Mono<ScramSnapshot> scramCredentials() {
                return Mono.error(new IllegalStateException("not read in this test"));
            }

            @Override
            public Mono<ScramSnapshot> alterScramCredentials(ScramChange change) {
                return Mono.error(new IllegalStateException("not changed in this test"));
            }
        }, Duration.ofSeconds(5), Clock.systemUTC());
        cache.offer(new ScramSnapshot(1, List.of(Scram.newCredential("alice", ScramMechanism.SCRAM_SHA_512,
                "scram-pw", 4096, new SecureRandom()))));
        SaslSignIn signIn = new SaslSignIn(new Credentials(null, null, "sub", cache),
                new LoginThrottle(new SecurityProperties.LoginThrottling(maxFailures, Duration.ofMinutes(1)),
                        Clock.systemUTC()), cache, SECRET);
        return new SaslExchange(signIn, null);
    }

    /** Both rounds of a SCRAM sign-in; the answer to the last one. */
    private static SaslAuthenticateResponseData scram(SaslExchange exchange, SaslExchange.State connection,
                                                      ScramMechanism mechanism, String user, String password) {
        String bare = "n=" + user + ",r=client-nonce";
        SaslAuthenticateResponseData first = authenticate(exchange, connection, mechanism.mechanismName(),
                ("n,," + bare).getBytes(StandardCharsets.UTF_8));
        if (first.errorCode() != 0) {
            return first;
        }
        assertThat(connection.principal()).as("signed in after the first round").isNull();
        String serverFirst = new String(first.authBytes(), StandardCharsets.UTF_8);
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        byte[] salt = Base64.getDecoder().decode(serverFirst.substring(serverFirst.indexOf(",s=") + 3,
                serverFirst.indexOf(",i=")));
        int iterations = Integer.parseInt(serverFirst.substring(serverFirst.indexOf(",i=") + 3));
        String withoutProof = "c=biws,r=" + nonce;
        byte[] salted = Scram.saltedPassword(mechanism, password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        byte[] clientKey = Scram.clientKey(mechanism, salted);
        byte[] signature = Scram.hmac(mechanism, Scram.storedKey(mechanism, clientKey),
                (bare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= signature[i];
        }
        return exchange.authenticate(new SaslAuthenticateRequestData().setAuthBytes((withoutProof + ",p="
                + Base64.getEncoder().encodeToString(clientKey)).getBytes(StandardCharsets.UTF_8)), connection).block();
    }

    @Test
    void aScramUserSignsInInTwoRoundsAndAWrongPasswordOrUnknownUserEndsTheConnectionAlike() throws Exception {
        SaslExchange exchange = scramExchange(10);
        assertThat(exchange.mechanisms()).containsExactly("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

        SaslExchange.State alice = connection();
        SaslAuthenticateResponseData answer = scram(exchange, alice, ScramMechanism.SCRAM_SHA_512, "alice", "scram-pw");
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
        assertThat(new String(answer.authBytes(), StandardCharsets.UTF_8)).startsWith("v=");
        assertThat(alice.principal()).isEqualTo(new SluicePrincipal("alice"));
        assertThat(alice.closing()).isFalse();

        for (String[] attempt : List.of(new String[] {"alice", "wrong"}, new String[] {"mallory", "scram-pw"})) {
            SaslExchange.State guess = connection();
            answer = scram(exchange, guess, ScramMechanism.SCRAM_SHA_512, attempt[0], attempt[1]);
            assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(answer.errorMessage()).isEqualTo(SaslSignIn.FAILED);
            assertThat(guess.principal()).isNull();
            assertThat(guess.closing()).isTrue();
        }
        // alice has no SCRAM-SHA-256 credential.
        answer = scram(exchange, connection(), ScramMechanism.SCRAM_SHA_256, "alice", "scram-pw");
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
    }

    @Test
    void aScramUserOverItsFailedSignInsIsRefusedEvenWithTheRightPassword() throws Exception {
        SaslExchange exchange = scramExchange(2);
        scram(exchange, connection(), ScramMechanism.SCRAM_SHA_512, "alice", "wrong-1");
        scram(exchange, connection(), ScramMechanism.SCRAM_SHA_512, "alice", "wrong-2");

        SaslExchange.State right = connection();
        SaslAuthenticateResponseData answer = scram(exchange, right, ScramMechanism.SCRAM_SHA_512, "alice",
                "scram-pw");
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(right.principal()).isNull();
    }

    @Test
    void aScramUserSignsInWithPlainToo() throws Exception {
        SaslExchange.State alice = connection();
        SaslAuthenticateResponseData answer = authenticate(scramExchange(10), alice, SaslSignIn.PLAIN,
                "\0alice\0scram-pw".getBytes(StandardCharsets.UTF_8));
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
        assertThat(alice.principal()).isEqualTo(new SluicePrincipal("alice"));
    }

    @Test
    void aVersionZeroHandshakeIsRefused() throws Exception {
        assertThat(exchange(null).handshake(new SaslHandshakeRequestData().setMechanism(SaslSignIn.PLAIN), (short) 0,
                connection()).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    }
}
