package io.sluice.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Asks services over loopback HTTP (JDK {@link HttpClient}) whether they are ready, and fetches small JSON documents
 * for {@code status}. Every call is bounded by the probe timeout, so a paused (SIGSTOP) process, whose kernel still
 * accepts connections, reads as {@link Readiness#NO_ANSWER} instead of hanging the caller. Thread-safe.
 */
final class HealthProbe {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;
    private final Duration timeout;

    HealthProbe(Duration timeout) {
        this(timeout, Optional.empty());
    }

    /** @param tls for {@code https://} services: trusts their CA and presents a client certificate */
    HealthProbe(Duration timeout, Optional<SSLContext> tls) {
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder();
        tls.ifPresent(builder::sslContext);
        this.client = builder
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                // A standby coordinator answers 307 to the active one.
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    Readiness readiness(URI url) {
        try {
            HttpResponse<String> response = client.send(request(url), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"") ? Readiness.READY
                    : Readiness.NOT_READY;
        } catch (IOException e) {
            return Readiness.NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Readiness.NO_ANSWER;
        }
    }

    /** The body of a 200 answer, or empty on any other answer or none. */
    Optional<String> get(URI url) {
        try {
            HttpResponse<String> response = client.send(request(url), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpRequest request(URI url) {
        return HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build();
    }
}
