package io.sluice.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;

/**
 * A request a client gets wrong, and the problem it must get back: the HTTP status, the stable {@code error_code}
 * (not retriable) and a fragment of the detail that tells the client what to fix. {@code %s} in the path and body
 * stands for the topic the test sends it to; the path is sent exactly as written (already percent-encoded).
 *
 * @param contentType  null: no Content-Type header
 * @param body         null: no body
 * @param chunked      send the body without a Content-Length (its size is only found while reading)
 * @param lastEventId  a {@code Last-Event-ID} header, or null
 */
public record BadRequest(String name, HttpMethod method, String path, String accept, MediaType contentType,
                         byte[] body, boolean chunked, String lastEventId, int status, ErrorCode errorCode,
                         String detail) {

    public static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    public static BadRequest of(String name, HttpMethod method, String path) {
        return new BadRequest(name, method, path, MediaType.APPLICATION_JSON_VALUE, null, null, false, null, 0, null,
                null);
    }

    public static BadRequest get(String name, String path) {
        return of(name, HttpMethod.GET, path);
    }

    public static BadRequest post(String name, String path) {
        return of(name, HttpMethod.POST, path);
    }

    public BadRequest json(String text) {
        return body(MediaType.APPLICATION_JSON, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    public BadRequest ndjson(String text) {
        return body(NDJSON, text == null ? null : text.getBytes(StandardCharsets.UTF_8)).accepting(NDJSON.toString());
    }

    public BadRequest body(MediaType type, byte[] bytes) {
        return new BadRequest(name, method, path, accept, type, bytes, chunked, lastEventId, status, errorCode, detail);
    }

    public BadRequest accepting(String mediaType) {
        return new BadRequest(name, method, path, mediaType, contentType, body, chunked, lastEventId, status, errorCode,
                detail);
    }

    public BadRequest withoutContentLength() {
        return new BadRequest(name, method, path, accept, contentType, body, true, lastEventId, status, errorCode,
                detail);
    }

    public BadRequest withLastEventId(String id) {
        return new BadRequest(name, method, path, accept, contentType, body, chunked, id, status, errorCode, detail);
    }

    public BadRequest is(int expectedStatus, ErrorCode expectedCode, String detailFragment) {
        return new BadRequest(name, method, path, accept, contentType, body, chunked, lastEventId, expectedStatus,
                expectedCode, detailFragment);
    }

    /** Sends it to the gateway at {@code baseUrl} and checks the problem that comes back. */
    public void sendAndExpectProblem(WebTestClient client, String baseUrl, String topic) {
        WebTestClient.RequestBodySpec request = client.method(method)
                .uri(URI.create(baseUrl + path.replace("%s", topic)))
                .header("Accept", accept);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (contentType != null) {
            request.contentType(contentType);
        }
        WebTestClient.RequestHeadersSpec<?> ready = request;
        if (body != null) {
            byte[] bytes = new String(body, StandardCharsets.ISO_8859_1).contains("%s")
                    ? new String(body, StandardCharsets.UTF_8).replace("%s", topic).getBytes(StandardCharsets.UTF_8)
                    : body;
            ready = chunked
                    ? request.body(BodyInserters.fromDataBuffers(Flux.<DataBuffer>just(
                            DefaultDataBufferFactory.sharedInstance.wrap(bytes))))
                    : request.bodyValue(bytes);
        }
        ready.exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.error_code").isEqualTo(errorCode.name())
                .jsonPath("$.retriable").isEqualTo(false)
                .jsonPath("$.detail").value(String.class, text -> assertThat(text).as(name).contains(detail));
    }

    /**
     * Sends it to the gateway at {@code baseUrl} with {@code topic} as written (percent-encoded or not) and gives the
     * answer's status, Content-Type and body, for comparing two answers whole.
     */
    public String answer(HttpClient http, String baseUrl, String topic) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path.replace("%s", topic)))
                .timeout(Duration.ofSeconds(30)).header("Accept", accept);
        if (contentType != null) {
            request.header("Content-Type", contentType.toString());
        }
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        try {
            HttpResponse<String> response = http.send(request.method(method.name(), publisher).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + " "
                    + response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
