package io.sluice.coordinator.quota;

import io.sluice.internal.quota.QuotaAlteration;
import io.sluice.internal.quota.QuotaPaths;
import io.sluice.internal.quota.QuotaSnapshot;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The cluster's client quotas over HTTP, for gateways (which administer them) and every node (which applies them). */
@RestController
class QuotaController {

    private final QuotaStore store;

    QuotaController(QuotaStore store) {
        this.store = store;
    }

    @GetMapping(QuotaPaths.QUOTAS)
    Mono<QuotaSnapshot> quotas() {
        return store.snapshot();
    }

    @PostMapping(QuotaPaths.ALTER)
    Mono<QuotaSnapshot> alter(@RequestBody List<QuotaAlteration> alterations) {
        return Mono.defer(() -> store.alter(alterations));
    }
}
