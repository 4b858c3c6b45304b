package io.sluice.adminui.groups;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayViews.ResetPlan;
import io.sluice.adminui.groups.ResetForm.BadReset;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;

/** Consumer groups: the list (state, members, lag), a group's lag per partition and members, offset resets. */
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
                    String message = e instanceof GatewayProblem p ? p.detail() + " (" + p.errorCode() + ")"
                            : e.getMessage();
                    return page(group, form, null, message, model);
                });
    }

    private Mono<String> page(String group, ResetForm form, ResetPlan plan, String error, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("plan", plan);
        model.addAttribute("error", error);
        return gateway.group(group).map(view -> {
            model.addAttribute("group", view);
            return "group";
        });
    }
}
