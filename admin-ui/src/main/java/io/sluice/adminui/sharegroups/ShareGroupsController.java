package io.sluice.adminui.sharegroups;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayViews.ShareResetPlan;
import io.sluice.adminui.web.ResetFields.BadReset;
import io.sluice.adminui.web.Notices;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;

/**
 * Share groups (queues): the list (share-partitions, records in flight and acquired), a share group's start offsets,
 * lag and records by state per share-partition with the members holding records, start-offset resets (previewed
 * first), and deleting a share group. The gateway refuses a reset or delete while records are acquired; its problem is
 * shown on the form.
 */
@Controller
class ShareGroupsController {

    private final GatewayClient gateway;

    ShareGroupsController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/share-groups")
    Mono<String> list(Model model) {
        return gateway.shareGroups().map(list -> {
            model.addAttribute("groups", list.shareGroups());
            return "share-groups";
        });
    }

    @GetMapping("/share-groups/{group}")
    Mono<String> group(@PathVariable String group, Model model) {
        return page(group, ShareResetForm.empty(), null, null, model);
    }

    /** Preview (dry run) shows the plan and changes nothing; apply moves the start offsets and shows what it did. */
    @PostMapping("/share-groups/{group}/reset")
    Mono<String> reset(@PathVariable String group, @ModelAttribute ShareResetForm form, Model model,
                       ServerHttpResponse response) {
        return Mono.fromCallable(form::request)
                .flatMap(request -> gateway.resetShareGroup(group, request))
                .flatMap(plan -> page(group, form, plan, null, model))
                .onErrorResume(e -> e instanceof BadReset || e instanceof GatewayProblem, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    String message = e instanceof GatewayProblem p ? message(p) : e.getMessage();
                    return page(group, form, null, message, model);
                });
    }

    /** Deletes the share group once its id is typed to confirm; the gateway refuses while records are acquired. */
    @PostMapping("/share-groups/{group}/delete")
    Mono<String> delete(@PathVariable String group, @ModelAttribute DeleteForm form, Model model,
                        ServerHttpResponse response) {
        if (form.confirm() == null || !form.confirm().strip().equals(group)) {
            return refused(group, "Type the share group's id, " + group + ", to confirm; nothing was deleted", model,
                    response);
        }
        return gateway.deleteShareGroup(group)
                .thenReturn(Notices.redirect("/share-groups", "Deleted share group " + group))
                .onErrorResume(GatewayProblem.class, e -> refused(group, message(e), model, response));
    }

    record DeleteForm(String confirm) {
    }

    private Mono<String> refused(String group, String error, Model model, ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        model.addAttribute("errorForm", "delete");
        return page(group, ShareResetForm.empty(), null, error, model);
    }

    private static String message(GatewayProblem problem) {
        return problem.detail() + " (" + problem.errorCode() + ")";
    }

    private Mono<String> page(String group, ShareResetForm form, ShareResetPlan plan, String error, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("plan", plan);
        model.addAttribute("error", error);
        if (!model.containsAttribute("errorForm")) {
            model.addAttribute("errorForm", error == null ? null : "reset");
        }
        return gateway.shareGroup(group).map(view -> {
            model.addAttribute("group", view);
            return "share-group";
        });
    }
}
