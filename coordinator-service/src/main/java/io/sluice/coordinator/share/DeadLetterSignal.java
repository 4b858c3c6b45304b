package io.sluice.coordinator.share;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Tells {@link DeadLetterWriter} that runs were added to the outbox, so it writes them now rather than at its next
 * interval. Apart from the writer so that {@link ShareGroupService} need not depend on it (the writer creates topics,
 * and topics depend on share groups).
 */
@Component
class DeadLetterSignal {

    private final Sinks.Many<Long> wakeups = Sinks.many().multicast().directBestEffort();

    void wake() {
        wakeups.tryEmitNext(0L);
    }

    Flux<Long> wakeups() {
        return wakeups.asFlux();
    }
}
