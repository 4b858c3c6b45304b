package io.sluice.coordinator.reassign;

import io.sluice.internal.coordinator.AlterReassignmentsRequest;
import io.sluice.internal.coordinator.AlterReassignmentsResponse;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.coordinator.ReassignmentListing;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Partition moves over HTTP: start, replace or cancel them (answered per partition), and list those under way. The
 * decisions are {@link ReassignmentService}'s.
 */
@RestController
class ReassignmentController {

    private final ReassignmentService reassignments;

    ReassignmentController(ReassignmentService reassignments) {
        this.reassignments = reassignments;
    }

    @PostMapping(CoordinatorPaths.REASSIGNMENTS)
    Mono<AlterReassignmentsResponse> alter(@RequestBody AlterReassignmentsRequest request) {
        return reassignments.alter(request);
    }

    @GetMapping(CoordinatorPaths.REASSIGNMENTS)
    Mono<ReassignmentListing> list() {
        return Mono.fromSupplier(reassignments::list);
    }
}
