package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code clamp=true} (api.md): a read at an offset below the log start or past the log end answers from the nearest
 * valid offset instead of {@code 416 OFFSET_OUT_OF_RANGE}; without it the same read is the problem.
 */
@FakeClusterWebTest
class ClampTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    /** Offsets 0..5 produced, then 0..2 deleted by retention: the log is [3, 6). */
    private String topicWithLogStartAt3() {
        String topic = "clamp-" + TOPICS.incrementAndGet();
        cluster.topicServedBy(client, topic, 1, Map.of());
        client.post().uri("/v1/topics/" + topic + "/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"value\": \"a\"}, {\"value\": \"b\"}, {\"value\": \"c\"}, {\"value\": \"d\"},"
                        + " {\"value\": \"e\"}, {\"value\": \"f\"}]")
                .exchange().expectStatus().isOk();
        cluster.deleteRecordsBefore(topic, 0, 3);
        return topic;
    }

    @Test
    void aReadBelowTheLogStartWithClampStartsAtTheLogStart() {
        String topic = topicWithLogStartAt3();

        JsonNode page = page(topic, "offset=1&clamp=true");

        assertThat(offsets(page)).containsExactly(3L, 4L, 5L);
        assertThat(page.path("log_start_offset").asLong()).isEqualTo(3);
    }

    @Test
    void aReadPastTheEndWithClampStartsAtTheHighWatermark() {
        String topic = topicWithLogStartAt3();

        JsonNode page = page(topic, "offset=50&clamp=true");

        assertThat(offsets(page)).isEmpty();
        assertThat(page.path("next_offset").asLong()).as("reading on from the end").isEqualTo(6);
    }

    @Test
    void theSameReadsWithoutClampAreOffsetOutOfRangeNamingTheRange() {
        String topic = topicWithLogStartAt3();

        for (String offset : List.of("1", "50")) {
            client.get().uri("/v1/topics/" + topic + "/partitions/0/records?offset=" + offset).exchange()
                    .expectStatus().isEqualTo(416)
                    .expectBody()
                    .jsonPath("$.error_code").isEqualTo("OFFSET_OUT_OF_RANGE")
                    .jsonPath("$.log_start_offset").isEqualTo(3)
                    .jsonPath("$.high_watermark").isEqualTo(6);
        }
    }

    private JsonNode page(String topic, String query) {
        return JSON.readTree(client.get().uri("/v1/topics/" + topic + "/partitions/0/records?" + query)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<Long> offsets(JsonNode page) {
        List<Long> offsets = new ArrayList<>();
        page.path("records").forEach(record -> offsets.add(record.path("offset").asLong()));
        return offsets;
    }
}
