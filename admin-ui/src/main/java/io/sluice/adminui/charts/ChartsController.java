package io.sluice.adminui.charts;

import io.sluice.adminui.AdminUiProperties;
import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayViews.History;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The history the pages' charts draw, as JSON for the page's script ({@code static/js/charts.js}): the gateway's
 * history routes passed on for the signed-in user, so the browser talks to the console only. A refusal comes back
 * with the gateway's status (5xx as 502) and its problem's code and detail, which the chart shows in its place.
 */
@RestController
class ChartsController {

    private final GatewayClient gateway;

    ChartsController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/charts/topics/{topic}")
    Mono<ResponseEntity<Object>> topic(@PathVariable String topic) {
        return answer(gateway.topicHistory(topic));
    }

    @GetMapping("/charts/groups/{group}")
    Mono<ResponseEntity<Object>> group(@PathVariable String group) {
        return answer(gateway.groupHistory(group));
    }

    @GetMapping("/charts/share-groups/{group}")
    Mono<ResponseEntity<Object>> shareGroup(@PathVariable String group) {
        return answer(gateway.shareGroupHistory(group));
    }

    @GetMapping("/charts/cluster")
    Mono<ResponseEntity<Object>> cluster() {
        return answer(gateway.clusterHistory());
    }

    private static Mono<ResponseEntity<Object>> answer(Mono<History> history) {
        return history.map(found -> ResponseEntity.ok().<Object>body(found))
                .onErrorResume(GatewayProblem.class, problem -> {
                    HttpStatus status = HttpStatus.resolve(problem.status());
                    return Mono.just(ResponseEntity.status(status != null && status.is4xxClientError() ? status
                            : HttpStatus.BAD_GATEWAY).body(new Refusal(problem.errorCode(), problem.detail())));
                });
    }

    /** Why there is no history to draw. */
    record Refusal(String errorCode, String detail) {
    }

    /** Every page's charts ask again this often ({@code sluice.admin-ui.chart-refresh}). */
    @ControllerAdvice
    static class RefreshAdvice {

        private final long refreshMs;

        RefreshAdvice(AdminUiProperties properties) {
            this.refreshMs = properties.chartRefresh().toMillis();
        }

        @ModelAttribute("chartRefreshMs")
        long chartRefreshMs() {
            return refreshMs;
        }
    }
}
