package io.sluice.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.quota.QuotaApi;
import io.sluice.internal.quota.QuotaSnapshot;
import java.time.Clock;
import java.time.Duration;

/**
 * A process's copy of the client quotas set through Kafka's AlterClientQuotas or the HTTP API, kept as
 * {@link CoordinatorCopy} keeps it; {@link Quotas} applies them over the configured ones. Before the first read only
 * the configured quotas apply.
 */
public final class QuotaCache extends CoordinatorCopy<QuotaSnapshot> {

    public QuotaCache(QuotaApi coordinator, Duration refreshInterval, Clock clock) {
        super("client quotas", coordinator::quotas, QuotaSnapshot::version, refreshInterval, clock);
    }

    /** Its gauges, {@code sluice_<service>_quotas_age_seconds} and {@code sluice_<service>_quotas}. */
    public QuotaCache withMetrics(MeterRegistry meters, String service) {
        registerMetrics(meters, service, "quotas", snapshot -> snapshot.entries().size());
        return this;
    }
}
