package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A gateway stopped (SIGTERM) while event streams are open ends them cleanly and finishes what their ends start before
 * it exits: a group member's leave (after its closing commit), a share member's release of the records it holds.
 * Without it the HTTP drain waited for streams that never end, and the gateway was killed at the end of its grace
 * period with its members still in their groups and its records still locked.
 */
@ExtendWith(SharedGatewayCluster.class)
class GatewayStopIT {

    private static final String GATEWAY = "gateway-stop";

    @Test
    void aStoppedGatewayEndsItsStreamsAndItsMembersLeaveAndReleaseBeforeItExits(GatewayCluster cluster) {
        cluster.createTopic("stop-group", 1, 3, Map.of());
        cluster.createTopic("stop-share", 1, 3, Map.of());
        produce(cluster, "stop-group", "a", "b");
        produce(cluster, "stop-share", "x", "y");
        String gateway = cluster.startGateway(GATEWAY);
        try (SseStream member = SseStream.open(cluster.http(), URI.create(gateway + "/v1/groups/stop-group-g/records"
                     + "?topics=stop-group&auto_offset_reset=earliest"), null, 64);
             SseStream share = SseStream.open(cluster.http(), URI.create(gateway
                     + "/v1/share-groups/stop-share-g/records?topic=stop-share&member_id=stopping&max_in_flight=2"),
                     null, 64);
             SseStream topic = SseStream.open(cluster.http(), URI.create(gateway
                     + "/v1/topics/stop-group/records?offset=earliest"), null, 64)) {
            assertThat(List.of(member.status(), share.status(), topic.status())).containsOnly(200);
            assertThat(values(member, 2)).containsExactly("a", "b");
            List<JsonNode> held = records(share, 2);
            assertThat(held).extracting(record -> record.path("value").asString()).containsExactly("x", "y");
            assertThat(values(topic, 2)).containsExactly("a", "b");

            assertThat(cluster.processes().stop(GATEWAY)).as("the gateway stopped on SIGTERM, within the grace")
                    .isTrue();

            for (SseStream stream : List.of(member, share, topic)) {
                assertThatThrownBy(() -> {
                    while (true) {
                        assertThat(stream.next(Duration.ofSeconds(10))).as("an event or the end").isNotNull();
                    }
                }).as("the stream ended cleanly, not cut").hasMessage("The event stream ended");
            }
            // The member left: its partition is free for the next member now, not after its session timeout.
            JsonNode group = cluster.call("GET", "/v1/groups/stop-group-g", null, null).json();
            assertThat(group.path("members")).as(group.toString()).isEmpty();
            assertThat(group.path("state").asString()).as(group.toString()).isEqualTo("EMPTY");
            // Within the shared cluster's 5 s locks: only a release hands the held records on this soon.
            Response taken = cluster.postJson("/v1/share-groups/stop-share-g/acquisitions",
                    "{\"topic\":\"stop-share\",\"member_id\":\"next\",\"max_records\":10,\"max_wait_ms\":2500}");
            long answeredAt = System.currentTimeMillis();
            assertThat(taken.status()).as(taken.text()).isEqualTo(200);
            assertThat(taken.json().path("records")).extracting(record -> record.path("value").asString())
                    .containsExactlyInAnyOrder("x", "y");
            assertThat(held.getFirst().path("lock_expires_at").asLong()).as("taken before the stream's locks ended")
                    .isGreaterThan(answeredAt);
        } finally {
            cluster.processes().stop(GATEWAY);
        }
    }

    private static void produce(GatewayCluster cluster, String topic, String... values) {
        List<String> records = new ArrayList<>();
        for (String value : values) {
            records.add("{\"partition\":0,\"value\":\"" + value + "\"}");
        }
        Response produced = cluster.postJson("/v1/topics/" + topic + "/records",
                "{\"records\":[" + String.join(",", records) + "]}");
        assertThat(produced.status()).as(produced.text()).isEqualTo(200);
    }

    private static List<String> values(SseStream stream, int count) {
        return records(stream, count).stream().map(record -> record.path("value").asString()).toList();
    }

    /** The next {@code count} record events, skipping the others (a member's assignment). */
    private static List<JsonNode> records(SseStream stream, int count) {
        List<JsonNode> records = new ArrayList<>();
        while (records.size() < count) {
            SseStream.Event event = stream.next(Duration.ofSeconds(30));
            assertThat(event).as("a record within 30 s, had %s", records).isNotNull();
            if (event.event().equals("record")) {
                records.add(GatewayCluster.JSON.readTree(event.data()));
            }
        }
        return records;
    }
}
