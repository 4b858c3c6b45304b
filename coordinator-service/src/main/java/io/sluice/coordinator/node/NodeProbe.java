package io.sluice.coordinator.node;

import io.sluice.internal.client.ConnectionProbe;
import io.sluice.web.InternalTlsProperties;
import java.time.Duration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks, when a peer reports a node unreachable, whether anything still listens at the node's address
 * ({@link ConnectionProbe}). Only a refused connection counts as proof of death; a timeout leaves the verdict to the
 * session timeout.
 */
@Component
class NodeProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ConnectionProbe probe;

    NodeProbe(InternalTlsProperties tls, SslBundles bundles) {
        this.probe = new ConnectionProbe(TIMEOUT, tls.tls(bundles));
    }

    /** True when a connection to the node at {@code url} is refused; false when anything answers, or nothing definite. */
    Mono<Boolean> refusesConnections(String url) {
        return probe.refusesConnections(url + "/actuator/health/liveness");
    }
}
