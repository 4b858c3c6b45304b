package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server's side of SCRAM: RFC 7677's SHA-256 example exchange answered byte for byte, a client that knows the
 * password signed in with either hash, and a wrong password, an unknown user, a replayed or altered nonce and a
 * channel-binding header refused alike.
 */
class ScramServerTest {

    private static final byte[] KEY = "unknown-user-key".getBytes(StandardCharsets.UTF_8);

    /** RFC 7677 §3: user "user", password "pencil"; the server's answers to the example's messages, byte for byte. */
    @Test
    void theRfc7677ExampleIsAnsweredByteForByte() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        ScramCredential user = Scram.credential("user", ScramMechanism.SCRAM_SHA_256, 4096, salt,
                Scram.saltedPassword(ScramMechanism.SCRAM_SHA_256, "pencil".getBytes(StandardCharsets.UTF_8), salt,
                        4096));
        ScramServer server = new ScramServer(ScramMechanism.SCRAM_SHA_256, (name, mechanism) -> Optional.of(user),
                KEY, new SecureRandom(), () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        assertThat(text(server.first(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")))).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertThat(server.last(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")).map(ScramServerTest::text))
                .contains("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** RFC 7677's own messages: its client's proof and the server's signature, for its nonces. */
    @Test
    void theFormulasGiveRfc7677sProofAndSignature() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        assertThat(proof(ScramMechanism.SCRAM_SHA_256, "pencil", salt, 4096, authMessage))
                .isEqualTo("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        byte[] salted = Scram.saltedPassword(ScramMechanism.SCRAM_SHA_256, "pencil".getBytes(StandardCharsets.UTF_8),
                salt, 4096);
        assertThat(Base64.getEncoder().encodeToString(Scram.hmac(ScramMechanism.SCRAM_SHA_256,
                Scram.serverKey(ScramMechanism.SCRAM_SHA_256, salted), authMessage.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void aClientThatKnowsThePasswordSignsInAndAWrongOneDoesNot(ScramMechanism mechanism) {
        ScramCredential alice = Scram.newCredential("alice", mechanism, "her password", 4096, new SecureRandom());
        Map<String, ScramCredential> users = Map.of("alice", alice);

        assertThat(signIn(mechanism, users, "alice", "her password")).isTrue();
        assertThat(signIn(mechanism, users, "alice", "not her password")).isFalse();
        assertThat(signIn(mechanism, users, "mallory", "her password")).as("an unknown user").isFalse();
        assertThat(Scram.matches(alice, "her password")).isTrue();
        assertThat(Scram.matches(alice, "her passwort")).isFalse();
    }

    /** An unknown user gets the answer a known one gets: a salt of the same form, the same each time, 4096 iterations. */
    @Test
    void anUnknownUserIsAnsweredLikeAKnownOne() {
        ScramServer first = server(ScramMechanism.SCRAM_SHA_512, Map.of());
        ScramServer again = server(ScramMechanism.SCRAM_SHA_512, Map.of());
        String answer = new String(first.first("n,,n=mallory,r=abc".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        String second = new String(again.first("n,,n=mallory,r=xyz".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);

        assertThat(answer).matches("r=abc[A-Za-z0-9_-]{32},s=[A-Za-z0-9+/=]+,i=4096");
        assertThat(salt(answer)).isEqualTo(salt(second));
        assertThat(new String(Base64.getDecoder().decode(salt(answer)), StandardCharsets.US_ASCII))
                .as("a salt as Kafka's admin client makes them").matches("[0-9a-z]{20,26}");
    }

    @Test
    void anAlteredNonceOrChannelBindingOrAReplayedFinalMessageIsRefused() {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_256;
        ScramCredential alice = Scram.newCredential("alice", mechanism, "pw", 4096, new SecureRandom());
        Map<String, ScramCredential> users = Map.of("alice", alice);

        ScramServer server = server(mechanism, users);
        String serverFirst = new String(server.first("n,,n=alice,r=client".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        String altered = "c=biws,r=" + nonce + "x";
        assertThat(server.last(finalMessage(mechanism, "pw", alice, "n=alice,r=client", serverFirst, altered)))
                .isEmpty();
        String otherBinding = "c=eSwsCg==,r=" + nonce;
        assertThat(server.last(finalMessage(mechanism, "pw", alice, "n=alice,r=client", serverFirst, otherBinding)))
                .isEmpty();

        // A final message recorded from one exchange does not sign in another: its nonce is not the new one.
        ScramServer recorded = server(mechanism, users);
        String recordedFirst = new String(recorded.first("n,,n=alice,r=client".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        String recordedNonce = recordedFirst.substring(2, recordedFirst.indexOf(','));
        byte[] replay = finalMessage(mechanism, "pw", alice, "n=alice,r=client", recordedFirst,
                "c=biws,r=" + recordedNonce);
        assertThat(recorded.last(replay)).isPresent();
        ScramServer fresh = server(mechanism, users);
        fresh.first("n,,n=alice,r=client".getBytes(StandardCharsets.UTF_8));
        assertThat(fresh.last(replay)).isEmpty();
    }

    /** librdkafka's final message repeats the client's nonce before the whole one; Kafka's brokers take it. */
    @Test
    void aFinalNonceThatEndsWithTheWholeNonceAsLibrdkafkaSendsItIsTaken() {
        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_512;
        ScramCredential alice = Scram.newCredential("alice", mechanism, "pw", 4096, new SecureRandom());
        ScramServer server = server(mechanism, Map.of("alice", alice));
        String serverFirst = text(server.first(bytes("n,,n=alice,r=client")));
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));

        assertThat(server.last(finalMessage(mechanism, "pw", alice, "n=alice,r=client", serverFirst,
                "c=biws,r=client" + nonce))).isPresent();
    }

    @Test
    void malformedOrUnsupportedFirstMessagesAreRefused() {
        for (String message : new String[] {"p=tls-unique,,n=alice,r=abc", "n,,r=abc", "n,,n=alice", "n,,n=alice,r=",
                "n,a=bob,n=alice,r=abc", "n,,n=al=ice,r=abc", "n,,n=alice,r=abc,m=mandatory"}) {
            ScramServer server = server(ScramMechanism.SCRAM_SHA_256, Map.of());
            assertThatThrownBy(() -> server.first(message.getBytes(StandardCharsets.UTF_8))).as(message)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ScramServer.saslName("a=2Cb=3Dc")).isEqualTo("a,b=c");
    }

    private static boolean signIn(ScramMechanism mechanism, Map<String, ScramCredential> users, String user,
                                  String password) {
        ScramServer server = server(mechanism, users);
        String clientFirstBare = "n=" + user + ",r=client-nonce";
        String serverFirst = new String(server.first(("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        byte[] salt = Base64.getDecoder().decode(salt(serverFirst));
        int iterations = Integer.parseInt(serverFirst.substring(serverFirst.indexOf(",i=") + 3));
        String withoutProof = "c=biws,r=" + nonce;
        String proof = proof(mechanism, password, salt, iterations, clientFirstBare + "," + serverFirst + ","
                + withoutProof);
        return server.last((withoutProof + ",p=" + proof).getBytes(StandardCharsets.UTF_8)).isPresent();
    }

    private static byte[] finalMessage(ScramMechanism mechanism, String password, ScramCredential credential,
                                       String clientFirstBare, String serverFirst, String withoutProof) {
        String proof = proof(mechanism, password, credential.salt(), credential.iterations(),
                clientFirstBare + "," + serverFirst + "," + withoutProof);
        return (withoutProof + ",p=" + proof).getBytes(StandardCharsets.UTF_8);
    }

    /** The client's proof, as RFC 5802's client computes it. */
    private static String proof(ScramMechanism mechanism, String password, byte[] salt, int iterations,
                                String authMessage) {
        byte[] salted = Scram.saltedPassword(mechanism, password.getBytes(StandardCharsets.UTF_8), salt, iterations);
        byte[] clientKey = Scram.clientKey(mechanism, salted);
        byte[] signature = Scram.hmac(mechanism, Scram.storedKey(mechanism, clientKey),
                authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return Base64.getEncoder().encodeToString(proof);
    }

    private static String salt(String serverFirst) {
        return serverFirst.substring(serverFirst.indexOf(",s=") + 3, serverFirst.indexOf(",i="));
    }

    private static ScramServer server(ScramMechanism mechanism, Map<String, ScramCredential> users) {
        return new ScramServer(mechanism, (name, m) -> Optional.ofNullable(users.get(name)).filter(
                c -> c.mechanism() == m), KEY, new SecureRandom());
    }

}
