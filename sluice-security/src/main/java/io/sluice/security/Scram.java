package io.sluice.security;

import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.protocol.ErrorCode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SCRAM's formulas (RFC 5802 §3), for both of its hashes ({@link ScramMechanism}):
 * <pre>
 *   SaltedPassword  = Hi(password, salt, iterations)          PBKDF2 with HMAC as its PRF, one block
 *   ClientKey       = HMAC(SaltedPassword, "Client Key")
 *   StoredKey       = H(ClientKey)                            stored
 *   ServerKey       = HMAC(SaltedPassword, "Server Key")      stored
 *   ClientSignature = HMAC(StoredKey, AuthMessage)
 *   ClientProof     = ClientKey XOR ClientSignature           the client sends it; the server recovers ClientKey
 *   ServerSignature = HMAC(ServerKey, AuthMessage)            the server proves it knows ServerKey
 * </pre>
 * A password is its UTF-8 bytes, as Kafka's clients hash it (no SASLprep). Salts are made as Kafka's admin client
 * makes them ({@link #newSalt}), so that a made-up salt looks like a real one. Stateless and thread-safe.
 */
public final class Scram {

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    private Scram() {
    }

    /** Hi(password, salt, iterations): PBKDF2's first block with the mechanism's HMAC. */
    public static byte[] saltedPassword(ScramMechanism mechanism, byte[] password, byte[] salt, int iterations) {
        Mac mac = mac(mechanism, password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    public static byte[] clientKey(ScramMechanism mechanism, byte[] saltedPassword) {
        return hmac(mechanism, saltedPassword, CLIENT_KEY);
    }

    public static byte[] storedKey(ScramMechanism mechanism, byte[] clientKey) {
        try {
            return MessageDigest.getInstance(mechanism.hashAlgorithm()).digest(clientKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mechanism.hashAlgorithm() + " is part of every JDK", e);
        }
    }

    public static byte[] serverKey(ScramMechanism mechanism, byte[] saltedPassword) {
        return hmac(mechanism, saltedPassword, SERVER_KEY);
    }

    public static byte[] hmac(ScramMechanism mechanism, byte[] key, byte[] message) {
        return mac(mechanism, key).doFinal(message);
    }

    /** The credential Kafka's AlterUserScramCredentials stores for a salted password the client computed. */
    public static ScramCredential credential(String user, ScramMechanism mechanism, int iterations, byte[] salt,
                                             byte[] saltedPassword) {
        return new ScramCredential(user, mechanism, iterations, salt,
                storedKey(mechanism, clientKey(mechanism, saltedPassword)), serverKey(mechanism, saltedPassword));
    }

    /**
     * A new credential for {@code password}, with a fresh salt: what the public API stores. UNACCEPTABLE_CREDENTIAL
     * for an empty user name or password or iterations outside Kafka's bounds.
     */
    public static ScramCredential newCredential(String user, ScramMechanism mechanism, String password,
                                                int iterations, SecureRandom random) {
        if (user == null || user.isEmpty()) {
            throw ErrorCode.UNACCEPTABLE_CREDENTIAL.exception("A user name must not be empty");
        }
        if (password == null || password.isEmpty()) {
            throw ErrorCode.UNACCEPTABLE_CREDENTIAL.exception("A password must not be empty");
        }
        if (!ScramMechanism.acceptable(iterations)) {
            throw ErrorCode.UNACCEPTABLE_CREDENTIAL.exception("Iterations must be within "
                    + ScramMechanism.MIN_ITERATIONS + ".." + ScramMechanism.MAX_ITERATIONS + ", were " + iterations);
        }
        byte[] salt = newSalt(random);
        return credential(user, mechanism, iterations, salt,
                saltedPassword(mechanism, password.getBytes(StandardCharsets.UTF_8), salt, iterations));
    }

    /** Whether {@code password} is the one {@code credential} was made from. Costs the credential's iterations. */
    public static boolean matches(ScramCredential credential, String password) {
        if (password.isEmpty()) {
            return false;
        }
        ScramMechanism mechanism = credential.mechanism();
        byte[] salted = saltedPassword(mechanism, password.getBytes(StandardCharsets.UTF_8), credential.salt(),
                credential.iterations());
        return MessageDigest.isEqual(storedKey(mechanism, clientKey(mechanism, salted)), credential.storedKey());
    }

    /** A salt as Kafka's admin client makes one: a 130-bit random number in base 36, as ASCII. */
    public static byte[] newSalt(SecureRandom random) {
        return saltOf(new BigInteger(130, random));
    }

    /** The salt that the 130 low bits of {@code seed} give, in the form of {@link #newSalt}. */
    static byte[] saltOf(byte[] seed) {
        return saltOf(new BigInteger(1, seed).mod(BigInteger.TWO.pow(130)));
    }

    private static byte[] saltOf(BigInteger number) {
        return number.toString(Character.MAX_RADIX).getBytes(StandardCharsets.US_ASCII);
    }

    private static Mac mac(ScramMechanism mechanism, byte[] key) {
        try {
            Mac mac = Mac.getInstance(mechanism.macAlgorithm());
            mac.init(new SecretKeySpec(key, mechanism.macAlgorithm()));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(mechanism.macAlgorithm() + " cannot take the key", e);
        }
    }
}
