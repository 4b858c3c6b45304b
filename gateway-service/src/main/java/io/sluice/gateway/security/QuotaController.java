package io.sluice.gateway.security;

import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaEntry;
import io.sluice.security.SecurityProperties;
import io.sluice.security.SecurityProperties.Quota;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The client quotas (docs/security.md): {@code GET /v1/quotas} (DESCRIBE_CONFIGS on the cluster), the configured
 * default and overrides with the quotas set through Kafka or this API, and {@code POST /v1/quotas/alterations}
 * (ALTER_CONFIGS on the cluster, audited), which sets and removes rates of users, client ids and their defaults as
 * Kafka's AlterClientQuotas does, all or nothing. With security off there are no quotas, and the calls say so.
 */
@RestController
class QuotaController {

    /** A configured quota's three rates: bytes per second of produce and of reads, requests per second; null is none. */
    record Rates(Long produceBytesPerSecond, Long fetchBytesPerSecond, Double requestsPerSecond) {

        static Rates of(Quota quota) {
            return new Rates(quota.produceBytesPerSecond() == null ? null : quota.produceBytesPerSecond().toBytes(),
                    quota.fetchBytesPerSecond() == null ? null : quota.fetchBytesPerSecond().toBytes(),
                    quota.requestsPerSecond());
        }
    }

    record PrincipalQuota(String principal, Rates rates) {
    }

    /**
     * @param defaults  the configured default quota
     * @param overrides each configured principal's own
     * @param unlimited the super users, who have none
     * @param set       the quotas set through Kafka or this API, which win over the configured ones key by key
     */
    record Quotas(Rates defaults, List<PrincipalQuota> overrides, List<String> unlimited, List<QuotaEntry> set) {
    }

    private final SecurityProperties security;
    private final QuotaAdmin admin;

    QuotaController(SecurityProperties security, QuotaAdmin admin) {
        this.security = security;
        this.admin = admin;
    }

    @GetMapping("/v1/quotas")
    Mono<Quotas> quotas() {
        PrincipalsController.requireSecurity(security, "there are no quotas");
        List<PrincipalQuota> overrides = security.quotas().overrides().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new PrincipalQuota(entry.getKey(), Rates.of(entry.getValue())))
                .toList();
        return admin.stored().map(stored -> new Quotas(Rates.of(security.quotas().defaults()), overrides,
                security.superUsers().stream().sorted().toList(), stored.entries()));
    }

    @PostMapping("/v1/quotas/alterations")
    Mono<Quotas> alter(@RequestBody List<QuotaAlteration> alterations) {
        PrincipalsController.requireSecurity(security, "there are no quotas");
        return admin.alter(alterations).then(quotas());
    }
}
