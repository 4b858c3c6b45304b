package io.sluice.internal.client;

import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Whether anything still listens at a service's address: one connection attempt, bounded by a timeout, never
 * retried, with no circuit breaker — a probe is itself the check behind a peer's failed call, so {@link InternalHttp}'s
 * policies, which would retry it or answer for it from an open circuit, do not apply. It is of this stack all the
 * same: the cluster's TLS trust, the same Reactor Netty client.
 *
 * <p>Only a refused connection counts as proof: the process is gone (a crash, a kill) and its port closed. A timeout
 * proves nothing — the process may be paused or the network slow. Thread-safe.
 */
public final class ConnectionProbe {

    private final HttpClient client;
    private final Duration timeout;

    /** @param tls the cluster's TLS, or null when its URLs are plain HTTP */
    public ConnectionProbe(Duration timeout, InternalTls tls) {
        this.timeout = timeout;
        this.client = InternalHttp.secure(HttpClient.create(), tls)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .responseTimeout(timeout);
    }

    /** True when a connection to {@code url} is refused; false when anything answers, or nothing definite. */
    public Mono<Boolean> refusesConnections(String url) {
        return client.get().uri(url)
                .responseSingle((response, body) -> body.then(Mono.just(Boolean.FALSE)))
                .timeout(timeout.multipliedBy(2))
                .onErrorResume(e -> Mono.just(refused(e)));
    }

    /** Whether {@code e} is, or was caused by, a refused connection (not a connect timeout). */
    static boolean refused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && !(t instanceof ConnectTimeoutException)) {
                return true;
            }
        }
        return false;
    }
}
