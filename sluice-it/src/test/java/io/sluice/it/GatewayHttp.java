package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The public API as the group suites call it: plain JSON calls to a gateway, answers as status and text, and the few
 * set-up steps they share (a topic readable through every gateway, records produced round-robin over partitions, a
 * group's committed offsets). Thread-safe.
 */
final class GatewayHttp {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayHttp() {
    }

    /** An answer: its status and body. */
    record Response(int status, String text) {
        JsonNode json() {
            return SluiceJson.mapper().readTree(text);
        }
    }

    static Response get(URI gateway, String path) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).GET());
    }

    static Response post(URI gateway, String path, String json) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Response delete(URI gateway, String path) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).DELETE());
    }

    static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void assertProblem(Response response, int status, String errorCode) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().get("error_code").asString()).as(response.text()).isEqualTo(errorCode);
    }

    /** Creates a topic through the first gateway and waits until every partition reads through each of them. */
    static void createTopic(List<URI> gateways, String name, int partitions, int replicationFactor) {
        Response created = post(gateways.getFirst(), "/v1/topics", "{\"name\":\"" + name + "\",\"partition_count\":"
                + partitions + ",\"replication_factor\":" + replicationFactor + "}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        for (URI gateway : gateways) {
            Waits.await(name + " readable through " + gateway, Duration.ofSeconds(90), () -> {
                for (int p = 0; p < partitions; p++) {
                    if (get(gateway, "/v1/topics/" + name + "/partitions/" + p + "/records?max_records=1").status()
                            != 200) {
                        return null;
                    }
                }
                return Boolean.TRUE;
            });
        }
    }

    /** Produces {@code records} string values round-robin over the partitions, acks=all, 1,000 a request. */
    static void produce(URI gateway, String topic, int partitions, int records) {
        int perRequest = 1000;
        for (int from = 0; from < records; from += perRequest) {
            StringBuilder body = new StringBuilder("[");
            for (int i = from; i < Math.min(records, from + perRequest); i++) {
                body.append(i == from ? "" : ",").append("{\"partition\":").append(i % partitions)
                        .append(",\"value\":\"r-").append(i).append("\"}");
            }
            Response answer = post(gateway, "/v1/topics/" + topic + "/records?acks=all", body.append("]").toString());
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        }
    }

    /** The committed offsets of a group description ({@code GET /v1/groups/{g}}), by partition. */
    static Map<Integer, Long> committed(JsonNode view) {
        Map<Integer, Long> committed = new TreeMap<>();
        if (view.has("partitions")) {
            view.get("partitions").forEach(p -> {
                if (p.hasNonNull("committed_offset")) {
                    committed.put(p.get("partition").asInt(), p.get("committed_offset").asLong());
                }
            });
        }
        return committed;
    }

    /** The high watermark of each of a topic's partitions: the end of what readers can be given. */
    static Map<Integer, Long> highWatermarks(URI gateway, String topic) {
        JsonNode described = get(gateway, "/v1/topics/" + topic + "/partitions").json();
        Map<Integer, Long> ends = new TreeMap<>();
        described.get("partitions").forEach(p -> ends.put(p.get("partition").asInt(),
                p.get("high_watermark").asLong()));
        return ends;
    }
}
