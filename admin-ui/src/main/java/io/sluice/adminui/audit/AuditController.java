package io.sluice.adminui.audit;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayRequests.AuditFilter;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import reactor.core.publisher.Mono;

/**
 * The gateway's latest audit entries (admin actions and denials), for users with ALTER on the cluster; anyone else
 * sees the gateway's refusal, and with security off the gateway says nothing is audited.
 */
@Controller
class AuditController {

    static final int SHOWN = 200;

    private final GatewayClient gateway;

    AuditController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    /** The entries {@code filter} keeps (its fields from the query: principal, kind, outcome, resource). */
    @GetMapping("/audit")
    Mono<String> audit(@ModelAttribute("filter") AuditFilter filter, Model model) {
        return gateway.audit(SHOWN, filter).map(audit -> {
            model.addAttribute("entries", audit.entries());
            model.addAttribute("gatewayUrl", gateway.gatewayUrl());
            return "audit";
        });
    }
}
