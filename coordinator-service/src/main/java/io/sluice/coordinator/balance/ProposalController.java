package io.sluice.coordinator.balance;

import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.ReassignmentProposal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The move planner's proposal for topics and nodes over HTTP ({@link Balancer#propose}); nothing moves. */
@RestController
class ProposalController {

    private final Balancer balancer;

    ProposalController(Balancer balancer) {
        this.balancer = balancer;
    }

    @PostMapping(CoordinatorPaths.REASSIGNMENT_PROPOSAL)
    Mono<ReassignmentProposal> propose(@RequestBody ReassignmentProposal.Request request) {
        return balancer.propose(request);
    }
}
