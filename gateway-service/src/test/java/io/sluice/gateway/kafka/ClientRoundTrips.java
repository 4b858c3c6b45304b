package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/**
 * What a client's round-trip script ({@code src/test/resources/kafkajs/roundtrip.js},
 * {@code src/test/resources/confluent-kafka/roundtrip.py}) must report in its JSON summary: the idempotent producer's
 * 300 records and the committed transaction's 20 read once each, nothing of the aborted transaction, and the group's
 * committed offset of every partition it read past its last record read and no further than the partition's end.
 */
final class ClientRoundTrips {

    private ClientRoundTrips() {
    }

    static void assertRoundTrip(JsonNode summary) {
        assertThat(summary.path("keyed").asInt()).as("records of the idempotent producer read").isEqualTo(300);
        assertThat(summary.path("committed").asInt()).as("records of the committed transaction read").isEqualTo(20);
        assertThat(summary.path("aborted").asInt()).as("records of the aborted transaction read").isZero();
        assertThat(summary.path("distinct").asInt()).as("records read once each")
                .isEqualTo(summary.path("read").asInt());
        JsonNode lastRead = summary.path("lastRead");
        assertThat(lastRead.size()).as("partitions read").isPositive();
        for (String partition : lastRead.propertyNames()) {
            assertThat(summary.path("committedOffsets").path(partition).asLong())
                    .as("partition %s's committed offset", partition)
                    .isGreaterThan(lastRead.path(partition).asLong())
                    .isLessThanOrEqualTo(summary.path("highWatermarks").path(partition).asLong());
        }
    }
}
