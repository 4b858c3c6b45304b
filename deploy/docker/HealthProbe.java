import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The images' HEALTHCHECK: the Eclipse Temurin JRE image has no curl, so this asks a service's own health endpoint
 * and exits 0 when it answers 200, 1 otherwise (unreachable, slow, or a health status other than UP). The port is the
 * management port ({@code MANAGEMENT_SERVER_PORT}), else the HTTP port ({@code SERVER_PORT}); the path is the first
 * argument, {@code /actuator/health/readiness} when none is given. Compiled into the image by the Dockerfile.
 */
public final class HealthProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    public static void main(String[] args) {
        String path = args.length > 0 ? args[0] : "/actuator/health/readiness";
        String port = firstSet(System.getenv("MANAGEMENT_SERVER_PORT"), System.getenv("SERVER_PORT"));
        if (port == null) {
            System.err.println("HealthProbe: neither MANAGEMENT_SERVER_PORT nor SERVER_PORT is set");
            System.exit(1);
        }
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                System.err.println("HealthProbe: " + uri + " answered " + response.statusCode() + ": "
                        + response.body());
                System.exit(1);
            }
        } catch (Exception e) {
            System.err.println("HealthProbe: " + uri + " failed: " + e);
            System.exit(1);
        }
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
