package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads of a compacted partition, whose batches keep their offsets after the cleaner removed records: pages, topic
 * pages and SSE streams step over the gaps (a batch that ends past its last record, offsets with no batch at all)
 * instead of asking for the same batch again.
 */
@FakeClusterWebTest
class CompactedReadTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    /**
     * A partition as the cleaner leaves it: batch [0..9] keeps only offset 3, batch [10..14] keeps 10 and 12, offsets
     * 15..19 hold nothing, batch [20..20] holds 20.
     */
    private String compactedTopic() {
        String topic = "compacted-" + TOPICS.incrementAndGet();
        cluster.topicServedBy(client, topic, 1, Map.of("cleanup.policy", "compact"));
        cluster.storeBatch(topic, 0, batch(0, 9, 3));
        cluster.storeBatch(topic, 0, batch(10, 4, 10, 12));
        cluster.storeBatch(topic, 0, batch(20, 0, 20));
        return topic;
    }

    private static ByteBuffer batch(long baseOffset, int lastOffsetDelta, long... offsets) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE).baseOffset(baseOffset)
                .lastOffsetDelta(lastOffsetDelta);
        for (long offset : offsets) {
            builder.appendWithOffsetDelta((int) (offset - baseOffset), 1_000, ("k" + offset).getBytes(StandardCharsets.UTF_8),
                    ("v" + offset).getBytes(StandardCharsets.UTF_8), List.of());
        }
        return builder.build();
    }

    @Test
    void aPageAtARemovedOffsetStartsAtTheNextRecordAndNextOffsetPassesTheBatch() {
        String topic = compactedTopic();

        JsonNode fromGap = page(topic, "offset=4&max_records=10");
        assertThat(offsets(fromGap)).containsExactly(10L, 12L, 20L);
        assertThat(fromGap.path("next_offset").asLong()).isEqualTo(21);

        JsonNode insideFirstBatch = page(topic, "offset=5&max_records=10&max_bytes=1");
        assertThat(offsets(insideFirstBatch)).isEmpty();
        assertThat(insideFirstBatch.path("next_offset").asLong()).as("past batch [0..9]").isEqualTo(10);
    }

    @Test
    void readingPageByPageFromTheStartReturnsEveryRecordOnce() {
        String topic = compactedTopic();
        List<Long> seen = new ArrayList<>();
        long offset = 0;
        for (int pages = 0; pages < 10 && offset < 21; pages++) {
            JsonNode page = page(topic, "offset=" + offset + "&max_records=1&max_bytes=1");
            seen.addAll(offsets(page));
            assertThat(page.path("next_offset").asLong()).as("progress").isGreaterThan(offset);
            offset = page.path("next_offset").asLong();
        }
        assertThat(seen).containsExactly(3L, 10L, 12L, 20L);
    }

    @Test
    void aTopicPageFromTheCursorOfTheLastOneContinuesPastTheGaps() {
        String topic = compactedTopic();
        JsonNode first = JSON.readTree(client.get().uri("/v1/topics/" + topic + "/records?offset=4&max_records=10")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(offsets(first)).containsExactly(10L, 12L, 20L);
        assertThat(first.path("partitions").get(0).path("next_offset").asLong()).isEqualTo(21);
    }

    @Test
    void anSseStreamFromTheStartDeliversEveryRecordAndItsCursorPassesTheGaps() {
        String topic = compactedTopic();
        List<ServerSentEvent<String>> events = client.get()
                .uri("/v1/topics/" + topic + "/partitions/0/records?offset=earliest")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .getResponseBody().filter(event -> "record".equals(event.event())).take(4)
                .collectList().block(Duration.ofSeconds(30));

        assertThat(events).extracting(event -> JSON.readTree(event.data()).path("offset").asLong())
                .containsExactly(3L, 10L, 12L, 20L);
        // Resuming from the last event's id delivers nothing twice: the next record is a new one.
        cluster.storeBatch(topic, 0, batch(25, 0, 25));
        ServerSentEvent<String> next = client.get().uri("/v1/topics/" + topic + "/partitions/0/records")
                .header("Last-Event-ID", events.getLast().id())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .getResponseBody().filter(event -> "record".equals(event.event())).blockFirst(Duration.ofSeconds(10));
        assertThat(JSON.readTree(next.data()).path("offset").asLong()).isEqualTo(25);
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
