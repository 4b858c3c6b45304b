package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.StringLength;

/**
 * For any user name (commas and equals signs included, escaped as SCRAM escapes them) and password: a client that
 * knows the password signs in with the credential made from it, and one with any other password does not.
 */
class ScramProperties {

    @Property(tries = 40)
    void exactlyTheRightPasswordSignsIn(@ForAll @NotEmpty @StringLength(max = 20) String user,
                                        @ForAll @NotEmpty @StringLength(max = 30) String password,
                                        @ForAll @AlphaChars @NotEmpty @StringLength(max = 30) String other,
                                        @ForAll ScramMechanism mechanism) {
        Assume.that(!other.equals(password));
        ScramCredential credential = Scram.newCredential(user, mechanism, password, 4096, new SecureRandom());

        assertThat(signIn(mechanism, credential, user, password)).isTrue();
        assertThat(signIn(mechanism, credential, user, other)).isFalse();
    }

    private static boolean signIn(ScramMechanism mechanism, ScramCredential credential, String user, String password) {
        ScramServer server = new ScramServer(mechanism, (name, m) -> Optional.of(credential)
                .filter(c -> c.user().equals(name)), "key".getBytes(StandardCharsets.UTF_8), new SecureRandom());
        String bare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=nonce";
        String serverFirst = new String(server.first(("n,," + bare).getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        String nonce = serverFirst.substring(2, serverFirst.indexOf(','));
        String withoutProof = "c=biws,r=" + nonce;
        byte[] salted = Scram.saltedPassword(mechanism, password.getBytes(StandardCharsets.UTF_8), credential.salt(),
                credential.iterations());
        byte[] clientKey = Scram.clientKey(mechanism, salted);
        byte[] signature = Scram.hmac(mechanism, Scram.storedKey(mechanism, clientKey),
                (bare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return server.last((withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.UTF_8)).isPresent();
    }
}
