package io.sluice.adminui.groups;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayViews.ResetPlan;
import io.sluice.adminui.web.ResetFields.BadReset;
import io.sluice.adminui.web.Notices;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * Consumer groups: the list (state, members, lag), a group's lag per partition and members, offset resets, and
 * deleting a group or its offsets of one topic.
 */
@Controller
class GroupsController {

    private final GatewayClient gateway;

    GroupsController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/groups")
    Mono<String> list(Model model) {
        return gateway.groups().map(list -> {
            model.addAttribute("groups", list.groups());
            return "groups";
        });
    }

    @GetMapping("/groups/{group}")
    Mono<String> group(@PathVariable String group, Model model) {
        return page(group, ResetForm.empty(), null, null, model);
    }

    /** Preview (dry run) shows the plan and changes nothing; apply moves the offsets and shows what it did. */
    @PostMapping("/groups/{group}/reset")
    Mono<String> reset(@PathVariable String group, @ModelAttribute ResetForm form, Model model,
                       ServerHttpResponse response) {
        return Mono.fromCallable(form::request)
                .flatMap(request -> gateway.resetOffsets(group, request))
                .flatMap(plan -> page(group, form, plan, null, model))
                .onErrorResume(e -> e instanceof BadReset || e instanceof GatewayProblem, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    String message = e instanceof GatewayProblem p ? message(p) : e.getMessage();
                    return page(group, form, null, message, model);
                });
    }

    /** Deletes the group once its id is typed to confirm; the gateway refuses while it has members. */
    @PostMapping("/groups/{group}/delete")
    Mono<String> delete(@PathVariable String group, @ModelAttribute DeleteForm form, Model model,
                        ServerHttpResponse response) {
        if (form.confirm() == null || !form.confirm().strip().equals(group)) {
            return refused(group, "delete", "Type the group's id, " + group + ", to confirm; nothing was deleted",
                    model, response);
        }
        return gateway.deleteGroup(group)
                .thenReturn(Notices.redirect("/groups", "Deleted group " + group))
                .onErrorResume(GatewayProblem.class, e -> refused(group, "delete", message(e), model, response));
    }

    /** Deletes the group's committed offsets of one topic (the gateway refuses while a member subscribes to it). */
    @PostMapping("/groups/{group}/offsets/delete")
    Mono<String> deleteOffsets(@PathVariable String group, @ModelAttribute OffsetsForm form, Model model,
                               ServerHttpResponse response) {
        String topic = form.topic() == null ? "" : form.topic().strip();
        return gateway.deleteGroupOffsets(group, topic)
                .thenReturn(Notices.redirect("/groups/" + UriUtils.encodePathSegment(group, StandardCharsets.UTF_8),
                        "Deleted the offsets of " + topic))
                .onErrorResume(GatewayProblem.class, e -> refused(group, "offsets", message(e), model, response));
    }

    record DeleteForm(String confirm) {
    }

    record OffsetsForm(String topic) {
    }

    private Mono<String> refused(String group, String errorForm, String error, Model model,
                                 ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        model.addAttribute("errorForm", errorForm);
        return page(group, ResetForm.empty(), null, error, model);
    }

    private static String message(GatewayProblem problem) {
        return problem.detail() + " (" + problem.errorCode() + ")";
    }

    private Mono<String> page(String group, ResetForm form, ResetPlan plan, String error, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("plan", plan);
        model.addAttribute("error", error);
        if (!model.containsAttribute("errorForm")) {
            model.addAttribute("errorForm", error == null ? null : "reset");
        }
        return gateway.group(group).map(view -> {
            model.addAttribute("group", view);
            return "group";
        });
    }
}
