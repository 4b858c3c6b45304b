package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.sluice.internal.broker.BrokerAnnouncement;
import io.sluice.internal.broker.BrokerApi;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The rule that names a partition's leader among the live gateways, and on the direct data path the partition
 * services that Metadata names instead.
 */
class KafkaBrokersTest {

    private static final List<BrokerEndpoint> THREE = List.of(broker(0), broker(1), broker(2));

    @Test
    void everyBrokerLeadsAShareOfTheBrokersPartitions() {
        Map<Integer, Integer> led = new HashMap<>();
        for (int partition = 0; partition < 3000; partition++) {
            led.merge(KafkaBrokers.leaderOf(THREE, "orders", partition), 1, Integer::sum);
        }
        assertThat(led.keySet()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(led.values()).allSatisfy(count -> assertThat(count).isBetween(850, 1150));
    }

    @Test
    void whenABrokerGoesOnlyItsOwnPartitionsMove() {
        List<BrokerEndpoint> two = List.of(broker(0), broker(2));
        IntStream.range(0, 1000).forEach(partition -> {
            int before = KafkaBrokers.leaderOf(THREE, "orders", partition);
            int after = KafkaBrokers.leaderOf(two, "orders", partition);
            if (before != 1) {
                assertThat(after).as("partition %d", partition).isEqualTo(before);
            } else {
                assertThat(after).as("partition %d", partition).isIn(0, 2);
            }
        });
    }

    @Test
    void theChoiceDependsOnTheBrokersNotOnTheirOrder() {
        List<BrokerEndpoint> shuffled = List.of(broker(2), broker(0), broker(1));
        IntStream.range(0, 1000).forEach(partition -> assertThat(KafkaBrokers.leaderOf(shuffled, "t", partition))
                .isEqualTo(KafkaBrokers.leaderOf(THREE, "t", partition)));
    }

    @Test
    void aLoneBrokerLeadsEverythingAndIsTheController() {
        List<BrokerEndpoint> one = List.of(broker(7));
        assertThat(KafkaBrokers.leaderOf(one, "t", 0)).isEqualTo(7);
        assertThat(KafkaBrokers.controllerOf(List.of(broker(3), broker(5)))).isEqualTo(3);
    }

    @Test
    void onlyTheGatewayWithTheLowestLiveIdIsTheControllerAndOneLeftAloneIsItAgain() {
        KafkaBroker self = mock(KafkaBroker.class);
        when(self.nodeId()).thenReturn(1001);
        when(self.advertisedHost()).thenReturn("127.0.0.1");
        when(self.advertisedPort()).thenReturn(9092);
        AtomicLong nanos = new AtomicLong();
        BrokerApi coordinator = new BrokerApi() {
            @Override
            public Mono<List<BrokerEndpoint>> announce(BrokerAnnouncement announcement) {
                return Mono.just(List.of(broker(0), broker(1001)));
            }

            @Override
            public Mono<List<BrokerEndpoint>> brokers() {
                return Mono.just(List.of(broker(0), broker(1001)));
            }
        };
        KafkaBrokers brokers = new KafkaBrokers(self, coordinator, Duration.ofSeconds(2), nanos::get, true);
        assertThat(brokers.isController()).as("alone, before it has heard of any other").isTrue();

        brokers.announce().block();
        assertThat(brokers.isController()).as("beside gateway 0").isFalse();

        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(brokers.isController()).as("once what it heard is three intervals old").isTrue();
    }

    @Test
    void aGatewayAnnouncesWhereTheClusterReachesItBesideWhereClientsDo() {
        KafkaBroker self = mock(KafkaBroker.class);
        when(self.nodeId()).thenReturn(0);
        when(self.advertisedHost()).thenReturn("localhost");
        when(self.advertisedPort()).thenReturn(19092);
        when(self.internalHost()).thenReturn("gateway");
        when(self.internalPort()).thenReturn(9092);
        AtomicReference<BrokerAnnouncement> announced = new AtomicReference<>();
        BrokerApi coordinator = new BrokerApi() {
            @Override
            public Mono<List<BrokerEndpoint>> announce(BrokerAnnouncement announcement) {
                announced.set(announcement);
                return Mono.just(List.of(announcement.endpoint()));
            }

            @Override
            public Mono<List<BrokerEndpoint>> brokers() {
                return Mono.just(List.of());
            }
        };

        new KafkaBrokers(self, coordinator, Duration.ofSeconds(2), System::nanoTime, true).announce().block();

        assertThat(announced.get().endpoint()).isEqualTo(new BrokerEndpoint(0, "localhost", 19092, "gateway", 9092));
    }

    @Test
    void onTheDirectPathEveryLiveNodeWithAKafkaListenerIsALeaderUnlessAGatewayHoldsItsId() {
        MetadataView view = new MetadataView(new ClusterMetadata(1, null, List.of(
                node(1, NodeStatus.ALIVE, "10.0.0.1:9093"),
                node(2, NodeStatus.DEAD, "10.0.0.2:9093"),
                node(3, NodeStatus.ALIVE, null),
                node(4, NodeStatus.ALIVE, "10.0.0.4:9093"),
                node(5, NodeStatus.ALIVE, "[::1]:9093")), List.of()));
        List<BrokerEndpoint> gateways = List.of(broker(0), broker(4));

        Map<Integer, BrokerEndpoint> direct = brokers(true).directLeaders(view, gateways);

        assertThat(direct).containsOnlyKeys(1, 5);
        assertThat(direct.get(1)).isEqualTo(new BrokerEndpoint(1, "10.0.0.1", 9093));
        assertThat(direct.get(5)).isEqualTo(new BrokerEndpoint(5, "[::1]", 9093));
        assertThat(KafkaBrokers.all(gateways, direct)).extracting(BrokerEndpoint::brokerId)
                .containsExactly(0, 1, 4, 5);
        assertThat(brokers(false).directLeaders(view, gateways)).as("the gateway path").isEmpty();
    }

    private static KafkaBrokers brokers(boolean direct) {
        return new KafkaBrokers(null, null, Duration.ofSeconds(2), System::nanoTime, direct);
    }

    private static NodeInfo node(int id, NodeStatus status, String kafkaAddress) {
        return new NodeInfo(id, "http://10.0.0." + id + ":8080", null, status, "i", false, null, null, kafkaAddress);
    }

    private static BrokerEndpoint broker(int id) {
        return new BrokerEndpoint(id, "127.0.0.1", 9092 + id);
    }
}
