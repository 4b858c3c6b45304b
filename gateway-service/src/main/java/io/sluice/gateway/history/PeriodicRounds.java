package io.sluice.gateway.history;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A gateway's measurement done in rounds, from its start to its stop: a round every {@code interval} after
 * {@code firstDelay}, one at a time (a tick that comes while a round runs is dropped, so rounds never overlap), a
 * round that fails logged at debug and skipped, the next one tried as usual. Subclasses say what a round does.
 */
public abstract class PeriodicRounds implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final Duration firstDelay;
    private final Duration interval;
    private final String what;
    private volatile Disposable rounds;

    /**
     * @param what names the measurement in the logs ("Group lag"); {@code interval} null: this gateway takes none
     */
    protected PeriodicRounds(Duration firstDelay, Duration interval, String what) {
        this.firstDelay = firstDelay;
        this.interval = interval;
        this.what = what;
    }

    /** One round; its failure skips it. */
    protected abstract Mono<Void> round();

    @Override
    public void start() {
        if (interval == null) {
            return;
        }
        rounds = Flux.interval(firstDelay, interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(this::round)
                        .onErrorResume(e -> {
                            log.debug("{} not measured this round: {}", what, e.toString());
                            return Mono.empty();
                        }), 1)
                .subscribe(done -> { }, e -> log.warn("{} stopped", what, e));
    }

    @Override
    public void stop() {
        Disposable running = rounds;
        if (running != null) {
            running.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        Disposable running = rounds;
        return running != null && !running.isDisposed();
    }
}
