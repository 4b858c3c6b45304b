package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaApi;
import io.sluice.internal.quota.QuotaEntity;
import io.sluice.internal.quota.QuotaEntity.Part;
import io.sluice.internal.quota.QuotaEntry;
import io.sluice.internal.quota.QuotaSnapshot;
import io.sluice.security.Quotas.Kind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/**
 * Which client quota applies to a request, and whose bucket it draws from: Kafka's order of entities, each kind on its
 * own, stored quotas over configured ones key by key. A rate is observed as Kafka's client sees it: a bucket starts
 * with one second's worth, so after charging twice the rate the throttle is exactly one second at that rate.
 */
class QuotasTest {

    private static final SluicePrincipal BOB = new SluicePrincipal("bob");
    private static final SluicePrincipal CAROL = new SluicePrincipal("carol");
    private static final SluicePrincipal ADMIN = new SluicePrincipal("admin");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Stored stored = new Stored();

    @Test
    void theMostSpecificEntityWithARateOfTheKindAppliesInKafkasOrder() {
        SecurityProperties.Quota configuredDefault = new SecurityProperties.Quota(DataSize.ofBytes(100), null, null);
        stored.set(entry(user("bob"), client("app"), 400),
                entry(user("bob"), Part.DEFAULT, 300),
                entry(user("bob"), null, 200),
                entry(Part.DEFAULT, client("app"), 500),
                entry(Part.DEFAULT, Part.DEFAULT, 600),
                entry(null, client("app"), 700),
                entry(null, Part.DEFAULT, 800));
        assertRate(configuredDefault, BOB, "app", 400);
        assertRate(configuredDefault, BOB, "other", 300);
        assertRate(configuredDefault, BOB, null, 200);
        assertRate(configuredDefault, CAROL, "app", 500);
        assertRate(configuredDefault, CAROL, "other", 600);
        assertRate(configuredDefault, CAROL, null, 100);

        stored.set(entry(null, client("app"), 700), entry(null, Part.DEFAULT, 800));
        assertRate(null, CAROL, "app", 700);
        assertRate(null, CAROL, "other", 800);
        assertThat(quotas(null).throttle(CAROL, null)).as("over HTTP no client id: client quotas do not apply")
                .isZero();
    }

    @Test
    void aStoredRateWinsOverTheConfiguredOneForItsKeyOnly() {
        SecurityProperties.Quota bobs = new SecurityProperties.Quota(DataSize.ofKilobytes(64), null, 10.0);
        Quotas quotas = new Quotas(properties(null, Map.of("User:bob", bobs)), cache(), new SimpleMeterRegistry(),
                now::get);
        stored.set(entry(user("bob"), null, 1000));
        refresh();
        quotas.charge(BOB, "app", Kind.PRODUCE_BYTES, 2000);
        assertThat(quotas.throttle(BOB, "app")).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            assertThat(quotas.wait(BOB, "app", EnumSet.of(Kind.REQUESTS))).as("request " + i).isZero();
            quotas.charge(BOB, "app", Kind.REQUESTS, 1);
        }
        assertThat(quotas.wait(BOB, "app", EnumSet.of(Kind.REQUESTS))).as("the configured 10 requests a second")
                .isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aConfiguredOverrideReplacesTheDefaultsWholeAsDocumented() {
        SecurityProperties.Quota defaults = new SecurityProperties.Quota(null, null, 1.0);
        SecurityProperties.Quota bobs = new SecurityProperties.Quota(DataSize.ofBytes(1000), null, null);
        Quotas quotas = new Quotas(new SecurityProperties(true, null, null, null, null, List.of(), null,
                new SecurityProperties.Quotas(defaults, Map.of("User:bob", bobs)), null, null, null, null), cache(),
                new SimpleMeterRegistry(), now::get);
        refresh();
        for (int i = 0; i < 5; i++) {
            quotas.charge(BOB, "app", Kind.REQUESTS, 1);
            quotas.charge(CAROL, "app", Kind.REQUESTS, 1);
        }
        assertThat(quotas.wait(BOB, "app", EnumSet.of(Kind.REQUESTS))).as("bob's override sets no request rate")
                .isZero();
        assertThat(quotas.wait(CAROL, "app", EnumSet.of(Kind.REQUESTS))).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aQuotaSetForAnEntityIsSharedByItsClientsAndADefaultOneIsEachUsersOwn() {
        stored.set(entry(user("bob"), null, 1000), entry(Part.DEFAULT, null, 1000));
        Quotas quotas = quotas(null);
        quotas.charge(BOB, "a", Kind.PRODUCE_BYTES, 2000);
        assertThat(quotas.throttle(BOB, "b")).as("bob's other client, same bucket").isEqualTo(Duration.ofSeconds(1));
        quotas.charge(CAROL, "a", Kind.PRODUCE_BYTES, 1000);
        assertThat(quotas.throttle(CAROL, "a")).as("carol's own default bucket, one second's worth taken").isZero();
        assertThat(quotas.throttle(new SluicePrincipal("dave"), "a")).isZero();
    }

    @Test
    void aChangedRateAppliesToTheBucketInUse() {
        stored.set(entry(user("bob"), null, 1000));
        Quotas quotas = quotas(null);
        quotas.charge(BOB, "a", Kind.PRODUCE_BYTES, 2000);
        assertThat(quotas.throttle(BOB, "a")).isEqualTo(Duration.ofSeconds(1));
        stored.set(entry(user("bob"), null, 500));
        refresh();
        assertThat(quotas.throttle(BOB, "a")).as("the debt of 1000 kept, paid at 500 a second")
                .isEqualTo(Duration.ofSeconds(2));
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(quotas.throttle(BOB, "a")).isZero();
        stored.set();
        refresh();
        quotas.charge(BOB, "a", Kind.PRODUCE_BYTES, 1_000_000);
        assertThat(quotas.throttle(BOB, "a")).as("removed: no quota").isZero();
    }

    @Test
    void bucketsOfClientsThatWentAwayAreDroppedOnceFullAndABucketInDebtIsKeptWithItsDebt() {
        stored.set(entry(null, Part.DEFAULT, 1000));
        Quotas quotas = quotas(null);
        for (int i = 0; i < 100; i++) {
            quotas.charge(BOB, "short-lived-" + i, Kind.PRODUCE_BYTES, 1500);
        }
        quotas.charge(BOB, "greedy", Kind.PRODUCE_BYTES, 101_000);
        assertThat(quotas.bucketCount()).as("each client id its own default bucket").isEqualTo(101);

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        quotas.charge(BOB, "newcomer-1", Kind.PRODUCE_BYTES, 1);
        assertThat(quotas.bucketCount()).as("not looked for within a minute of the start").isEqualTo(102);

        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(quotas.throttle(BOB, "short-lived-0")).as("a full bucket, as a new one").isZero();
        quotas.charge(BOB, "newcomer-2", Kind.PRODUCE_BYTES, 1);
        assertThat(quotas.bucketCount()).as("the greedy client's, still in debt, and the newcomer's").isEqualTo(2);
        assertThat(quotas.throttle(BOB, "greedy")).as("its debt of 100 s, 61 s of it paid")
                .isEqualTo(Duration.ofSeconds(39));
        quotas.charge(BOB, "short-lived-0", Kind.PRODUCE_BYTES, 2000);
        assertThat(quotas.throttle(BOB, "short-lived-0")).as("a dropped client that comes back starts full")
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void superUsersAndEveryoneWhileSecurityIsOffHaveNoQuota() {
        stored.set(entry(Part.DEFAULT, null, 10));
        Quotas quotas = quotas(null);
        quotas.charge(ADMIN, "a", Kind.PRODUCE_BYTES, 1_000_000);
        assertThat(quotas.throttle(ADMIN, "a")).isZero();
        Quotas off = new Quotas(new SecurityProperties(false, null, null, null, null, List.of(), null,
                new SecurityProperties.Quotas(new SecurityProperties.Quota(DataSize.ofBytes(10), null, null), null),
                null, null, null, null), cache(), new SimpleMeterRegistry(), now::get);
        off.charge(SluicePrincipal.ANONYMOUS, "a", Kind.PRODUCE_BYTES, 1_000_000);
        assertThat(off.throttle(SluicePrincipal.ANONYMOUS, "a")).isZero();
    }

    /** A fresh Quotas (empty buckets) charged twice {@code rate} of produce bytes: one second of throttle. */
    private void assertRate(SecurityProperties.Quota configuredDefault, SluicePrincipal principal, String clientId,
                            double rate) {
        Quotas quotas = quotas(configuredDefault);
        quotas.charge(principal, clientId, Kind.PRODUCE_BYTES, (long) (2 * rate));
        assertThat(quotas.throttle(principal, clientId)).as("%s, client %s", principal, clientId)
                .isEqualTo(Duration.ofSeconds(1));
    }

    private Quotas quotas(SecurityProperties.Quota configuredDefault) {
        Quotas quotas = new Quotas(properties(configuredDefault, Map.of()), cache(), new SimpleMeterRegistry(),
                now::get);
        refresh();
        return quotas;
    }

    private QuotaCache cache;

    private QuotaCache cache() {
        cache = new QuotaCache(stored, Duration.ofMinutes(1), Clock.systemUTC());
        return cache;
    }

    private void refresh() {
        cache.refresh().block();
    }

    private static SecurityProperties properties(SecurityProperties.Quota defaults,
                                                 Map<String, SecurityProperties.Quota> overrides) {
        return new SecurityProperties(true, null, null, null, null, List.of("User:admin"), null,
                new SecurityProperties.Quotas(defaults == null ? new SecurityProperties.Quota(null, null, null)
                        : defaults, overrides), null, null, null, null);
    }

    private static Part user(String name) {
        return Part.of(name);
    }

    private static Part client(String name) {
        return Part.of(name);
    }

    private static QuotaEntry entry(Part user, Part clientId, double producerByteRate) {
        return new QuotaEntry(new QuotaEntity(user, clientId), Map.of("producer_byte_rate", producerByteRate));
    }

    /** The coordinator's stored quotas, set by the test; each set is a new version. */
    private static final class Stored implements QuotaApi {

        private volatile QuotaSnapshot snapshot = new QuotaSnapshot(0, List.of());

        void set(QuotaEntry... entries) {
            snapshot = new QuotaSnapshot(snapshot.version() + 1, new ArrayList<>(List.of(entries)));
        }

        @Override
        public Mono<QuotaSnapshot> quotas() {
            return Mono.just(snapshot);
        }

        @Override
        public Mono<QuotaSnapshot> alterQuotas(List<QuotaAlteration> alterations) {
            return Mono.error(new UnsupportedOperationException());
        }
    }
}
