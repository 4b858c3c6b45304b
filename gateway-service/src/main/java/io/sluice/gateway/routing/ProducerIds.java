package io.sluice.gateway.routing;

import io.sluice.internal.producer.IdempotenceApi;
import io.sluice.internal.producer.ProducerIdBlock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The producer ids of this gateway's own producer sessions ({@link ProducerSession}), taken from the coordinator a
 * block of {@value #BLOCK_SIZE} at a time (Kafka's AllocateProducerIds), so that no produce request waits for the
 * coordinator: the next block is asked for while a quarter of the current one is left, and {@link #next} never blocks.
 * When no id is at hand (the first requests after start-up, a coordinator that has been unreachable for a whole block)
 * it answers {@link #NONE}, and the caller sends its batches without a producer, as before sessions existed.
 *
 * <p>Thread-safe; one per gateway.
 */
@Component
public class ProducerIds {

    /** No producer id at hand. */
    public static final long NONE = -1L;
    static final int BLOCK_SIZE = 1000;
    private static final long RETRY_AFTER_FAILURE_NANOS = 1_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ProducerIds.class);

    private final IdempotenceApi coordinator;
    private final LongSupplier nanoClock;

    // Guarded by this.
    private long next;
    private long last = -1;
    private ProducerIdBlock reserve;
    private boolean asking;
    private long quietUntil;

    @Autowired
    ProducerIds(IdempotenceApi coordinator) {
        this(coordinator, System::nanoTime);
    }

    ProducerIds(IdempotenceApi coordinator, LongSupplier nanoClock) {
        this.coordinator = coordinator;
        this.nanoClock = nanoClock;
        this.quietUntil = nanoClock.getAsLong();
    }

    /** A producer id no one else has, or {@link #NONE} if none is at hand yet (one is being asked for). */
    public long next() {
        long id = take();
        if (maybeAsk() && id == NONE) {
            id = take(); // a coordinator that answers at once already filled the reserve
        }
        return id;
    }

    /**
     * A producer id for a client's own producer (a Kafka client's InitProducerId): one of this gateway's block when
     * one is at hand, else one asked of the coordinator. No two callers, and none of this gateway's sessions, get the
     * same id.
     */
    public Mono<Long> forClient() {
        return Mono.defer(() -> {
            long id = next();
            return id != NONE ? Mono.just(id)
                    : coordinator.allocateProducerIds(1).map(ProducerIdBlock::firstProducerId);
        });
    }

    private synchronized long take() {
        if (next > last && reserve != null) {
            next = reserve.firstProducerId();
            last = reserve.lastProducerId();
            reserve = null;
        }
        return next <= last ? next++ : NONE;
    }

    /**
     * Asks the coordinator for the next block when a quarter of the current one is left, unless one is on its way or
     * a failure was just seen; whether it asked. The call does not block: the block arrives on the client's thread.
     */
    private boolean maybeAsk() {
        synchronized (this) {
            if (asking || reserve != null || last - next + 1 >= BLOCK_SIZE / 4
                    || nanoClock.getAsLong() - quietUntil < 0) {
                return false;
            }
            asking = true;
        }
        coordinator.allocateProducerIds(BLOCK_SIZE).subscribe(this::received, this::failed);
        return true;
    }

    private synchronized void received(ProducerIdBlock block) {
        reserve = block;
        asking = false;
    }

    private void failed(Throwable error) {
        synchronized (this) {
            asking = false;
            quietUntil = nanoClock.getAsLong() + RETRY_AFTER_FAILURE_NANOS;
        }
        LOG.warn("Could not get producer ids from the coordinator ({}); produce requests go without a producer"
                + " session until it answers", error.toString());
    }
}
