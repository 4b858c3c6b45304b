package io.sluice.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A coordinator cut off from Redis tries again at least every second, however long Redis was away. */
class RedisReconnectTest {

    @Test
    void reconnectionAttemptsNeverBackOffBeyondOneSecond() {
        ClientResources resources = new CoordinatorConfiguration().redisClientResources();
        try {
            assertThat(IntStream.rangeClosed(1, 40).mapToObj(attempt -> resources.reconnectDelay().createDelay(attempt)))
                    .allSatisfy(delay -> assertThat(delay).isLessThanOrEqualTo(Duration.ofSeconds(1)))
                    .last().isEqualTo(Duration.ofSeconds(1));
        } finally {
            resources.shutdown();
        }
    }
}
