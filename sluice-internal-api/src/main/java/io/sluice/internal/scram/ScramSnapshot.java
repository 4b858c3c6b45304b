package io.sluice.internal.scram;

import java.util.List;
import java.util.Optional;

/** Every SCRAM credential of the cluster at {@code version}, which the coordinator bumps on every change. */
public record ScramSnapshot(long version, List<ScramCredential> credentials) {

    public ScramSnapshot {
        credentials = List.copyOf(credentials);
    }

    /** The credential of {@code user} for {@code mechanism}, if there is one. */
    public Optional<ScramCredential> find(String user, ScramMechanism mechanism) {
        return credentials.stream().filter(c -> c.mechanism() == mechanism && c.user().equals(user)).findFirst();
    }
}
