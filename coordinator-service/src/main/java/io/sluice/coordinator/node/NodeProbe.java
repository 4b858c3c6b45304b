package io.sluice.coordinator.node;

import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Checks, when a peer reports a node unreachable, whether anything still listens at the node's address. Only a
 * refused connection counts as proof of death: the process is gone (a crash, a kill) and its port closed. A timeout
 * proves nothing — the node may be paused or the network slow — and leaves the verdict to the session timeout. One
 * connection attempt, bounded by a timeout, never retried: a probe is itself the retry of the peer's failed call.
 */
@Component
class NodeProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final HttpClient client = HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
            .responseTimeout(TIMEOUT);

    /** True when a connection to {@code url} is refused; false when anything answers, or nothing definite. */
    Mono<Boolean> refusesConnections(String url) {
        return client.get().uri(url + "/actuator/health/liveness")
                .responseSingle((response, body) -> body.then(Mono.just(Boolean.FALSE)))
                .timeout(TIMEOUT.multipliedBy(2))
                .onErrorResume(e -> Mono.just(refused(e)));
    }

    private static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof ConnectTimeoutException)) {
                return true;
            }
        }
        return false;
    }
}
