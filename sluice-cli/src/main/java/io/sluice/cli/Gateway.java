package io.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's public API v1 as the CLI calls it, over the JDK's HTTP client: JSON in, JSON out, streams (SSE,
 * NDJSON) as input streams. A call that is not answered 2xx throws a {@link GatewayException} carrying the
 * {@link Problem}; a call that gets no answer throws one without. One instance per command run; not shared between
 * threads except for {@link #send} from a shutdown hook.
 */
final class Gateway {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Longer than any wait the API takes (wait_ms ≤ 30 s, timeout_ms ≤ 300 s is the caller's choice). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(330);

    private final HttpClient http;
    private final Connection connection;

    Gateway(Connection connection) {
        this.connection = connection;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1);
        connection.caFile().ifPresent(ca -> builder.sslContext(trusting(ca)));
        this.http = builder.build();
    }

    URI url() {
        return connection.url();
    }

    JsonNode get(String path, Query query) {
        return send("GET", path, query, null);
    }

    /** A call with a JSON body (or none, when {@code body} is null); the answer's JSON, or null for 204. */
    JsonNode send(String method, String path, Query query, Object body) {
        return send(method, path, query, body, null);
    }

    /** As {@link #send(String, String, Query, Object)}, with an {@code Idempotency-Key} header when not null. */
    JsonNode send(String method, String path, Query query, Object body, String idempotencyKey) {
        HttpRequest.Builder request = request(path, query).header("Accept", "application/json");
        if (body == null) {
            request.method(method, BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<byte[]> response = exchange(request.build(), BodyHandlers.ofByteArray());
        String text = new String(response.body(), StandardCharsets.UTF_8);
        JsonNode json = parse(text);
        if (response.statusCode() / 100 != 2) {
            throw GatewayException.answered(Problem.of(response.statusCode(), json, text));
        }
        return json;
    }

    /**
     * A streamed call: GET with {@code accept} (text/event-stream), or a POST of {@code body} with
     * {@code contentType}. Answers the open body of a 2xx answer; the caller closes it.
     */
    InputStream stream(String method, String path, Query query, String accept, String contentType, BodyPublisher body) {
        HttpRequest.Builder request = request(path, query).timeout(Duration.ofDays(365)).header("Accept", accept);
        if (body == null) {
            request.method(method, BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, body);
        }
        HttpResponse<InputStream> response = exchange(request.build(), BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            String text;
            try (InputStream in = response.body()) {
                text = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            throw GatewayException.answered(Problem.of(response.statusCode(), parse(text), text));
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path, Query query) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connection.url() + path + query))
                .timeout(REQUEST_TIMEOUT)
                .header("User-Agent", "sluice-cli");
        connection.authorization().ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw GatewayException.unreachable("Cannot reach the gateway at " + connection.url()
                    + " (connection refused): is it running? (bin/sluice status; --url to name another)", e);
        } catch (SSLException e) {
            throw GatewayException.unreachable("TLS with " + connection.url() + " failed: " + e.getMessage()
                    + " (--ca-file names the CA to trust)", e);
        } catch (IOException e) {
            throw GatewayException.unreachable("No answer from " + connection.url() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unreachable("Interrupted while calling " + connection.url(), e);
        }
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** An SSL context that trusts exactly the certificates of a PEM file, as {@code curl --cacert} does. */
    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("Cannot use " + caFile + " as a CA file: no certificate in it");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use " + caFile + " as a CA file: " + e.getMessage());
        }
    }
}
