package io.sluice.internal.scram;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user's SCRAM credential for one mechanism, as Kafka stores it (RFC 5802): the salt and iteration count the client
 * is told, StoredKey = H(HMAC(SaltedPassword, "Client Key")) to check its proof, and ServerKey =
 * HMAC(SaltedPassword, "Server Key") to prove the server's knowledge back. The password is never stored, nor the
 * salted password. The coordinator's stored form and the internal contract; never on the public API (the bytes travel
 * as base64 in JSON). {@link #toString} leaves the keys and the salt out.
 *
 * @param user       the user's name, principal {@code User:<user>}
 * @param mechanism  the mechanism these keys are for
 * @param iterations how many iterations salted the password
 */
public record ScramCredential(String user, ScramMechanism mechanism, int iterations, byte[] salt, byte[] storedKey,
                              byte[] serverKey) {

    public ScramCredential {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(mechanism, "mechanism");
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    public ScramCredentialId id() {
        return new ScramCredentialId(user, mechanism);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredential other && user.equals(other.user) && mechanism == other.mechanism
                && iterations == other.iterations && Arrays.equals(salt, other.salt)
                && Arrays.equals(storedKey, other.storedKey) && Arrays.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey),
                Arrays.hashCode(serverKey));
    }

    @Override
    public String toString() {
        return "ScramCredential[user=" + user + ", mechanism=" + mechanism.mechanismName() + ", iterations="
                + iterations + "]";
    }
}
