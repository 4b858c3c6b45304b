package io.sluice.coordinator.scram;

import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramPaths;
import io.sluice.internal.scram.ScramSnapshot;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The cluster's SCRAM credentials over HTTP, for gateways and partition services: they sign Kafka clients in with
 * them, and gateways administer them. Internal: the closed internal plane is the only way to them.
 */
@RestController
class ScramController {

    private final ScramStore store;

    ScramController(ScramStore store) {
        this.store = store;
    }

    @GetMapping(ScramPaths.CREDENTIALS)
    Mono<ScramSnapshot> credentials() {
        return store.snapshot();
    }

    @PostMapping(ScramPaths.CREDENTIALS)
    Mono<ScramSnapshot> alter(@RequestBody ScramChange change) {
        return store.alter(change);
    }
}
