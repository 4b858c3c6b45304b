package io.sluice.internal.scram;

import java.util.Optional;

/**
 * The SCRAM mechanisms (RFC 5802, RFC 7677) Sluice signs Kafka clients in with, under Kafka's names and with Kafka's
 * numbers for them in DescribeUserScramCredentials and AlterUserScramCredentials ({@link #kafkaType}). A credential is
 * salted with between {@link #MIN_ITERATIONS} and {@link #MAX_ITERATIONS} iterations, Kafka's bounds.
 */
public enum ScramMechanism {

    SCRAM_SHA_256("SCRAM-SHA-256", (byte) 1, "SHA-256", "HmacSHA256", 32),
    SCRAM_SHA_512("SCRAM-SHA-512", (byte) 2, "SHA-512", "HmacSHA512", 64);

    /** Kafka's lower bound of a credential's iterations (RFC 7677 asks for at least 4096). */
    public static final int MIN_ITERATIONS = 4096;
    /** Kafka's upper bound of a credential's iterations. */
    public static final int MAX_ITERATIONS = 16384;

    private final String mechanismName;
    private final byte kafkaType;
    private final String hashAlgorithm;
    private final String macAlgorithm;
    private final int keyLength;

    ScramMechanism(String mechanismName, byte kafkaType, String hashAlgorithm, String macAlgorithm, int keyLength) {
        this.mechanismName = mechanismName;
        this.kafkaType = kafkaType;
        this.hashAlgorithm = hashAlgorithm;
        this.macAlgorithm = macAlgorithm;
        this.keyLength = keyLength;
    }

    /** The bytes of the hash's output: of StoredKey, ServerKey and the salted password. */
    public int keyLength() {
        return keyLength;
    }

    /** The SASL name, {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** Kafka's number of the mechanism in its SCRAM admin APIs (0 is Kafka's UNKNOWN). */
    public byte kafkaType() {
        return kafkaType;
    }

    /** The JCA name of the mechanism's hash, {@code SHA-256}. */
    public String hashAlgorithm() {
        return hashAlgorithm;
    }

    /** The JCA name of the mechanism's HMAC, {@code HmacSHA256}. */
    public String macAlgorithm() {
        return macAlgorithm;
    }

    public static Optional<ScramMechanism> ofName(String name) {
        for (ScramMechanism mechanism : values()) {
            if (mechanism.mechanismName.equals(name)) {
                return Optional.of(mechanism);
            }
        }
        return Optional.empty();
    }

    public static Optional<ScramMechanism> ofKafkaType(byte type) {
        for (ScramMechanism mechanism : values()) {
            if (mechanism.kafkaType == type) {
                return Optional.of(mechanism);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code iterations} is within Kafka's bounds. */
    public static boolean acceptable(int iterations) {
        return iterations >= MIN_ITERATIONS && iterations <= MAX_ITERATIONS;
    }
}
