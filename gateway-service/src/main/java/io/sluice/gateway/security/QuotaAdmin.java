package io.sluice.gateway.security;

import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaApi;
import io.sluice.internal.quota.QuotaSnapshot;
import io.sluice.security.QuotaCache;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Client-quota administration (Kafka's DescribeClientQuotas and AlterClientQuotas, and the HTTP API's
 * {@code /v1/quotas}): the coordinator stores the quotas, this gateway applies a change at once (when security is
 * on), the other gateways and the partition services within their refresh interval.
 */
@Service
public class QuotaAdmin {

    private final QuotaApi coordinator;
    private final QuotaCache cache;
    private final Authorizer authorizer;

    QuotaAdmin(QuotaApi coordinator, QuotaCache cache, Authorizer authorizer) {
        this.coordinator = coordinator;
        this.cache = cache;
        this.authorizer = authorizer;
    }

    /** Every quota set through Kafka or HTTP, as the coordinator has it now. */
    public Mono<QuotaSnapshot> stored() {
        return coordinator.quotas();
    }

    /** Applies {@code alterations} all or nothing, each validated first (INVALID_REQUEST); answers the set after. */
    public Mono<QuotaSnapshot> alter(List<QuotaAlteration> alterations) {
        return Mono.defer(() -> {
            alterations.forEach(QuotaAlteration::validated);
            return coordinator.alterQuotas(alterations);
        }).flatMap(after -> (authorizer.enabled() ? cache.refresh().then() : Mono.<Void>empty()).thenReturn(after));
    }
}
