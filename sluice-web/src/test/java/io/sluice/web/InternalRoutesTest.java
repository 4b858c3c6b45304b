package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Internal routes served by Reactor Netty directly, on a real server over loopback: who is let in, what bodies are
 * refused before the handler runs, and how failures are answered.
 */
class InternalRoutesTest {

    private static final String TYPE = "application/vnd.sluice.test";
    private static final String SECRET = "the-cluster-secret-of-this-test";
    private static final int LIMIT = 64;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private DisposableServer server;

    @AfterEach
    void stop() {
        client.shutdownNow();
        if (server != null) {
            server.disposeNow();
        }
    }

    @Test
    void theHandlerGetsTheWholeBodyAndWritesTheAnswer() throws Exception {
        serve(ClusterAdmission.open());

        HttpResponse<String> answer = post("/internal/echo", TYPE + "; charset=utf-8", "hello", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("echo:hello");
        assertThat(handled).containsExactly("hello");
    }

    @Test
    void aClosedPlaneAdmitsTheClusterSecretAndRefusesEveryoneElseBeforeTheHandler() throws Exception {
        serve(ClusterAdmission.closed(new ClusterSecurityProperties(true, SECRET), null));

        assertProblem(post("/internal/echo", TYPE, "a", null), ErrorCode.SASL_AUTHENTICATION_FAILED);
        assertProblem(post("/internal/echo", TYPE, "b", "a-guess"), ErrorCode.SASL_AUTHENTICATION_FAILED);
        assertThat(post("/internal/echo", TYPE, "c", SECRET).statusCode()).isEqualTo(200);

        assertThat(handled).containsExactly("c");
    }

    @Test
    void anotherContentTypeIsRefusedBeforeTheHandler() throws Exception {
        serve(ClusterAdmission.open());

        assertProblem(post("/internal/echo", "application/json", "{}", null), ErrorCode.UNSUPPORTED_MEDIA_TYPE);

        assertThat(handled).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIsRefusedByItsDeclaredLengthOrWhileItIsRead() throws Exception {
        serve(ClusterAdmission.open());
        String large = "x".repeat(LIMIT + 1);

        HttpResponse<String> declared = post("/internal/echo", TYPE, large, null);
        HttpResponse<String> chunked = client.send(request("/internal/echo", TYPE, null)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(large.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertProblem(declared, ErrorCode.REQUEST_TOO_LARGE);
        assertProblem(chunked, ErrorCode.REQUEST_TOO_LARGE);
        assertThat(handled).isEmpty();
        assertThat(post("/internal/echo", TYPE, "x".repeat(LIMIT), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aHandlersSluiceErrorIsItsProblemAndAnythingElseAnOpaque500() throws Exception {
        serve(ClusterAdmission.open());

        HttpResponse<String> notLeader = post("/internal/sluice-error", TYPE, "a", null);
        HttpResponse<String> unexpected = post("/internal/bug", TYPE, "a", null);

        assertProblem(notLeader, ErrorCode.NOT_LEADER);
        assertThat(json.readTree(notLeader.body()).get("detail").asString()).isEqualTo("node 2 leads it");
        assertProblem(unexpected, ErrorCode.UNKNOWN_SERVER_ERROR);
        assertThat(unexpected.body()).doesNotContain("secret internals");
    }

    private void serve(ClusterAdmission admission) {
        InternalRoutes routes = new InternalRoutes(admission, json);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r
                        .post("/internal/echo", routes.post(TYPE, LIMIT, (request, response, body) -> {
                            String text = StandardCharsets.UTF_8.decode(body).toString();
                            handled.add(text);
                            return response.sendString(Mono.just("echo:" + text)).then();
                        }))
                        .post("/internal/sluice-error", routes.post(TYPE, LIMIT, (request, response, body) ->
                                Mono.error(ErrorCode.NOT_LEADER.exception("node 2 leads it"))))
                        .post("/internal/bug", routes.post(TYPE, LIMIT, (request, response, body) -> {
                            throw new IllegalStateException("secret internals");
                        })))
                .bindNow();
    }

    private HttpResponse<String> post(String path, String type, String body, String secret) throws Exception {
        return client.send(request(path, type, secret).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String type, String secret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", type);
        if (secret != null) {
            request.header("Sluice-Cluster-Secret", secret);
        }
        return request;
    }

    private void assertProblem(HttpResponse<String> response, ErrorCode code) {
        assertThat(response.statusCode()).isEqualTo(code.httpStatus());
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("error_code").asString()).isEqualTo(code.name());
        assertThat(problem.get("retriable").asBoolean()).isEqualTo(code.retriable());
        if (code.httpStatus() == 503) {
            assertThat(response.headers().firstValue("retry-after")).hasValue(Problems.RETRY_AFTER_SECONDS);
        }
    }
}
