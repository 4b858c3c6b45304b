package io.sluice.coordinator.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaEntity;
import io.sluice.internal.quota.QuotaEntity.Part;
import io.sluice.internal.quota.QuotaEntry;
import io.sluice.internal.quota.QuotaSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Client quotas are stored in Redis by the active coordinator, one entry per entity: an alteration sets and removes
 * keys and keeps the others, an entity left without a rate is forgotten, and a batch with one bad alteration stores
 * nothing of it.
 */
class QuotaStoreTest extends CoordinatorTestSupport {

    private static final QuotaEntity CAROL = new QuotaEntity(Part.of("quota-carol"), null);
    private static final QuotaEntity CAROL_ANY_CLIENT = new QuotaEntity(Part.of("quota-carol"), Part.DEFAULT);

    @Test
    void ratesShouldBeSetKeyByKeyAndAnEntityWithoutRatesForgotten() {
        api();
        long before = snapshot().version();
        alter(List.of(new QuotaAlteration(CAROL, Map.of("producer_byte_rate", 1000.0, "request_rate", 5.0), null),
                new QuotaAlteration(CAROL_ANY_CLIENT, Map.of("consumer_byte_rate", 2000.0), null)), 200);
        alter(List.of(new QuotaAlteration(CAROL, Map.of("producer_byte_rate", 3000.0), List.of("request_rate"))), 200);

        QuotaSnapshot stored = snapshot();
        assertThat(stored.version()).isEqualTo(before + 2);
        assertThat(entry(stored, CAROL)).isEqualTo(Map.of("producer_byte_rate", 3000.0));
        assertThat(entry(stored, CAROL_ANY_CLIENT)).isEqualTo(Map.of("consumer_byte_rate", 2000.0));
        assertThat(TestRedis.shared().commands().hlen("sluice:quotas")).isGreaterThanOrEqualTo(2);

        alter(List.of(new QuotaAlteration(CAROL_ANY_CLIENT, null, List.of("consumer_byte_rate"))), 200);
        assertThat(snapshot().entries()).extracting(QuotaEntry::entity).contains(CAROL)
                .doesNotContain(CAROL_ANY_CLIENT);
    }

    @Test
    void aBatchWithABadAlterationShouldStoreNothingOfIt() {
        api();
        QuotaSnapshot before = snapshot();
        QuotaAlteration good = new QuotaAlteration(new QuotaEntity(Part.of("quota-dave"), null),
                Map.of("producer_byte_rate", 1000.0), null);

        alter(List.of(good, new QuotaAlteration(CAROL, Map.of("producer_byte_rate", -1.0), null)), 400);
        alter(List.of(good, new QuotaAlteration(CAROL, Map.of("request_percentage", 50.0), null)), 400);
        alter(List.of(good, new QuotaAlteration(new QuotaEntity(null, null), Map.of("request_rate", 1.0), null)), 400);

        assertThat(snapshot()).isEqualTo(before);
    }

    private static Map<String, Double> entry(QuotaSnapshot snapshot, QuotaEntity entity) {
        return snapshot.entries().stream().filter(e -> e.entity().equals(entity)).findFirst()
                .map(QuotaEntry::rates).orElseThrow();
    }

    private void alter(List<QuotaAlteration> alterations, int status) {
        web.post().uri("/internal/quotas/alter").contentType(MediaType.APPLICATION_JSON).bodyValue(alterations)
                .exchange().expectStatus().isEqualTo(status);
    }

    private QuotaSnapshot snapshot() {
        return web.get().uri("/internal/quotas").exchange().expectStatus().isOk()
                .expectBody(QuotaSnapshot.class).returnResult().getResponseBody();
    }
}
