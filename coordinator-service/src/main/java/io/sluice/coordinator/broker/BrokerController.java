package io.sluice.coordinator.broker;

import io.sluice.internal.broker.BrokerAnnouncement;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.broker.BrokerPaths;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The gateways' Kafka listeners announce themselves and learn of one another ({@link BrokerRegistry}). */
@RestController
class BrokerController {

    private final BrokerRegistry registry;

    BrokerController(BrokerRegistry registry) {
        this.registry = registry;
    }

    @PostMapping(BrokerPaths.BROKERS)
    List<BrokerEndpoint> announce(@RequestBody BrokerAnnouncement announcement) {
        return registry.announce(announcement);
    }

    @GetMapping(BrokerPaths.BROKERS)
    List<BrokerEndpoint> brokers() {
        return registry.live();
    }
}
