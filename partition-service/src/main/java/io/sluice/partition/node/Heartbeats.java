package io.sluice.partition.node;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The node's place at the coordinator: it registers, then heartbeats every interval the registration gave; an
 * UNKNOWN_NODE answer (a coordinator that forgot the node, such as one just taking over) registers it again. No
 * failure ends the rounds: a round whose call fails, the registration that follows UNKNOWN_NODE included (a new
 * coordinator answers COORDINATOR_NOT_AVAILABLE until it is active), is logged and the next round comes after the
 * interval. A node whose rounds ended would stay declared dead at the coordinator while it runs, its leaderships gone
 * for good.
 */
final class Heartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

    private final Supplier<Mono<Duration>> register;
    private final Supplier<Mono<Void>> heartbeat;
    private volatile boolean registered;
    private volatile Duration interval = Duration.ofSeconds(1);

    /**
     * @param register  registers the node; answers the heartbeat interval the coordinator asks for
     * @param heartbeat one heartbeat of a registered node
     */
    Heartbeats(Supplier<Mono<Duration>> register, Supplier<Mono<Void>> heartbeat) {
        this.register = register;
        this.heartbeat = heartbeat;
    }

    /** Runs the rounds, one interval apart, while {@code running} holds. */
    Disposable start(BooleanSupplier running) {
        return Mono.defer(this::round)
                .then(Mono.defer(() -> Mono.delay(interval)))
                .repeat(running)
                .subscribe();
    }

    /** Whether the last registration stands: no UNKNOWN_NODE answer came since. */
    boolean registered() {
        return registered;
    }

    /** One round: the registration or a heartbeat; never fails. */
    Mono<Void> round() {
        Mono<Void> call = registered ? Mono.defer(heartbeat) : register();
        return call.onErrorResume(SluiceException.class, e -> {
                    if (e.errorCode() == ErrorCode.UNKNOWN_NODE) {
                        registered = false;
                        return register();
                    }
                    return Mono.error(e);
                })
                .onErrorResume(e -> {
                    if (e instanceof SluiceException sluice && sluice.errorCode() == ErrorCode.DUPLICATE_NODE) {
                        LOG.error("{}", e.getMessage());
                    } else if (e instanceof SluiceException) {
                        LOG.debug("Coordinator call failed: {}", e.getMessage());
                    } else {
                        LOG.warn("Coordinator call failed", e);
                    }
                    return Mono.empty();
                });
    }

    private Mono<Void> register() {
        return Mono.defer(register).doOnNext(given -> {
            interval = given;
            registered = true;
        }).then();
    }
}
