package io.sluice.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The gateway's public API, as a user's script calls it (docs/api.md). */
record PublicApi(URI gateway) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String body) {
    }

    Answer createTopic(String name, int partitions, int replicationFactor) {
        return post("/v1/topics", """
                {"name":"%s","partition_count":%d,"replication_factor":%d}""".formatted(name, partitions,
                replicationFactor));
    }

    Answer deleteTopic(String name) {
        return send(HttpRequest.newBuilder(gateway.resolve("/v1/topics/" + name)).timeout(Duration.ofSeconds(30))
                .DELETE().build());
    }

    Answer produce(String topic, int partition, String value) {
        return post("/v1/topics/" + topic + "/records?acks=all", """
                [{"partition":%d,"value":"%s"}]""".formatted(partition, value));
    }

    Answer read(String topic, int partition) {
        return get(gateway.resolve("/v1/topics/" + topic + "/partitions/" + partition + "/records?offset=earliest"));
    }

    Answer readTopic(String topic) {
        return get(gateway.resolve("/v1/topics/" + topic + "/records?offset=earliest"));
    }

    /** Opens an SSE stream, keeps it for {@code open} as a consumer that reads for a while, and leaves. */
    void stream(String pathAndQuery, Duration open) {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/event-stream").build();
        try {
            // The request's timeout ends at the response's headers; the stream then stays open until it is closed.
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream events = response.body()) {
                if (response.statusCode() != 200) {
                    throw new AssertionError("SSE " + pathAndQuery + " answered " + response.statusCode() + ": "
                            + new String(events.readAllBytes()));
                }
                Thread.sleep(open);
            }
        } catch (IOException e) {
            throw new AssertionError("SSE " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Answer get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
