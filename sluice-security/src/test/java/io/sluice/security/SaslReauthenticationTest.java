package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/**
 * KIP-368 as every Kafka listener runs it: SaslAuthenticate answers how long the session lasts (the configured
 * maximum, an OAUTHBEARER token's remaining life, the shorter of both, or 0 for good); once it ended, anything but a
 * new sign-in is refused; a sign-in again as the same principal renews it, as another principal or with another
 * mechanism fails and ends the connection. A certificate's principal gives way to SASL's.
 */
class SaslReauthenticationTest {

    private static final KeyPair SIGNER = rsa();
    /** A whole second, as a token's {@code exp} is. */
    private static final Instant NOW = Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @TempDir
    Path dir;
    private Credentials credentials;
    private Instant now = NOW;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @BeforeEach
    void users() throws Exception {
        Path users = dir.resolve("users");
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Files.writeString(users, "alice:" + bcrypt.encode("alice-pw") + "\nbob:" + bcrypt.encode("bob-pw") + "\n");
        credentials = new Credentials(BasicUsers.read(users),
                NimbusReactiveJwtDecoder.withPublicKey((RSAPublicKey) SIGNER.getPublic()).build(), "sub");
    }

    private SaslExchange exchange(Duration maxSessionLifetime) {
        SaslSignIn signIn = new SaslSignIn(credentials, new LoginThrottle(
                new SecurityProperties.LoginThrottling(100, Duration.ofMinutes(1)), Clock.systemUTC()));
        return new SaslExchange(signIn, "cluster-secret", maxSessionLifetime, clock);
    }

    private static SaslExchange.State connection() {
        return new SaslExchange.State(null, InetAddress::getLoopbackAddress);
    }

    private static SaslAuthenticateResponseData signIn(SaslExchange exchange, SaslExchange.State connection,
                                                       String mechanism, byte[] message) {
        Errors handshake = Errors.forCode(exchange.handshake(new SaslHandshakeRequestData().setMechanism(mechanism),
                (short) 1, connection).errorCode());
        assertThat(handshake).as("the handshake naming " + mechanism).isEqualTo(Errors.NONE);
        return exchange.authenticate(new SaslAuthenticateRequestData().setAuthBytes(message), connection).block();
    }

    private static byte[] plain(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] token(String subject, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject(subject)
                .expirationTime(Date.from(expires)).build());
        jwt.sign(new RSASSASigner(SIGNER.getPrivate()));
        return ("n,,\u0001auth=Bearer " + jwt.serialize() + "\u0001\u0001").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void withoutAMaximumAPasswordSignInLastsForGood() {
        SaslExchange exchange = exchange(Duration.ZERO);
        SaslExchange.State alice = connection();

        assertThat(signIn(exchange, alice, SaslSignIn.PLAIN, plain("alice", "alice-pw")).sessionLifetimeMs()).isZero();
        now = now.plus(Duration.ofDays(400));
        assertThat(exchange.refusal(alice, ApiKeys.PRODUCE)).isNull();
    }

    @Test
    void aSessionPastItsLifetimeMayOnlySignInAgainAndASignInAgainRenewsIt() {
        SaslExchange exchange = exchange(Duration.ofSeconds(3));
        SaslExchange.State alice = connection();
        assertThat(exchange.refusal(alice, ApiKeys.METADATA)).as("before the sign-in").isNotNull();

        assertThat(signIn(exchange, alice, SaslSignIn.PLAIN, plain("alice", "alice-pw")).sessionLifetimeMs())
                .isEqualTo(3000);
        now = now.plusMillis(2999);
        assertThat(exchange.refusal(alice, ApiKeys.PRODUCE)).isNull();
        now = now.plusMillis(1);
        assertThat(exchange.refusal(alice, ApiKeys.PRODUCE)).contains("SASL session ended");
        assertThat(exchange.refusal(alice, ApiKeys.API_VERSIONS)).isNotNull();
        assertThat(exchange.refusal(alice, ApiKeys.SASL_AUTHENTICATE)).as("without a handshake first").isNotNull();
        assertThat(exchange.refusal(alice, ApiKeys.SASL_HANDSHAKE)).isNull();

        SaslAuthenticateResponseData again = signIn(exchange, alice, SaslSignIn.PLAIN, plain("alice", "alice-pw"));
        assertThat(Errors.forCode(again.errorCode())).isEqualTo(Errors.NONE);
        assertThat(again.sessionLifetimeMs()).isEqualTo(3000);
        assertThat(exchange.refusal(alice, ApiKeys.PRODUCE)).isNull();
        assertThat(alice.principal()).isEqualTo(new SluicePrincipal("alice"));
        assertThat(alice.closing()).isFalse();
    }

    @Test
    void aSignInAgainAsAnotherPrincipalFailsAndEndsTheConnection() {
        SaslExchange exchange = exchange(Duration.ofSeconds(3));
        SaslExchange.State alice = connection();
        signIn(exchange, alice, SaslSignIn.PLAIN, plain("alice", "alice-pw"));

        SaslAuthenticateResponseData bob = signIn(exchange, alice, SaslSignIn.PLAIN, plain("bob", "bob-pw"));

        assertThat(Errors.forCode(bob.errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
        assertThat(bob.errorMessage()).contains("Cannot change principals");
        assertThat(alice.principal()).isEqualTo(new SluicePrincipal("alice"));
        assertThat(alice.closing()).isTrue();
    }

    @Test
    void aSignInAgainWithAnotherMechanismIsRefusedAndEndsTheConnection() throws Exception {
        SaslExchange exchange = exchange(Duration.ofSeconds(3));
        SaslExchange.State alice = connection();
        signIn(exchange, alice, SaslSignIn.PLAIN, plain("alice", "alice-pw"));

        Errors handshake = Errors.forCode(exchange.handshake(new SaslHandshakeRequestData()
                .setMechanism(SaslSignIn.OAUTHBEARER), (short) 1, alice).errorCode());

        assertThat(handshake).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(alice.closing()).isTrue();
    }

    @Test
    void anOauthBearerSessionLastsAsLongAsItsTokenAtMostTheMaximum() throws Exception {
        SaslAuthenticateResponseData forToken = signIn(exchange(Duration.ZERO), connection(), SaslSignIn.OAUTHBEARER,
                token("carol", NOW.plusSeconds(600)));
        assertThat(Errors.forCode(forToken.errorCode())).isEqualTo(Errors.NONE);
        assertThat(forToken.sessionLifetimeMs()).isEqualTo(600_000);

        SaslAuthenticateResponseData capped = signIn(exchange(Duration.ofSeconds(3)), connection(),
                SaslSignIn.OAUTHBEARER, token("carol", NOW.plusSeconds(600)));
        assertThat(capped.sessionLifetimeMs()).isEqualTo(3000);
    }

    @Test
    void aForwardedSignInNeverEnds() {
        SaslExchange exchange = exchange(Duration.ofSeconds(3));
        SaslExchange.State forwarded = connection();

        SaslAuthenticateResponseData answer = signIn(exchange, forwarded, SaslExchange.FORWARDED,
                SaslExchange.forwardedCredentials("cluster-secret", new SluicePrincipal("alice")));

        assertThat(answer.sessionLifetimeMs()).isZero();
        now = now.plus(Duration.ofDays(1));
        assertThat(exchange.refusal(forwarded, ApiKeys.PRODUCE)).isNull();
    }

    @Test
    void aConnectionSignedInByItsCertificateMaySignInWithSaslWhosePrincipalWins() {
        SaslExchange exchange = exchange(Duration.ZERO);
        SaslExchange.State connection = connection();
        connection.signedInByCertificate(new SluicePrincipal("CN=service"));
        assertThat(exchange.refusal(connection, ApiKeys.PRODUCE)).isNull();

        SaslAuthenticateResponseData answer = signIn(exchange, connection, SaslSignIn.PLAIN, plain("bob", "bob-pw"));

        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
        assertThat(connection.principal()).isEqualTo(new SluicePrincipal("bob"));
        connection.signedInByCertificate(new SluicePrincipal("CN=service"));
        assertThat(connection.principal()).as("SASL's principal stays").isEqualTo(new SluicePrincipal("bob"));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
