package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.broker.BrokerEndpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rule that names a partition's leader among the live gateways. */
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

    private static BrokerEndpoint broker(int id) {
        return new BrokerEndpoint(id, "127.0.0.1", 9092 + id);
    }
}
