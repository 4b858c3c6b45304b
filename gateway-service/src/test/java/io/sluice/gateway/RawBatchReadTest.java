package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Raw reads ({@code Accept: application/vnd.sluice.record-batch.v2}): the stored v2 batches as they are, decoded here
 * with the protocol's own codec, hold exactly the records the JSON read shows, and the headers say where to read on.
 */
@FakeClusterWebTest
class RawBatchReadTest {

    private static final MediaType RAW = MediaType.parseMediaType("application/vnd.sluice.record-batch.v2");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Test
    void rawBatchesHoldTheRecordsTheJsonReadShowsByteForByte() {
        String topic = topicWithThreeBatches();

        EntityExchangeResult<byte[]> raw = readRaw(topic, "offset=0");
        JsonNode page = readJson(topic, "offset=0&format=binary&header_format=binary");

        assertThat(raw.getResponseHeaders().getContentType()).isEqualTo(RAW);
        List<RecordBatch> batches = batches(raw.getResponseBody());
        assertThat(batches).hasSize(3).allSatisfy(batch -> assertThat(batch.isValid()).as("CRC").isTrue());
        List<Record> records = batches.stream().flatMap(batch -> batch.records().stream()).toList();
        assertThat(records).hasSize(page.path("records").size());
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            JsonNode shown = page.path("records").get(i);
            assertThat(record.offset()).isEqualTo(shown.path("offset").asLong());
            assertThat(record.timestamp()).isEqualTo(shown.path("timestamp").asLong());
            assertThat(b64(record.key())).isEqualTo(text(shown.path("key")));
            assertThat(b64(record.value())).isEqualTo(text(shown.path("value")));
            List<String> headers = new ArrayList<>();
            shown.path("headers").forEach(h -> headers.add(h.path("key").asString() + "=" + h.path("value").asString()));
            assertThat(record.headers()).extracting(h -> h.key() + "=" + b64(h.value())).isEqualTo(headers);
        }
        HttpHeaders headers = raw.getResponseHeaders();
        assertThat(headers.getFirst("Sluice-Next-Offset")).isEqualTo(page.path("next_offset").asString());
        assertThat(headers.getFirst("Sluice-High-Watermark")).isEqualTo(page.path("high_watermark").asString());
        assertThat(headers.getFirst("Sluice-Log-Start-Offset")).isEqualTo(page.path("log_start_offset").asString());
        assertThat(headers.getFirst("Sluice-Cursor")).isEqualTo(page.path("cursor").asString());
    }

    @Test
    void aBatchIsNeverCutAndTheNextOffsetAndCursorReadOnWithNoGapOrRepeat() {
        String topic = topicWithThreeBatches();

        // From inside the first batch: that whole batch comes, and a reader skips what it did not ask for.
        EntityExchangeResult<byte[]> first = readRaw(topic, "offset=1&max_bytes=1");
        List<RecordBatch> firstBatches = batches(first.getResponseBody());
        assertThat(firstBatches).extracting(RecordBatch::baseOffset).containsExactly(0L);
        assertThat(first.getResponseHeaders().getFirst("Sluice-Next-Offset")).isEqualTo("3");

        EntityExchangeResult<byte[]> second = readRaw(topic, "cursor=" + first.getResponseHeaders().getFirst("Sluice-Cursor"));
        assertThat(batches(second.getResponseBody())).extracting(RecordBatch::baseOffset).containsExactly(3L, 4L);
        EntityExchangeResult<byte[]> end = readRaw(topic, "offset=" + second.getResponseHeaders().getFirst("Sluice-Next-Offset"));
        assertThat(end.getResponseBody()).as("nothing more yet").isNullOrEmpty();
        assertThat(end.getResponseHeaders().getFirst("Sluice-Next-Offset")).isEqualTo("9");
    }

    @Test
    void anOffsetBeyondTheEndIsAProblemAsForJsonAndJsonStaysTheDefaultAndTheFirstChoice() {
        String topic = topicWithThreeBatches();

        client.get().uri("/v1/topics/" + topic + "/partitions/0/records?offset=99").accept(RAW).exchange()
                .expectStatus().isEqualTo(416)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).value(body -> assertThat(body).contains("OFFSET_OUT_OF_RANGE"));
        client.get().uri("/v1/topics/" + topic + "/partitions/0/records?offset=0&max_records=1").accept(RAW).exchange()
                .expectStatus().isBadRequest();
        // Raw bytes are never rendered, so a format is refused by name rather than silently ignored.
        client.get().uri("/v1/topics/" + topic + "/partitions/0/records?offset=0&value_format=json").accept(RAW)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class).value(body -> assertThat(body).contains("INVALID_REQUEST", "'value_format'"));
        client.get().uri("/v1/topics/" + topic + "/partitions/0/records").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
        client.get().uri("/v1/topics/" + topic + "/partitions/0/records")
                .header(HttpHeaders.ACCEPT, "application/json, application/vnd.sluice.record-batch.v2").exchange()
                .expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON);
    }

    /** Three produce requests, so three stored batches: offsets 0-2 (with keys and headers), 3, and 4-8. */
    private String topicWithThreeBatches() {
        String topic = "raw-" + TOPICS.incrementAndGet();
        cluster.topicServedBy(client, topic, 1, Map.of());
        produce(topic, "[{\"key\": \"k0\", \"value\": {\"n\": 0}, \"headers\": {\"trace\": \"abc\", \"span\": \"1\"}},"
                + " {\"value\": \"one\", \"timestamp\": 1767225600000}, {\"key\": \"k2\", \"value\": null}]");
        produce(topic, "[{\"value\": 3}]");
        produce(topic, IntStream.range(4, 9).mapToObj(i -> "{\"key\": \"k" + i + "\", \"value\": " + i + "}")
                .collect(Collectors.joining(",", "[", "]")));
        return topic;
    }

    private void produce(String topic, String body) {
        client.post().uri("/v1/topics/" + topic + "/records").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk();
    }

    private EntityExchangeResult<byte[]> readRaw(String topic, String query) {
        return client.get().uri("/v1/topics/" + topic + "/partitions/0/records?" + query).accept(RAW).exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult();
    }

    private JsonNode readJson(String topic, String query) {
        return JSON.readTree(client.get().uri("/v1/topics/" + topic + "/partitions/0/records?" + query)
                .accept(MediaType.APPLICATION_JSON).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
    }

    private static List<RecordBatch> batches(byte[] body) {
        List<RecordBatch> batches = new ArrayList<>();
        BufferBatchIterator.batches(ByteBuffer.wrap(body == null ? new byte[0] : body)).forEach(batches::add);
        return batches;
    }

    private static String text(JsonNode node) {
        return node.isNull() ? null : node.asString();
    }

    private static String b64(byte[] bytes) {
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }
}
