package io.sluice.coordinator.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.broker.BrokerAnnouncement;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Which gateways' Kafka listeners the coordinator lists as live brokers, and who holds a broker id. */
class BrokerRegistryTest {

    private Instant now = Instant.parse("2026-11-26T12:00:00Z");
    private final BrokerRegistry registry = new BrokerRegistry(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void everyAnnouncementAnswersTheLiveBrokersByIdItselfIncluded() {
        assertThat(registry.announce(announcement(2, 9094, 6000))).containsExactly(endpoint(2, 9094));

        assertThat(registry.announce(announcement(0, 9092, 6000)))
                .containsExactly(endpoint(0, 9092), endpoint(2, 9094));
    }

    @Test
    void aBrokerThatStopsAnnouncingIsDroppedWhenItsTimeToLiveIsUp() {
        registry.announce(announcement(1, 9093, 6000));
        now = now.plus(Duration.ofMillis(5999));
        assertThat(registry.announce(announcement(0, 9092, 6000))).containsExactly(endpoint(0, 9092),
                endpoint(1, 9093));

        now = now.plus(Duration.ofMillis(1));

        assertThat(registry.live()).as("the listing, as partition services ask it").containsExactly(endpoint(0, 9092));
        assertThat(registry.announce(announcement(0, 9092, 6000))).containsExactly(endpoint(0, 9092));
    }

    @Test
    void aSecondAddressAnnouncingALiveIdIsRefusedWithDuplicateNodeAndTheFirstKeepsIt() {
        registry.announce(announcement(1, 9093, 6000));

        assertThatThrownBy(() -> registry.announce(announcement(1, 9999, 6000)))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DUPLICATE_NODE))
                .hasMessageContaining("127.0.0.1:9093");
        assertThat(registry.announce(announcement(0, 9092, 6000))).containsExactly(endpoint(0, 9092),
                endpoint(1, 9093));
    }

    @Test
    void anIdWhoseHolderExpiredMayBeTakenByAnotherAddress() {
        registry.announce(announcement(1, 9093, 1000));
        now = now.plus(Duration.ofSeconds(1));

        assertThat(registry.announce(announcement(1, 9999, 1000))).containsExactly(endpoint(1, 9999));
    }

    @Test
    void gatewaysBehindOneAddressAnnounceOneBroker() {
        registry.announce(announcement(0, 9092, 6000));

        assertThat(registry.announce(announcement(0, 9092, 6000))).containsExactly(endpoint(0, 9092));
    }

    @Test
    void theAddressTheClusterReachesAListenerAtIsKeptBesideTheAdvertisedOne() {
        BrokerEndpoint published = new BrokerEndpoint(0, "localhost", 19092, "gateway", 9092);

        assertThat(registry.announce(BrokerAnnouncement.of(published, 6000))).containsExactly(published);
    }

    @Test
    void aMalformedAnnouncementIsRefusedAndChangesNothing() {
        registry.announce(announcement(0, 9092, 6000));

        for (BrokerAnnouncement bad : new BrokerAnnouncement[] {
                new BrokerAnnouncement(-1, "127.0.0.1", 9092, "127.0.0.1", 9092, 6000),
                new BrokerAnnouncement(1, "", 9092, "127.0.0.1", 9092, 6000),
                new BrokerAnnouncement(1, null, 9092, "127.0.0.1", 9092, 6000),
                new BrokerAnnouncement(1, "127.0.0.1", 0, "127.0.0.1", 9092, 6000),
                new BrokerAnnouncement(1, "127.0.0.1", 65536, "127.0.0.1", 9092, 6000),
                new BrokerAnnouncement(1, "127.0.0.1", 9093, "", 9093, 6000),
                new BrokerAnnouncement(1, "127.0.0.1", 9093, null, 9093, 6000),
                new BrokerAnnouncement(1, "127.0.0.1", 9093, "gateway", 0, 6000),
                new BrokerAnnouncement(1, "127.0.0.1", 9093, "127.0.0.1", 9093, 0),
                new BrokerAnnouncement(1, "127.0.0.1", 9093, "127.0.0.1", 9093, BrokerRegistry.MAX_TTL_MS + 1)}) {
            assertThatThrownBy(() -> registry.announce(bad)).as(bad.toString())
                    .isInstanceOfSatisfying(SluiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
        assertThat(registry.announce(announcement(0, 9092, 6000))).containsExactly(endpoint(0, 9092));
    }

    private static BrokerAnnouncement announcement(int id, int port, long ttlMs) {
        return BrokerAnnouncement.of(endpoint(id, port), ttlMs);
    }

    private static BrokerEndpoint endpoint(int id, int port) {
        return new BrokerEndpoint(id, "127.0.0.1", port);
    }
}
