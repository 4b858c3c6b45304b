package io.sluice.adminui.topics;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayViews.ConfigEntry;
import io.sluice.adminui.gateway.GatewayViews.ConfigList;
import io.sluice.adminui.gateway.GatewayRequests.ConfigValue;
import io.sluice.adminui.gateway.GatewayRequests.NewTopic;
import io.sluice.adminui.topics.TopicForms.ConfigForm;
import io.sluice.adminui.topics.TopicForms.DeleteForm;
import io.sluice.adminui.topics.TopicForms.FormError;
import io.sluice.adminui.topics.TopicForms.NewTopicForm;
import io.sluice.adminui.topics.TopicForms.PartitionsForm;
import io.sluice.adminui.web.Notices;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

/**
 * Topics: the list (filtered by name) with the create form, and a topic's page (partitions, configs) with its edit
 * forms. A form that worked redirects with a notice; one the gateway refused shows the page again with the problem's
 * detail next to the form and what was typed, and nothing changed.
 */
@Controller
class TopicsController {

    private final GatewayClient gateway;

    TopicsController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/topics")
    Mono<String> list(@RequestParam(required = false) String name, Model model) {
        return listPage(name, NewTopicForm.empty(), null, model);
    }

    @PostMapping("/topics")
    Mono<String> create(@ModelAttribute NewTopicForm form, Model model, ServerHttpResponse response) {
        return Mono.fromCallable(() -> new NewTopic(form.name() == null ? "" : form.name().strip(),
                        TopicForms.wholeNumber("Partitions", form.partitions()),
                        TopicForms.wholeNumber("Replication factor", form.replicationFactor()),
                        TopicForms.configLines(form.configs())))
                .flatMap(topic -> gateway.createTopic(topic)
                        .thenReturn(Notices.redirect("/topics/" + topic.name(), "Created topic " + topic.name())))
                .onErrorResume(e -> e instanceof FormError || e instanceof GatewayProblem, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    return listPage(null, form, message(e), model);
                });
    }

    @GetMapping("/topics/{topic}")
    Mono<String> topic(@PathVariable String topic, Model model) {
        return topicPage(topic, null, null, model);
    }

    @PostMapping("/topics/{topic}/configs")
    Mono<String> config(@PathVariable String topic, @ModelAttribute ConfigForm form, Model model,
                        ServerHttpResponse response) {
        String name = form.name() == null ? "" : form.name().strip();
        String value = form.reset() ? null : form.value() == null ? "" : form.value().strip();
        return gateway.updateConfigs(topic, List.of(new ConfigValue(name, value)))
                .thenReturn(Notices.redirect("/topics/" + topic,
                        form.reset() ? "Removed the override of " + name : "Set " + name + " = " + value))
                .onErrorResume(GatewayProblem.class, e -> refused(topic, "configs", e, model, response));
    }

    @PostMapping("/topics/{topic}/partitions")
    Mono<String> grow(@PathVariable String topic, @ModelAttribute PartitionsForm form, Model model,
                      ServerHttpResponse response) {
        return Mono.fromCallable(() -> TopicForms.wholeNumber("Partition count", form.partitionCount()))
                .flatMap(count -> gateway.growPartitions(topic, count)
                        .thenReturn(Notices.redirect("/topics/" + topic, "Now " + count + " partitions")))
                .onErrorResume(e -> e instanceof FormError || e instanceof GatewayProblem,
                        e -> refused(topic, "partitions", e, model, response));
    }

    @PostMapping("/topics/{topic}/delete")
    Mono<String> delete(@PathVariable String topic, @ModelAttribute DeleteForm form, Model model,
                        ServerHttpResponse response) {
        if (form.confirm() == null || !form.confirm().strip().equals(topic)) {
            return refused(topic, "delete", new FormError("Type the topic's name, " + topic
                    + ", to confirm; nothing was deleted"), model, response);
        }
        return gateway.deleteTopic(topic)
                .thenReturn(Notices.redirect("/topics", "Deleted topic " + topic))
                .onErrorResume(GatewayProblem.class, e -> refused(topic, "delete", e, model, response));
    }

    private Mono<String> listPage(String name, NewTopicForm form, String createError, Model model) {
        model.addAttribute("filter", name == null ? "" : name);
        model.addAttribute("form", form);
        model.addAttribute("createError", createError);
        // The defaults only inform the create form: without them the list still shows (and says so).
        Mono<List<ConfigEntry>> defaults = gateway.topicConfigDefaults().map(ConfigList::configs)
                .onErrorResume(GatewayProblem.class, e -> Mono.just(List.of()));
        return Mono.zip(gateway.topics(name), defaults).map(found -> {
            model.addAttribute("topics", found.getT1().topics());
            model.addAttribute("defaults", found.getT2());
            return "topics";
        });
    }

    private Mono<String> topicPage(String topic, String errorForm, String error, Model model) {
        model.addAttribute("errorForm", errorForm);
        model.addAttribute("error", error);
        return gateway.topic(topic).map(view -> {
            model.addAttribute("topic", view);
            return "topic";
        });
    }

    private Mono<String> refused(String topic, String errorForm, Throwable e, Model model,
                                 ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        return topicPage(topic, errorForm, message(e), model);
    }

    private static String message(Throwable e) {
        return e instanceof GatewayProblem problem ? problem.detail() + " (" + problem.errorCode() + ")"
                : e.getMessage();
    }
}
