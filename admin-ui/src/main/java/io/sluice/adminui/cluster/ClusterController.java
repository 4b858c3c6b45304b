package io.sluice.adminui.cluster;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import io.sluice.adminui.gateway.GatewayViews.Decommission;
import io.sluice.adminui.gateway.GatewayViews.Node;
import io.sluice.adminui.gateway.GatewayViews.Reassignment;
import io.sluice.adminui.web.Notices;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;

/**
 * The cluster as the public API shows it: nodes and their status, metadata version, partitions in trouble, how the
 * replicas spread over the nodes, and the partition moves and decommissions under way, each move with its replicas'
 * progress. A move can be cancelled and a node decommissioned (or its decommissioning lifted) from here; the gateway
 * decides, with the user's rights (ALTER on the cluster).
 */
@Controller
class ClusterController {

    private final GatewayClient gateway;

    ClusterController(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @GetMapping("/cluster")
    Mono<String> cluster(Model model) {
        return page(null, model);
    }

    /** Cancels a partition's move: it goes back to the replicas it had. */
    @PostMapping("/cluster/moves/{topic}/{partition}/cancel")
    Mono<String> cancelMove(@PathVariable String topic, @PathVariable int partition, Model model,
                            ServerHttpResponse response) {
        return gateway.cancelReassignment(topic, partition)
                .thenReturn(Notices.redirect("/cluster", "Cancelled the move of " + topic + "-" + partition))
                .onErrorResume(GatewayProblem.class, e -> refused(e, model, response));
    }

    /** Starts decommissioning a node: its leaderships and then its replicas move to other nodes. */
    @PostMapping("/cluster/nodes/{node}/decommission")
    Mono<String> decommission(@PathVariable int node, Model model, ServerHttpResponse response) {
        return gateway.decommission(node)
                .thenReturn(Notices.redirect("/cluster", "Decommissioning node " + node))
                .onErrorResume(GatewayProblem.class, e -> refused(e, model, response));
    }

    /** Lifts a node's decommissioning: it may take replicas again; moves already started go on. */
    @PostMapping("/cluster/nodes/{node}/decommission/cancel")
    Mono<String> cancelDecommission(@PathVariable int node, Model model, ServerHttpResponse response) {
        return gateway.cancelDecommission(node)
                .thenReturn(Notices.redirect("/cluster", "Node " + node + " is no longer being decommissioned"))
                .onErrorResume(GatewayProblem.class, e -> refused(e, model, response));
    }

    private Mono<String> refused(GatewayProblem problem, Model model, ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        return page(problem.detail() + " (" + problem.errorCode() + ")", model);
    }

    /**
     * The page; the moves and decommissions are listed only for a user who may describe the cluster, and a gateway
     * that refuses them leaves their sections saying why rather than failing the page.
     */
    private Mono<String> page(String error, Model model) {
        Mono<Listed<Reassignment>> moves = gateway.reassignments()
                .map(list -> Listed.of(list.reassignments()))
                .onErrorResume(GatewayProblem.class, e -> Mono.just(Listed.refused(e)));
        Mono<Listed<Decommission>> decommissions = gateway.decommissions()
                .map(list -> Listed.of(list.decommissions()))
                .onErrorResume(GatewayProblem.class, e -> Mono.just(Listed.refused(e)));
        return Mono.zip(gateway.cluster(), gateway.nodes(), moves, decommissions).map(all -> {
            List<Node> nodes = all.getT2().nodes();
            model.addAttribute("cluster", all.getT1());
            model.addAttribute("nodes", nodes);
            model.addAttribute("mostReplicas", Math.max(1, nodes.stream().mapToInt(Node::replicaCount).max()
                    .orElse(1)));
            model.addAttribute("moves", all.getT3());
            model.addAttribute("decommissions", all.getT4());
            model.addAttribute("gatewayUrl", gateway.gatewayUrl());
            model.addAttribute("error", error);
            return "cluster";
        });
    }

    /** A listing, or why the gateway would not give it. */
    record Listed<T>(List<T> items, String refusal) {

        static <T> Listed<T> of(List<T> items) {
            return new Listed<>(items == null ? List.of() : items, null);
        }

        static <T> Listed<T> refused(GatewayProblem problem) {
            return new Listed<>(List.of(), problem.detail() + " (" + problem.errorCode() + ")");
        }
    }
}
