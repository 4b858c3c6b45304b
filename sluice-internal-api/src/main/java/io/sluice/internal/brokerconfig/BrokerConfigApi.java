package io.sluice.internal.brokerconfig;

import reactor.core.publisher.Mono;

/**
 * The cluster-wide broker configs the coordinator stores (set through Kafka's IncrementalAlterConfigs or
 * AlterConfigs on the default broker resource, or the HTTP API), as gateways read them each time they use them, so
 * every gateway sees a change at once. Failures are {@link io.sluice.protocol.SluiceException}s with the
 * coordinator's error code.
 */
public interface BrokerConfigApi {

    Mono<BrokerConfigSnapshot> brokerConfigs();

    /** Applies the change, all or nothing; answers the configs after it (what they would be, for validate-only). */
    Mono<BrokerConfigSnapshot> alterBrokerConfigs(BrokerConfigChange change);
}
