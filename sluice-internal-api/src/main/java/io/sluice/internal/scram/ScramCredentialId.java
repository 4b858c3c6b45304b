package io.sluice.internal.scram;

/** Which credential: a user's for one mechanism. */
public record ScramCredentialId(String user, ScramMechanism mechanism) {

    /** A stable identity for storage: {@code SCRAM-SHA-256|alice}. */
    public String key() {
        return mechanism.mechanismName() + "|" + user;
    }
}
