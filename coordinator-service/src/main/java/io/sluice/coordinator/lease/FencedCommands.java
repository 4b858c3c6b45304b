package io.sluice.coordinator.lease;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * How the active coordinator's command sequences (metadata, consumer groups) end one command: the caller gets the
 * command's value, nothing, or its error; a write fenced because another coordinator holds the lease steps this one
 * down first; and the sequence itself never fails, so it goes on to the next command.
 */
public final class FencedCommands {

    private static final Logger LOG = LoggerFactory.getLogger(FencedCommands.class);

    private FencedCommands() {
    }

    /**
     * @param work     the command: decide, then write under the fencing token
     * @param result   where its caller waits
     * @param stepDown what the sequence does when the lease is lost
     * @param what     the kind of write, for the log ("metadata", "group")
     */
    public static <T> Mono<Void> answer(Mono<T> work, Sinks.One<T> result, CoordinatorLease lease, Runnable stepDown,
                                        String what) {
        return work
                .doOnNext(result::tryEmitValue)
                .doOnError(error -> {
                    if (error instanceof SluiceException e && e.errorCode() == ErrorCode.FENCED_COORDINATOR
                            && lease.fenced() == CoordinatorLease.Transition.DEACTIVATED) {
                        LOG.warn("A {} write was fenced: another coordinator is active; stepping down", what);
                        stepDown.run();
                    }
                    result.tryEmitError(error);
                })
                .doOnSuccess(value -> {
                    if (value == null) {
                        result.tryEmitEmpty();
                    }
                })
                .onErrorResume(error -> Mono.empty())
                .then();
    }
}
