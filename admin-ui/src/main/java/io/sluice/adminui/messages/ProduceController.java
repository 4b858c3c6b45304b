package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayRequests.ProduceRequest;
import io.sluice.adminui.gateway.GatewayViews.ProduceResult;
import io.sluice.adminui.messages.ProduceForm.BadRecord;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Produce one record with {@code acks=all}; the page shows where it was written, or why it was not. */
@Controller
class ProduceController {

    private final GatewayClient gateway;
    private final JsonMapper json;

    ProduceController(GatewayClient gateway, JsonMapper json) {
        this.gateway = gateway;
        this.json = json;
    }

    @GetMapping("/topics/{topic}/produce")
    Mono<String> form(@PathVariable String topic, Model model) {
        return page(topic, ProduceForm.empty(), null, null, model);
    }

    @PostMapping("/topics/{topic}/produce")
    Mono<String> produce(@PathVariable String topic, @ModelAttribute ProduceForm form, Model model,
                         ServerHttpResponse response) {
        return Mono.fromCallable(() -> new ProduceRequest(form.keyFormatOrDefault(), form.valueFormatOrDefault(),
                        List.of(form.record(json))))
                .flatMap(request -> gateway.produce(topic, request))
                .flatMap(results -> {
                    ProduceResult result = results.results().getFirst();
                    if (!result.written()) {
                        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                        return page(topic, form, null, result.detail() + " (" + result.errorCode() + ")", model);
                    }
                    return page(topic, form, result, null, model);
                })
                .onErrorResume(e -> e instanceof BadRecord || e instanceof GatewayProblem, e -> {
                    response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                    String message = e instanceof GatewayProblem p ? p.detail() + " (" + p.errorCode() + ")"
                            : e.getMessage();
                    return page(topic, form, null, message, model);
                });
    }

    private Mono<String> page(String topic, ProduceForm form, ProduceResult result, String error, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("result", result);
        model.addAttribute("error", error);
        return gateway.topic(topic).map(view -> {
            model.addAttribute("topic", view);
            return "produce";
        });
    }
}
