package io.sluice.adminui.web;

import io.sluice.adminui.gateway.GatewayProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one place a page that could not be built becomes an error page: the gateway's problem as its detail and code
 * (never a stack trace), with the gateway's status where it means something to the reader (404 stays 404), else 502.
 * Forms catch their own problems and show them next to the form instead. Also gives every page the one-line
 * {@code notice} a redirect after a form carried in its query string ({@link Notices}).
 */
@ControllerAdvice
class ProblemPages {

    @ModelAttribute("notice")
    String notice(ServerWebExchange exchange) {
        String notice = exchange.getRequest().getQueryParams().getFirst("notice");
        return notice == null ? "" : notice;
    }

    @ExceptionHandler(GatewayProblem.class)
    String gatewayProblem(GatewayProblem problem, Model model, ServerHttpResponse response) {
        HttpStatus status = HttpStatus.resolve(problem.status());
        response.setStatusCode(status != null && status.is4xxClientError() ? status : HttpStatus.BAD_GATEWAY);
        model.addAttribute("problem", problem);
        return "error";
    }
}
