package io.sluice.internal.scram;

import io.sluice.protocol.ErrorCode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Credentials to put (each replacing the user's credential of its mechanism) and to delete, applied together or not
 * at all. The caller has checked them against Kafka's rules; the coordinator refuses a change that still breaks them
 * (iterations out of bounds, an empty user, a credential named twice) whole.
 */
public record ScramChange(List<ScramCredential> upsertions, List<ScramCredentialId> deletions) {

    public ScramChange {
        upsertions = upsertions == null ? List.of() : List.copyOf(upsertions);
        deletions = deletions == null ? List.of() : List.copyOf(deletions);
    }

    /**
     * Refuses, as UNACCEPTABLE_CREDENTIAL, a change with an empty user name, iterations outside Kafka's bounds or keys
     * of the wrong length; as INVALID_REQUEST one that names a credential twice.
     */
    public ScramChange validated() {
        Set<ScramCredentialId> named = new HashSet<>();
        for (ScramCredential credential : upsertions) {
            if (credential.user().isEmpty()) {
                throw ErrorCode.UNACCEPTABLE_CREDENTIAL.exception("A user name must not be empty");
            }
            if (!ScramMechanism.acceptable(credential.iterations())) {
                throw ErrorCode.UNACCEPTABLE_CREDENTIAL.exception("Iterations must be within "
                        + ScramMechanism.MIN_ITERATIONS + ".." + ScramMechanism.MAX_ITERATIONS + ", were "
                        + credential.iterations());
            }
            int keyLength = credential.mechanism().keyLength();
            if (credential.salt().length == 0 || credential.storedKey().length != keyLength
                    || credential.serverKey().length != keyLength) {
                throw ErrorCode.UNACCEPTABLE_CREDENTIAL.exception("A credential needs a salt and keys of "
                        + keyLength + " bytes for " + credential.mechanism().mechanismName());
            }
            if (!named.add(credential.id())) {
                throw ErrorCode.INVALID_REQUEST.exception("A credential is named twice: " + credential);
            }
        }
        for (ScramCredentialId id : deletions) {
            if (id.user() == null || id.user().isEmpty() || id.mechanism() == null) {
                throw ErrorCode.UNACCEPTABLE_CREDENTIAL.exception("A deletion names a user and a mechanism");
            }
            if (!named.add(id)) {
                throw ErrorCode.INVALID_REQUEST.exception("A credential is named twice: " + id);
            }
        }
        return this;
    }
}
