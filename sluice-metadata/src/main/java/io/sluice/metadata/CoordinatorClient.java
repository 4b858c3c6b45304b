package io.sluice.metadata;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the coordinator's internal API given the URLs of every coordinator instance. Standbys redirect to the active
 * instance (HTTP 307, followed here); an instance that is down or has no active coordinator to name is skipped for
 * the next one, and the client remembers which URL last answered. Errors come back as {@link SluiceException} with
 * the coordinator's error code.
 *
 * <p>Calls block the calling thread (run them on a virtual thread or a blocking scheduler, never an event loop).
 * Thread-safe.
 */
public final class CoordinatorClient implements AutoCloseable {

    private final List<URI> urls;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final JsonMapper json = SluiceJson.mapper();
    private volatile int preferred;

    public CoordinatorClient(List<URI> urls, Duration requestTimeout) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one coordinator URL is needed");
        }
        this.urls = List.copyOf(urls);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public List<URI> urls() {
        return urls;
    }

    public <T> T get(String path, Class<T> responseType) {
        return call("GET", path, null, responseType, requestTimeout);
    }

    /** A GET that may legitimately take up to {@code timeout} (a long poll). */
    public <T> T get(String path, Class<T> responseType, Duration timeout) {
        return call("GET", path, null, responseType, timeout);
    }

    public <T> T post(String path, Object body, Class<T> responseType) {
        return call("POST", path, body, responseType, requestTimeout);
    }

    public <T> T patch(String path, Object body, Class<T> responseType) {
        return call("PATCH", path, body, responseType, requestTimeout);
    }

    public void delete(String path) {
        call("DELETE", path, null, Void.class, requestTimeout);
    }

    private <T> T call(String method, String path, Object body, Class<T> responseType, Duration timeout) {
        byte[] payload = body == null ? null : json.writeValueAsBytes(body);
        SluiceException last = null;
        int start = preferred;
        for (int attempt = 0; attempt < urls.size(); attempt++) {
            int index = (start + attempt) % urls.size();
            HttpRequest.Builder request = HttpRequest.newBuilder(urls.get(index).resolve(path))
                    .timeout(timeout)
                    .header("Accept", "application/json");
            if (payload != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                last = new SluiceException(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                        "Coordinator at " + urls.get(index) + " did not answer: " + e, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SluiceException(ErrorCode.REQUEST_TIMED_OUT, "Interrupted while calling the coordinator", e);
            }
            if (response.statusCode() < 300) {
                preferred = index;
                return decode(response.body(), responseType);
            }
            SluiceException error = problem(response);
            if (error.errorCode() == ErrorCode.NOT_ACTIVE_COORDINATOR
                    || error.errorCode() == ErrorCode.COORDINATOR_NOT_AVAILABLE) {
                last = error;
                continue;
            }
            preferred = index;
            throw error;
        }
        throw last;
    }

    private <T> T decode(byte[] body, Class<T> type) {
        if (type == Void.class || body.length == 0) {
            return null;
        }
        try {
            return json.readValue(body, type);
        } catch (JacksonException e) {
            throw new SluiceException(ErrorCode.UNKNOWN_SERVER_ERROR, "Coordinator answered with unreadable JSON: " + e, e);
        }
    }

    private SluiceException problem(HttpResponse<byte[]> response) {
        try {
            return json.readValue(response.body(), Problem.class).toException();
        } catch (JacksonException e) {
            return new SluiceException(ErrorCode.UNKNOWN_SERVER_ERROR,
                    "Coordinator answered HTTP " + response.statusCode() + " without a problem body");
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
