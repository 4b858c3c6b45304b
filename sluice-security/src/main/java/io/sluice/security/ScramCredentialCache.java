package io.sluice.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.scram.ScramApi;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A process's copy of the cluster's SCRAM credentials (a gateway's, a partition service's), kept as
 * {@link CoordinatorCopy} keeps it: a newer version replaces an older one, never the reverse, and while the coordinator
 * does not answer the last credentials read stay in force. Before the first read no SCRAM user can sign in.
 */
public final class ScramCredentialCache extends CoordinatorCopy<ScramSnapshot> {

    public ScramCredentialCache(ScramApi coordinator, Duration refreshInterval, Clock clock) {
        super("SCRAM credentials", coordinator::scramCredentials, ScramSnapshot::version, refreshInterval, clock);
    }

    /**
     * Its gauges, {@code sluice_<service>_scram_credentials_age_seconds} and {@code sluice_<service>_scram_credentials}.
     */
    public ScramCredentialCache withMetrics(MeterRegistry meters, String service) {
        registerMetrics(meters, service, "scram.credentials", snapshot -> snapshot.credentials().size());
        return this;
    }

    /** {@code user}'s credential for {@code mechanism} in the copy in force. */
    public Optional<ScramCredential> find(String user, ScramMechanism mechanism) {
        ScramSnapshot snapshot = current();
        return snapshot == null ? Optional.empty() : snapshot.find(user, mechanism);
    }
}
