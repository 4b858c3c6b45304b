package io.sluice.internal.quota;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The client quotas the coordinator stores (set through Kafka's AlterClientQuotas or the HTTP API), as gateways and
 * partition services see them: they read the whole set (it is small) to apply it. Failures are
 * {@link io.sluice.protocol.SluiceException}s with the coordinator's error code.
 */
public interface QuotaApi {

    Mono<QuotaSnapshot> quotas();

    /** Applies every alteration, all or nothing (each validated first); answers the set after them. */
    Mono<QuotaSnapshot> alterQuotas(List<QuotaAlteration> alterations);
}
