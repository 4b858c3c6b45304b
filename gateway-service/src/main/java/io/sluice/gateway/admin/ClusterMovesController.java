package io.sluice.gateway.admin;

import io.sluice.gateway.admin.AdminRequests.MoveRequest;
import io.sluice.gateway.admin.AdminRequests.MoveThrottle;
import io.sluice.gateway.admin.AdminRequests.ProposalRequest;
import io.sluice.gateway.admin.MoveViews.DecommissionList;
import io.sluice.gateway.admin.MoveViews.DecommissionView;
import io.sluice.gateway.admin.MoveViews.MoveOutcome;
import io.sluice.gateway.admin.MoveViews.MoveOutcomes;
import io.sluice.gateway.admin.MoveViews.MoveThrottleView;
import io.sluice.gateway.admin.MoveViews.Proposal;
import io.sluice.gateway.admin.MoveViews.ReassignmentList;
import io.sluice.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Changing the cluster's shape ({@link ClusterMoves}): partition moves and their progress, node decommissioning, and
 * the byte rate at which each node serves the replicas moves add.
 * Who may do it is checked before, from the route table (ALTER on the cluster to change, DESCRIBE to list), as the
 * Kafka listener's AlterPartitionReassignments and ListPartitionReassignments check it.
 */
@RestController
class ClusterMovesController {

    private final ClusterMoves moves;

    ClusterMovesController(ClusterMoves moves) {
        this.moves = moves;
    }

    @GetMapping("/v1/reassignments")
    Mono<ReassignmentList> reassignments() {
        return moves.reassignments();
    }

    /**
     * As a JSON produce answers: 200 when every partition was accepted, 207 when some were, and when none was the
     * first refusal's problem, with every partition's outcome as its {@code partitions} member.
     */
    @PostMapping("/v1/reassignments")
    Mono<ResponseEntity<?>> move(@RequestBody MoveRequest request) {
        return moves.move(request).map(ClusterMovesController::answer);
    }

    private static ResponseEntity<?> answer(MoveOutcomes outcomes) {
        long failed = outcomes.failed();
        if (failed < outcomes.partitions().size()) {
            return ResponseEntity.status(failed == 0 ? HttpStatus.OK : HttpStatus.MULTI_STATUS).body(outcomes);
        }
        MoveOutcome first = outcomes.partitions().getFirst();
        ProblemDetail problem = Problems.of(first.errorCode(), first.detail());
        problem.setProperty("partitions", outcomes.partitions());
        return Problems.response(first.errorCode(), problem);
    }

    /** Nothing moves: start the proposal, or part of it, with {@code POST /v1/reassignments}. */
    @PostMapping("/v1/reassignments/proposal")
    Mono<Proposal> propose(@RequestBody ProposalRequest request) {
        return moves.propose(request);
    }

    @DeleteMapping("/v1/reassignments/{topic}/{partition}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> cancel(@PathVariable String topic, @PathVariable int partition) {
        return moves.cancel(topic, partition);
    }

    /** 202: the node drains in the background; its progress is in the answer and in {@code GET /v1/decommissions}. */
    @PostMapping("/v1/nodes/{node}/decommission")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<DecommissionView> decommission(@PathVariable int node) {
        return moves.decommission(node);
    }

    @DeleteMapping("/v1/nodes/{node}/decommission")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> cancelDecommission(@PathVariable int node) {
        return moves.cancelDecommission(node);
    }

    /** The node's record as {@code GET /v1/nodes} shows it, with the new throttle. */
    @PutMapping("/v1/nodes/{node}/move-throttle")
    Mono<MoveThrottleView> throttle(@PathVariable int node, @RequestBody MoveThrottle request) {
        return moves.throttle(node, request);
    }

    @DeleteMapping("/v1/nodes/{node}/move-throttle")
    Mono<MoveThrottleView> unthrottle(@PathVariable int node) {
        return moves.throttle(node, null);
    }

    @GetMapping("/v1/decommissions")
    Mono<DecommissionList> decommissions() {
        return moves.decommissions();
    }
}
