package io.sluice.protocol.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A key lands on the same partition whether a Kafka client or Sluice chose it: Kafka's Utils is the oracle. */
class DefaultPartitionerTest {

    @Test
    void murmur2EqualsKafkasOverRandomKeysOfEveryLengthUpTo100() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = randomKey(random, i % 101);

            assertThat(DefaultPartitioner.murmur2(key)).as("key %s", Arrays.toString(key))
                    .isEqualTo(Utils.murmur2(key));
        }
    }

    @Test
    void partitionForKeyEqualsKafkasChoiceForPartitionCountsUpTo1000() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] key = randomKey(random, random.nextInt(101));
            int partitions = 1 + random.nextInt(1000);

            assertThat(DefaultPartitioner.partitionForKey(key, partitions))
                    .as("key %s over %d partitions", Arrays.toString(key), partitions)
                    .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions)
                    .isBetween(0, partitions - 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void tailBytesWithTheHighBitSetHashAsKafkaDoes(int length) {
        byte[] key = new byte[length];
        Arrays.fill(key, (byte) 0xff);

        assertThat(DefaultPartitioner.murmur2(key)).isEqualTo(Utils.murmur2(key));
    }

    /** Values Kafka's own test suite pins for its murmur2, so a change to both sides at once would still show. */
    @ParameterizedTest
    @CsvSource({
            "'', 275646681, 9",
            "21, -973932308, 0",
            "abc, 479470107, 3",
            "foobar, -790332482, 6",
            "a-little-bit-long-string, -985981536, 8",
            "a-little-bit-longer-string, -1486304829, 11",
            "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8, -58897971, 5"
    })
    void knownKeysHashToKnownValues(String key, int hash, int partitionOf12) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);

        assertThat(DefaultPartitioner.murmur2(bytes)).isEqualTo(hash);
        assertThat(DefaultPartitioner.partitionForKey(bytes, 12)).isEqualTo(partitionOf12);
    }

    @Test
    void toPositiveClearsTheSignBitRatherThanNegating() {
        assertThat(DefaultPartitioner.toPositive(Integer.MIN_VALUE)).isZero();
        assertThat(DefaultPartitioner.toPositive(-1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(DefaultPartitioner.toPositive(5)).isEqualTo(5);
        assertThat(DefaultPartitioner.toPositive(-5)).isEqualTo(Utils.toPositive(-5));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void whenPartitionCountIsNotPositiveShouldRefuse(int partitions) {
        assertThatIllegalArgumentException().isThrownBy(() -> DefaultPartitioner.partitionForKey(new byte[] {1}, partitions))
                .withMessageContaining("partitions");
    }

    private static byte[] randomKey(Random random, int length) {
        byte[] key = new byte[length];
        random.nextBytes(key);
        return key;
    }
}
