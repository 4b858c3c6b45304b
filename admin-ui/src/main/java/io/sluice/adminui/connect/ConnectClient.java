package io.sluice.adminui.connect;

import io.sluice.adminui.AdminUiProperties;
import io.sluice.adminui.AdminUiProperties.ConnectCluster;
import io.sluice.adminui.connect.ConnectViews.ConnectorInfo;
import io.sluice.adminui.connect.ConnectViews.ConnectorRow;
import io.sluice.adminui.connect.ConnectViews.ConnectorStatus;
import io.sluice.adminui.connect.ConnectViews.Expanded;
import io.sluice.adminui.connect.ConnectViews.Plugin;
import io.sluice.adminui.connect.ConnectViews.WorkerInfo;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The one client of Kafka Connect's REST API (Connect's own, not Sluice's): a method per call the console makes to the
 * configured Connect clusters ({@code sluice.admin-ui.connect.clusters}), each named by the name configured for it.
 * Every call is made with that cluster's configured credentials, whoever is signed in to the console. Every failure
 * comes out as a {@link ConnectProblem}: Connect's {@code {"error_code", "message"}} as answered, an unknown cluster
 * name (404), a timeout after {@link AdminUiProperties#requestTimeout}, or the worker not answering. Non-blocking; safe
 * from any thread.
 */
@Component
class ConnectClient {

    private static final ParameterizedTypeReference<Map<String, Expanded>> EXPANDED =
            new ParameterizedTypeReference<>() {
            };
    private static final ParameterizedTypeReference<List<Plugin>> PLUGINS = new ParameterizedTypeReference<>() {
    };

    private final Map<String, Worker> clusters = new LinkedHashMap<>();
    private final Duration timeout;

    /** A configured cluster and the client that calls it. */
    private record Worker(ConnectCluster cluster, WebClient web) {
    }

    /** {@code POST /connectors}'s body. */
    private record NewConnector(String name, Map<String, String> config) {
    }

    ConnectClient(WebClient.Builder builder, AdminUiProperties properties) {
        this.timeout = properties.requestTimeout();
        for (ConnectCluster cluster : properties.connect().clusters()) {
            WebClient.Builder web = builder.clone().baseUrl(cluster.url().toString());
            if (StringUtils.hasText(cluster.username())) {
                web.defaultHeaders(headers -> headers.setBasicAuth(cluster.username(),
                        cluster.password() == null ? "" : cluster.password()));
            }
            if (clusters.put(cluster.name(), new Worker(cluster, web.build())) != null) {
                throw new IllegalStateException("Two Connect clusters are named " + cluster.name()
                        + " (sluice.admin-ui.connect.clusters): each needs a name of its own");
            }
        }
    }

    /** The configured clusters, in the order of the configuration. */
    List<ConnectCluster> clusters() {
        return clusters.values().stream().map(Worker::cluster).toList();
    }

    /** Whether a cluster of this name is configured. */
    boolean has(String cluster) {
        return clusters.containsKey(cluster);
    }

    /** {@code GET /}: the worker's version; tells whether the cluster answers at all. */
    Mono<WorkerInfo> workerInfo(String cluster) {
        return call(cluster, web -> web.get().uri("/"), WorkerInfo.class);
    }

    /** Every connector with its status and config, in one call ({@code ?expand=status&expand=info}), by name. */
    Mono<List<ConnectorRow>> connectors(String cluster) {
        return call(cluster, web -> web.get().uri("/connectors?expand=status&expand=info"), EXPANDED)
                .map(found -> found.entrySet().stream().map(e -> ConnectorRow.of(e.getKey(), e.getValue()))
                        .sorted(Comparator.comparing(ConnectorRow::name)).toList());
    }

    /** A connector's config and type; 404 for an unknown connector. */
    Mono<ConnectorInfo> connector(String cluster, String name) {
        return call(cluster, web -> web.get().uri("/connectors/{name}", name), ConnectorInfo.class);
    }

    /** A connector's state and its tasks' states, with the worker's trace of those that failed. */
    Mono<ConnectorStatus> status(String cluster, String name) {
        return call(cluster, web -> web.get().uri("/connectors/{name}/status", name), ConnectorStatus.class);
    }

    /** The connector classes the workers have. */
    Mono<List<Plugin>> plugins(String cluster) {
        return call(cluster, web -> web.get().uri("/connector-plugins"), PLUGINS);
    }

    /**
     * Creates a connector; Connect validates its config first and refuses a bad one (400 with its errors), a name
     * already taken (409).
     */
    Mono<ConnectorInfo> create(String cluster, String name, Map<String, String> config) {
        return call(cluster, web -> web.post().uri("/connectors")
                .bodyValue(new NewConnector(name, config)), ConnectorInfo.class);
    }

    /** Replaces a connector's config (validated as on create); its tasks are reconfigured. */
    Mono<Void> updateConfig(String cluster, String name, Map<String, String> config) {
        return call(cluster, web -> web.put().uri("/connectors/{name}/config", name).bodyValue(config), Void.class);
    }

    /** Pauses the connector and its tasks (PAUSED); they keep their resources. */
    Mono<Void> pause(String cluster, String name) {
        return call(cluster, web -> web.put().uri("/connectors/{name}/pause", name), Void.class);
    }

    /** Resumes a paused or stopped connector. */
    Mono<Void> resume(String cluster, String name) {
        return call(cluster, web -> web.put().uri("/connectors/{name}/resume", name), Void.class);
    }

    /** Stops the connector and shuts its tasks down (STOPPED, Connect 3.5 and later). */
    Mono<Void> stop(String cluster, String name) {
        return call(cluster, web -> web.put().uri("/connectors/{name}/stop", name), Void.class);
    }

    /**
     * Restarts the connector; with {@code includeTasks} its tasks too, with {@code onlyFailed} only the instances
     * that failed (Connect 3.0 and later, KIP-745).
     */
    Mono<Void> restart(String cluster, String name, boolean includeTasks, boolean onlyFailed) {
        return call(cluster, web -> web.post().uri(uri -> uri.path("/connectors/{name}/restart")
                .queryParam("includeTasks", includeTasks).queryParam("onlyFailed", onlyFailed).build(name)),
                Void.class);
    }

    Mono<Void> restartTask(String cluster, String name, int task) {
        return call(cluster, web -> web.post().uri("/connectors/{name}/tasks/{task}/restart", name, task),
                Void.class);
    }

    Mono<Void> delete(String cluster, String name) {
        return call(cluster, web -> web.delete().uri("/connectors/{name}", name), Void.class);
    }

    private <T> Mono<T> call(String cluster, Function<WebClient, WebClient.RequestHeadersSpec<?>> request,
                             Class<T> type) {
        return worker(cluster).flatMap(worker -> answer(worker, retrieve(request.apply(worker.web()))
                .bodyToMono(type)));
    }

    private <T> Mono<T> call(String cluster, Function<WebClient, WebClient.RequestHeadersSpec<?>> request,
                             ParameterizedTypeReference<T> type) {
        return worker(cluster).flatMap(worker -> answer(worker, retrieve(request.apply(worker.web()))
                .bodyToMono(type)));
    }

    private Mono<Worker> worker(String cluster) {
        Worker worker = clusters.get(cluster);
        return worker == null ? Mono.error(ConnectProblem.unknownCluster(cluster)) : Mono.just(worker);
    }

    private static WebClient.ResponseSpec retrieve(WebClient.RequestHeadersSpec<?> request) {
        return request.accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .onStatus(HttpStatusCode::isError, ConnectClient::problem);
    }

    /** An answer bounded by the request timeout, with transport failures made problems. */
    private <T> Mono<T> answer(Worker worker, Mono<T> body) {
        return body
                .timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new ConnectProblem(0, "REQUEST_TIMED_OUT",
                        "Connect cluster " + worker.cluster().name() + " did not answer within " + timeout.toMillis()
                                + " ms"))
                .onErrorMap(WebClientRequestException.class, e -> ConnectProblem.unreachable(worker.cluster().name(),
                        worker.cluster().url().toString(), e));
    }

    /** Connect's {@code {"error_code": 409, "message": "..."}}, or for any other error body one naming the status. */
    private static Mono<ConnectProblem> problem(ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(JsonNode.class)
                .filter(body -> body.hasNonNull("message"))
                .map(body -> new ConnectProblem(status, body.path("error_code").asString(Integer.toString(status)),
                        body.get("message").asString()))
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(new ConnectProblem(status, Integer.toString(status),
                        "Connect answered " + status + " with no error message"));
    }
}
