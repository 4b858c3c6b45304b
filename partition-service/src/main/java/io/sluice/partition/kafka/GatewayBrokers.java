package io.sluice.partition.kafka;

import io.sluice.internal.broker.BrokerApi;
import io.sluice.internal.broker.BrokerEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The gateways' Kafka listeners, as the coordinator last listed them (every {@value #REFRESH_SECONDS} s): where this
 * node forwards the Kafka requests it does not answer itself. Thread-safe: the list is replaced whole.
 */
final class GatewayBrokers {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayBrokers.class);
    static final int REFRESH_SECONDS = 5;

    private final BrokerApi coordinator;
    private volatile List<BrokerEndpoint> known = List.of();
    private Disposable refreshing;

    GatewayBrokers(BrokerApi coordinator) {
        this.coordinator = coordinator;
    }

    synchronized void start() {
        if (refreshing == null) {
            refreshing = Flux.interval(Duration.ZERO, Duration.ofSeconds(REFRESH_SECONDS))
                    .onBackpressureDrop()
                    .concatMap(tick -> refresh(), 1)
                    .subscribe();
        }
    }

    synchronized void stop() {
        if (refreshing != null) {
            refreshing.dispose();
            refreshing = null;
        }
    }

    /** One listing; a failure keeps what was known. */
    Mono<Void> refresh() {
        return coordinator.brokers()
                .doOnNext(brokers -> known = List.copyOf(brokers))
                .doOnError(e -> LOG.debug("Could not list the gateways' Kafka listeners: {}", e.toString()))
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    /** The gateway a connection forwards to: connections spread over the gateways known; empty when none is. */
    Optional<BrokerEndpoint> forConnection(long connection) {
        List<BrokerEndpoint> brokers = known;
        return brokers.isEmpty() ? Optional.empty()
                : Optional.of(brokers.get((int) Math.floorMod(connection, (long) brokers.size())));
    }
}
