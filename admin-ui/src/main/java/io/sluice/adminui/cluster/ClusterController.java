package io.sluice.adminui.cluster;

import io.sluice.adminui.gateway.GatewayClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import reactor.core.publisher.Mono;

/** The cluster as the public API shows it: nodes and their status, metadata version, partitions in trouble. */
@Controller
class ClusterController {

    private final GatewayClient gateway;

    ClusterController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/cluster")
    Mono<String> cluster(Model model) {
        return Mono.zip(gateway.cluster(), gateway.nodes()).map(both -> {
            model.addAttribute("cluster", both.getT1());
            model.addAttribute("nodes", both.getT2().nodes());
            model.addAttribute("gatewayUrl", gateway.gatewayUrl());
            return "cluster";
        });
    }
}
