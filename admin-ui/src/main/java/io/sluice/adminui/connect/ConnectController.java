package io.sluice.adminui.connect;

import io.sluice.adminui.AdminUiProperties.ConnectCluster;
import io.sluice.adminui.connect.ConnectViews.ConnectorRow;
import io.sluice.adminui.connect.ConnectViews.ConnectorStatus;
import io.sluice.adminui.connect.ConnectViews.Plugin;
import io.sluice.adminui.connect.ConnectorJson.BadJson;
import io.sluice.adminui.connect.ConnectorJson.NewConnector;
import io.sluice.adminui.web.Notices;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Kafka Connect clusters the console is configured with (docs/admin-ui.md#connect): each cluster, whether it
 * answers, and its connectors with their states; a connector's config and tasks with the worker's trace of those that
 * failed, and what may be done to it (pause, resume, stop, restart it or one task, edit its config, delete it); a
 * connector created from its JSON. Everything goes through {@link ConnectClient}. Forms that worked redirect with a
 * notice; a refusal (Connect's message, or JSON the console could not read) is shown next to the form with status
 * 422, keeping what was typed. A page that cannot be built shows Connect's problem in place of the page: Connect is not
 * the gateway, so these pages render its problems themselves (404 stays 404, anything else is 502).
 */
@Controller
class ConnectController {

    private final ConnectClient connect;

    ConnectController(ConnectClient connect) {
        this.connect = connect;
    }

    /** A configured cluster as the Connect page shows it: its version and connectors, or the problem it gave. */
    record ClusterView(String name, String url, String version, List<ConnectorRow> connectors, String problem) {
    }

    /** The create form: the connector's name (or none, when the JSON names it) and its JSON. */
    record CreateForm(String name, String json) {

        static CreateForm empty() {
            return new CreateForm("", "");
        }
    }

    /** The edit form: the config as JSON. */
    record ConfigForm(String json) {
    }

    /** The restart form: which instances to restart with the connector. */
    record RestartForm(String includeTasks, String onlyFailed) {
    }

    /** The delete form: the connector's name typed to confirm. */
    record DeleteForm(String confirm) {
    }

    @GetMapping("/connect")
    Mono<String> clusters(Model model) {
        return Flux.fromIterable(connect.clusters())
                .flatMapSequential(this::clusterView)
                .collectList()
                .map(clusters -> {
                    model.addAttribute("clusters", clusters);
                    return "connect";
                });
    }

    @GetMapping("/connect/{cluster}/connectors/{name}")
    Mono<String> connector(@PathVariable String cluster, @PathVariable String name, Model model,
                           ServerHttpResponse response) {
        return connectorPage(cluster, name, null, null, null, model, response);
    }

    @GetMapping("/connect/{cluster}/new")
    Mono<String> createForm(@PathVariable String cluster, Model model, ServerHttpResponse response) {
        return createPage(cluster, CreateForm.empty(), null, model, response);
    }

    @PostMapping("/connect/{cluster}/connectors")
    Mono<String> create(@PathVariable String cluster, @ModelAttribute CreateForm form, Model model,
                        ServerHttpResponse response) {
        return Mono.fromCallable(() -> ConnectorJson.connector(form.name(), form.json()))
                .flatMap(typed -> connect.create(cluster, typed.name(), typed.config()).thenReturn(typed))
                .map(NewConnector::name)
                .map(name -> Notices.redirect(connectorPath(cluster, name), "Created connector " + name))
                .onErrorResume(e -> e instanceof BadJson || e instanceof ConnectProblem, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    return createPage(cluster, form, message(e), model, response);
                });
    }

    @PostMapping("/connect/{cluster}/connectors/{name}/pause")
    Mono<String> pause(@PathVariable String cluster, @PathVariable String name, Model model,
                       ServerHttpResponse response) {
        return act(cluster, name, "state", connect.pause(cluster, name), "Pausing " + name, model, response);
    }

    @PostMapping("/connect/{cluster}/connectors/{name}/resume")
    Mono<String> resume(@PathVariable String cluster, @PathVariable String name, Model model,
                        ServerHttpResponse response) {
        return act(cluster, name, "state", connect.resume(cluster, name), "Resuming " + name, model, response);
    }

    @PostMapping("/connect/{cluster}/connectors/{name}/stop")
    Mono<String> stop(@PathVariable String cluster, @PathVariable String name, Model model,
                      ServerHttpResponse response) {
        return act(cluster, name, "state", connect.stop(cluster, name), "Stopping " + name, model, response);
    }

    @PostMapping("/connect/{cluster}/connectors/{name}/restart")
    Mono<String> restart(@PathVariable String cluster, @PathVariable String name, @ModelAttribute RestartForm form,
                         Model model, ServerHttpResponse response) {
        boolean includeTasks = form.includeTasks() != null;
        boolean onlyFailed = form.onlyFailed() != null;
        return act(cluster, name, "restart", connect.restart(cluster, name, includeTasks, onlyFailed),
                "Restarting " + name + (includeTasks ? " and its" + (onlyFailed ? " failed" : "") + " tasks"
                        : onlyFailed ? " if it failed" : ""), model, response);
    }

    @PostMapping("/connect/{cluster}/connectors/{name}/tasks/{task}/restart")
    Mono<String> restartTask(@PathVariable String cluster, @PathVariable String name, @PathVariable int task,
                             Model model, ServerHttpResponse response) {
        return act(cluster, name, "tasks", connect.restartTask(cluster, name, task),
                "Restarting task " + task + " of " + name, model, response);
    }

    @PostMapping("/connect/{cluster}/connectors/{name}/config")
    Mono<String> updateConfig(@PathVariable String cluster, @PathVariable String name, @ModelAttribute ConfigForm form,
                              Model model, ServerHttpResponse response) {
        return Mono.fromCallable(() -> ConnectorJson.config(form.json()))
                .flatMap(config -> connect.updateConfig(cluster, name, config))
                .thenReturn(Notices.redirect(connectorPath(cluster, name), "Updated the config of " + name))
                .onErrorResume(e -> e instanceof BadJson || e instanceof ConnectProblem,
                        e -> refused(cluster, name, "config", e, form.json(), model, response));
    }

    @PostMapping("/connect/{cluster}/connectors/{name}/delete")
    Mono<String> delete(@PathVariable String cluster, @PathVariable String name, @ModelAttribute DeleteForm form,
                        Model model, ServerHttpResponse response) {
        if (form.confirm() == null || !form.confirm().strip().equals(name)) {
            return refused(cluster, name, "delete", new BadJson("Type the connector's name, " + name
                    + ", to confirm; nothing was deleted"), null, model, response);
        }
        return connect.delete(cluster, name)
                .thenReturn(Notices.redirect("/connect", "Deleted connector " + name + " of " + cluster))
                .onErrorResume(ConnectProblem.class, e -> refused(cluster, name, "delete", e, null, model, response));
    }

    private Mono<ClusterView> clusterView(ConnectCluster cluster) {
        String name = cluster.name();
        String url = cluster.url().toString();
        return Mono.zip(connect.workerInfo(name), connect.connectors(name))
                .map(found -> new ClusterView(name, url, found.getT1().version(), found.getT2(), null))
                .onErrorResume(ConnectProblem.class, e -> Mono.just(new ClusterView(name, url, null, List.of(),
                        e.message())));
    }

    private Mono<String> act(String cluster, String name, String form, Mono<Void> action, String done, Model model,
                             ServerHttpResponse response) {
        return action.thenReturn(Notices.redirect(connectorPath(cluster, name), done))
                .onErrorResume(ConnectProblem.class, e -> refused(cluster, name, form, e, null, model, response));
    }

    private Mono<String> refused(String cluster, String name, String form, Throwable e, String typedConfig,
                                 Model model, ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        return connectorPage(cluster, name, form, message(e), typedConfig, model, response);
    }

    /**
     * A connector's page; {@code errorForm} names the form whose refusal {@code error} is, and {@code typedConfig}
     * the config as typed into the edit form (else the connector's own).
     */
    private Mono<String> connectorPage(String cluster, String name, String errorForm, String error,
                                       String typedConfig, Model model, ServerHttpResponse response) {
        model.addAttribute("cluster", cluster);
        model.addAttribute("errorForm", errorForm);
        model.addAttribute("error", error);
        Mono<ConnectorStatus> status = connect.status(cluster, name)
                .onErrorResume(ConnectProblem.class, e -> e.status() == 404 && connect.has(cluster)
                        ? Mono.just(ConnectorStatus.notReported(name)) : Mono.error(e));
        return Mono.zip(connect.connector(cluster, name), status).map(found -> {
            model.addAttribute("info", found.getT1());
            model.addAttribute("status", found.getT2());
            model.addAttribute("configJson", typedConfig != null ? typedConfig
                    : ConnectorJson.pretty(found.getT1().config()));
            return "connector";
        }).onErrorResume(ConnectProblem.class, e -> problemPage(e, model, response));
    }

    private Mono<String> createPage(String cluster, CreateForm form, String error, Model model,
                                    ServerHttpResponse response) {
        model.addAttribute("cluster", cluster);
        model.addAttribute("form", form);
        model.addAttribute("error", error);
        if (!connect.has(cluster)) {
            return problemPage(ConnectProblem.unknownCluster(cluster), model, response);
        }
        // The plugins only help fill in the form: without them it still shows (and says so).
        return connect.plugins(cluster)
                .onErrorResume(ConnectProblem.class, e -> {
                    model.addAttribute("pluginsProblem", e.message());
                    return Mono.just(List.<Plugin>of());
                })
                .map(plugins -> {
                    model.addAttribute("plugins", plugins);
                    return "connector-new";
                });
    }

    /** Connect's problem in place of the page, as the gateway's are shown (error.html). */
    private static Mono<String> problemPage(ConnectProblem problem, Model model, ServerHttpResponse response) {
        response.setStatusCode(problem.status() == 404 ? HttpStatus.NOT_FOUND : HttpStatus.BAD_GATEWAY);
        model.addAttribute("problem", problem);
        return Mono.just("error");
    }

    private static String message(Throwable e) {
        return e instanceof ConnectProblem problem ? problem.message() : e.getMessage();
    }

    static String connectorPath(String cluster, String name) {
        return "/connect/" + UriUtils.encodePathSegment(cluster, StandardCharsets.UTF_8) + "/connectors/"
                + UriUtils.encodePathSegment(name, StandardCharsets.UTF_8);
    }
}
