package io.sluice.gateway.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Masking on a real cluster (the shared one masks {@code masked-.*} topics' {@code card} and {@code email} fields, the
 * email hashed, see {@link SharedGatewayCluster}): a read that asks ({@code Sluice-Mask: true}) gets the record with
 * those fields concealed over pages, NDJSON, SSE, a share group's acquisition and as base64 bytes, never the stored
 * number in any answer's bytes; its stored batches are refused; the same reads without asking get the record as
 * written; other topics are not touched.
 */
@ExtendWith(SharedGatewayCluster.class)
class RecordMaskingIT {

    private static final String TOPIC = "masked-orders";
    private static final String CARD = "4111111111111111";
    private static final String ORDER = "{\"id\": \"o-1\", \"email\": \"ada@example.com\", \"card\": \"" + CARD + "\"}";

    private static GatewayCluster cluster;

    @BeforeAll
    static void cluster(GatewayCluster shared) {
        cluster = shared;
        cluster.createTopic(TOPIC, 1, 1, Map.of());
        cluster.createTopic("unmasked-orders", 1, 1, Map.of());
        for (String topic : new String[] {TOPIC, "unmasked-orders"}) {
            assertThat(cluster.postJson("/v1/topics/" + topic + "/records", "[{\"key\": \"o-1\", \"value\": " + ORDER
                    + "}]").status()).isEqualTo(200);
        }
    }

    @Test
    void aReadThatAsksGetsTheFieldsConcealedOverPagesNdjsonAndBytes() {
        String page = get("/v1/topics/" + TOPIC + "/records", true, "application/json").body();
        JsonNode value = GatewayCluster.JSON.readTree(page).path("records").get(0).path("value");

        assertThat(page).doesNotContain(CARD, "ada@example.com");
        assertThat(value.path("card").asString()).isEqualTo("****");
        assertThat(value.path("email").asString()).startsWith("sha256:");
        assertThat(value.path("id").asString()).isEqualTo("o-1");
        assertThat(get("/v1/topics/" + TOPIC + "/partitions/0/records?format=string", true, "application/x-ndjson")
                .body()).doesNotContain(CARD).contains("****");
        String binary = GatewayCluster.JSON.readTree(get("/v1/topics/" + TOPIC + "/records?format=binary", true,
                "application/json").body()).path("records").get(0).path("value").asString();
        assertThat(new String(Base64.getDecoder().decode(binary), StandardCharsets.UTF_8)).doesNotContain(CARD)
                .contains("****");
    }

    @Test
    void theSameReadsWithoutAskingAndOtherTopicsGetTheRecordAsWritten() {
        assertThat(get("/v1/topics/" + TOPIC + "/records", false, "application/json").body()).contains(CARD,
                "ada@example.com");
        assertThat(get("/v1/topics/unmasked-orders/records", true, "application/json").body()).contains(CARD);
    }

    @Test
    void anSseStreamAndAShareGroupsAcquisitionThatAskAreMasked() {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + "/v1/topics/" + TOPIC
                + "/partitions/0/records?offset=earliest")).header("Sluice-Mask", "true").GET();
        try (SseStream stream = SseStream.open(cluster.http(), request, 16)) {
            assertThat(stream.status()).isEqualTo(200);
            SseStream.Event event = stream.next(Duration.ofSeconds(30));
            assertThat(event.data()).contains("\"card\":\"****\"").doesNotContain(CARD);
        }

        HttpResponse<String> taken = send(HttpRequest.newBuilder(URI.create(cluster.gatewayUrl()
                        + "/v1/share-groups/masked-workers/acquisitions"))
                .header("Content-Type", "application/json").header("Sluice-Mask", "true")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"" + TOPIC + "\", \"member_id\": \"w-1\", "
                        + "\"max_records\": 1, \"max_wait_ms\": 10000}")));
        assertThat(taken.statusCode()).isEqualTo(200);
        assertThat(taken.body()).contains("\"card\":\"****\"").doesNotContain(CARD);
    }

    @Test
    void aReaderWhoseRecordsAreMaskedMayNotReadTheStoredBatches() {
        HttpResponse<String> refused = get("/v1/topics/" + TOPIC + "/partitions/0/records", true,
                RawBatches.MEDIA_TYPE);
        HttpResponse<String> allowed = get("/v1/topics/" + TOPIC + "/partitions/0/records", false,
                RawBatches.MEDIA_TYPE);

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("TOPIC_AUTHORIZATION_FAILED").doesNotContain(CARD);
        assertThat(allowed.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> get(String path, boolean mask, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .header("Accept", accept).GET();
        if (mask) {
            request.header("Sluice-Mask", "true");
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return cluster.http().send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
