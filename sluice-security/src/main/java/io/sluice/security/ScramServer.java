package io.sluice.security;

import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramMechanism;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The server's side of one SCRAM exchange (RFC 5802, RFC 7677) on one connection, in two rounds:
 * <pre>
 *   client-first   n,,n=alice,r=CNONCE[,ext]                 gs2 header "n" or "y" (no channel binding), no authzid
 *                                                            but the user's own; "=2C" and "=3D" escape ',' and '='
 *   server-first   r=CNONCE+SNONCE,s=base64(salt),i=4096
 *   client-final   c=biws,r=CNONCE+SNONCE[,ext],p=base64(ClientProof)
 *   server-final   v=base64(ServerSignature)
 * </pre>
 * The server checks that the client's final message echoes its gs2 header and ends its nonce with the combined one
 * (librdkafka repeats its own part first, which Kafka's brokers take), recovers ClientKey
 * from the proof and compares H(ClientKey) with StoredKey in constant time ({@link Scram} has the formulas). A user
 * without a credential of the mechanism gets a made-up one — a salt derived from the user's name and a key only this
 * exchange knows, so the same name gets the same salt each time, and Kafka's default iterations — and goes through the
 * same steps to the same failure: neither the answers nor the work tell it apart from a wrong password.
 *
 * <p>A malformed message is an {@link IllegalArgumentException}. Not thread-safe: a connection's rounds come one at a
 * time.
 */
public final class ScramServer {

    /** The iterations a made-up credential names: Kafka's tools' default. */
    static final int UNKNOWN_USER_ITERATIONS = ScramMechanism.MIN_ITERATIONS;

    private final ScramMechanism mechanism;
    private final BiFunction<String, ScramMechanism, Optional<ScramCredential>> credentials;
    private final byte[] unknownUserKey;
    private final SecureRandom random;
    private final Supplier<String> serverNonces;
    private String user;
    private ScramCredential credential;
    private boolean known;
    private String clientFirstBare;
    private String serverFirst;
    private String gs2Header;
    private String nonce;

    /**
     * @param credentials    a user's credential of a mechanism, if it has one
     * @param unknownUserKey the key made-up salts are derived with: the same at every listener of a cluster, so that a
     *                       made-up salt is the same at each
     */
    ScramServer(ScramMechanism mechanism, BiFunction<String, ScramMechanism, Optional<ScramCredential>> credentials,
                byte[] unknownUserKey, SecureRandom random) {
        this(mechanism, credentials, unknownUserKey, random, () -> {
            byte[] serverNonce = new byte[24];
            random.nextBytes(serverNonce);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(serverNonce);
        });
    }

    /** {@code serverNonces}: the server's part of each exchange's nonce (tests give RFC examples' nonces). */
    ScramServer(ScramMechanism mechanism, BiFunction<String, ScramMechanism, Optional<ScramCredential>> credentials,
                byte[] unknownUserKey, SecureRandom random, Supplier<String> serverNonces) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.unknownUserKey = unknownUserKey;
        this.random = random;
        this.serverNonces = serverNonces;
    }

    /** The user the client-first message named; null before it. */
    public String user() {
        return user;
    }

    /** Answers the client-first message with the server-first message. */
    public byte[] first(byte[] message) {
        if (user != null) {
            throw new IllegalArgumentException("The exchange is past its first message");
        }
        String text = new String(message, StandardCharsets.UTF_8);
        String[] header = text.split(",", 3);
        if (header.length < 3 || !(header[0].equals("n") || header[0].equals("y"))) {
            throw new IllegalArgumentException("A SCRAM client-first message starts with 'n,,' or 'y,,' (channel "
                    + "binding is not supported)");
        }
        gs2Header = header[0] + "," + header[1] + ",";
        clientFirstBare = header[2];
        String[] parts = clientFirstBare.split(",", -1);
        if (parts.length < 2 || !parts[0].startsWith("n=") || !parts[1].startsWith("r=")) {
            throw new IllegalArgumentException("A SCRAM client-first message names the user and a nonce");
        }
        for (int i = 2; i < parts.length; i++) {
            if (parts[i].startsWith("m=")) {
                throw new IllegalArgumentException("Mandatory SCRAM extensions are not supported");
            }
        }
        String name = saslName(parts[0].substring(2));
        String authorizationId = header[1];
        if (!authorizationId.isEmpty() && !(authorizationId.startsWith("a=")
                && saslName(authorizationId.substring(2)).equals(name))) {
            throw new IllegalArgumentException("A user may only act as itself");
        }
        String clientNonce = parts[1].substring(2);
        if (clientNonce.isEmpty() || !printable(clientNonce)) {
            throw new IllegalArgumentException("A SCRAM nonce is printable ASCII without ','");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("A SCRAM client-first message names a user");
        }
        user = name;
        Optional<ScramCredential> stored = credentials.apply(name, mechanism);
        known = stored.isPresent();
        credential = stored.orElseGet(this::madeUp);
        nonce = clientNonce + serverNonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i="
                + credential.iterations();
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Checks the client-final message: the server-final message when the client proved it knows the password, empty
     * when it did not (a wrong password, an unknown user, another nonce or gs2 header).
     */
    public Optional<byte[]> last(byte[] message) {
        if (serverFirst == null) {
            throw new IllegalArgumentException("The exchange has not had its first message");
        }
        String text = new String(message, StandardCharsets.UTF_8);
        int proofAt = text.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new IllegalArgumentException("A SCRAM client-final message ends with the proof");
        }
        String withoutProof = text.substring(0, proofAt);
        String[] parts = withoutProof.split(",", -1);
        if (parts.length < 2 || !parts[0].startsWith("c=") || !parts[1].startsWith("r=")) {
            throw new IllegalArgumentException("A SCRAM client-final message carries the channel binding and nonce");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("A SCRAM proof is base64");
        }
        boolean bindingMatches = MessageDigest.isEqual(parts[0].substring(2).getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(gs2Header.getBytes(StandardCharsets.UTF_8)));
        // librdkafka sends its own nonce once more before the whole one (r=CNONCE+CNONCE+SNONCE); Kafka's brokers take
        // any nonce that ends with the whole one, and so does this. The server's part is in it: no replay passes.
        boolean nonceMatches = parts[1].substring(2).endsWith(nonce);
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] storedKey = credential.storedKey();
        byte[] clientSignature = Scram.hmac(mechanism, storedKey, authMessage);
        byte[] clientKey = new byte[clientSignature.length];
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] = (byte) ((i < proof.length ? proof[i] : 0) ^ clientSignature[i]);
        }
        boolean proven = proof.length == clientSignature.length
                & MessageDigest.isEqual(Scram.storedKey(mechanism, clientKey), storedKey);
        byte[] serverSignature = Scram.hmac(mechanism, credential.serverKey(), authMessage);
        if (!(known & proven & bindingMatches & nonceMatches)) {
            return Optional.empty();
        }
        return Optional.of(("v=" + Base64.getEncoder().encodeToString(serverSignature))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A credential for a user without one: stable per name, never matching a proof. */
    private ScramCredential madeUp() {
        byte[] seed = Scram.hmac(ScramMechanism.SCRAM_SHA_256, unknownUserKey,
                (mechanism.mechanismName() + "|" + user).getBytes(StandardCharsets.UTF_8));
        byte[] keys = new byte[mechanism.keyLength()];
        random.nextBytes(keys);
        return new ScramCredential(user, mechanism, UNKNOWN_USER_ITERATIONS, Scram.saltOf(Arrays.copyOf(seed, 17)),
                keys, keys);
    }

    /** A user name as SCRAM writes it: '=2C' is ',' and '=3D' is '='; any other '=' is malformed. */
    static String saslName(String escaped) {
        String name = escaped.replace("=2C", ",").replace("=3D", "=");
        if (escaped.replace("=2C", "").replace("=3D", "").contains("=")) {
            throw new IllegalArgumentException("A SCRAM user name escapes '=' and ','");
        }
        return name;
    }

    private static boolean printable(String nonce) {
        return nonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7e && c != ',');
    }
}
