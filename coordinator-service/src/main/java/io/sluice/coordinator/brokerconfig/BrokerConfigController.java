package io.sluice.coordinator.brokerconfig;

import io.sluice.internal.brokerconfig.BrokerConfigChange;
import io.sluice.internal.brokerconfig.BrokerConfigPaths;
import io.sluice.internal.brokerconfig.BrokerConfigSnapshot;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The cluster-wide broker configs over HTTP, for gateways (which administer them and use them). */
@RestController
class BrokerConfigController {

    private final BrokerConfigStore store;

    BrokerConfigController(BrokerConfigStore store) {
        this.store = store;
    }

    @GetMapping(BrokerConfigPaths.CONFIGS)
    Mono<BrokerConfigSnapshot> configs() {
        return store.snapshot();
    }

    @PostMapping(BrokerConfigPaths.ALTER)
    Mono<BrokerConfigSnapshot> alter(@RequestBody BrokerConfigChange change) {
        return Mono.defer(() -> store.alter(change));
    }
}
