package io.sluice.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A topic-partition, and its {@code topic-partition} directory name, parsed back from the last dash. */
class TopicPartitionTest {

    @ParameterizedTest
    @CsvSource({
            "my-topic-3, my-topic, 3",
            "orders-0, orders, 0",
            "a-b-c-12, a-b-c, 12",
            "t--1, t-, 1",
            "x.y_z-2147483647, x.y_z, 2147483647"
    })
    void parseSplitsAtTheLastDash(String text, String topic, int partition) {
        TopicPartition parsed = TopicPartition.parse(text);

        assertThat(parsed).isEqualTo(new TopicPartition(topic, partition));
        assertThat(parsed.toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "orders", "orders-", "-3", "orders-x", "orders-3.0", "orders-99999999999"})
    void whenTextIsNotTopicDashPartitionShouldRefuseAsInvalidRequest(String text) {
        assertThatThrownBy(() -> TopicPartition.parse(text))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    /** Only the form toString() writes parses, so no two directory names can claim the same partition. */
    @ParameterizedTest
    @ValueSource(strings = {"orders-03", "orders-+3", "orders-00", "orders-\u0663"})
    void whenThePartitionNumberIsNotInCanonicalFormShouldRefuse(String text) {
        assertThatThrownBy(() -> TopicPartition.parse(text))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my topic-3", "a/b-0", "..-1", "tópico-2"})
    void whenTheTopicPartIsIllegalShouldRefuseAsInvalidTopicName(String text) {
        assertThatThrownBy(() -> TopicPartition.parse(text))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TOPIC_NAME));
    }

    @Test
    void constructingWithAnIllegalTopicCarriesInvalidTopicName() {
        assertThatThrownBy(() -> new TopicPartition("no/slashes", 0))
                .isInstanceOfSatisfying(SluiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TOPIC_NAME);
                    assertThat(e.retriable()).isFalse();
                });
    }

    @Test
    void aNegativePartitionIsRefused() {
        assertThatThrownBy(() -> new TopicPartition("orders", -1))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_PARTITION));
    }

    @Test
    void toStringIsTheDirectoryNameAndParsesBack() {
        TopicPartition partition = new TopicPartition("my-topic", 3);

        assertThat(partition.toString()).isEqualTo("my-topic-3");
        assertThat(TopicPartition.parse(partition.toString())).isEqualTo(partition);
    }

    @Test
    void sortsByTopicThenNumericallyByPartition() {
        List<TopicPartition> partitions = new ArrayList<>(List.of(new TopicPartition("b", 0),
                new TopicPartition("a", 10), new TopicPartition("a", 2), new TopicPartition("a-1", 0)));

        partitions.sort(null);

        assertThat(partitions).containsExactly(new TopicPartition("a", 2), new TopicPartition("a", 10),
                new TopicPartition("a-1", 0), new TopicPartition("b", 0));
    }
}
