package io.sluice.gateway.routing;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The gateway's one policy for following a partition's leader: which failures of a call to a leader are tried again
 * ({@link Call}), how the next attempt waits for newer metadata, and until when ({@link Deadline}). Every call the
 * gateway makes to a partition's leader goes through it: produce ({@link BatchRouter}), fetches and offset lookups
 * ({@link PartitionReader}), and the fetches behind SSE streams ({@link PartitionReader#fetchForStream}).
 *
 * <p>Three layers make a call again, each for its own reason:
 * <ol>
 *   <li>{@code InternalHttp} (sluice-internal-client) repeats one call to the same node, with a short exponential
 *   backoff ({@code internal-calls.retry-*}), only where that node may answer differently a moment later: a call
 *   that never reached it (connection refused, pool exhausted), and for calls that change nothing (offset lookups)
 *   also a timeout or a passing error. It never re-routes: an answer that means stale metadata comes back as it is
 *   (NOT_LEADER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH), a node it could not reach as LEADER_NOT_AVAILABLE, and a
 *   produce whose outcome is unknown as REQUEST_TIMED_OUT, never re-sent there.</li>
 *   <li>This policy takes a failed call from there: when its {@link Call} may be made again after that failure and the
 *   deadline has not passed, it waits for metadata newer than the view the attempt used — the coordinator's next
 *   version, or {@code rerouting.refresh-wait} (500 ms) if none comes first, never past the deadline — then makes the
 *   call again at the leader the view then in force names. When the deadline passes, the last failure is the
 *   answer. That wait is the only backoff: a leader change reaches the gateway as a new metadata version, so an
 *   attempt made sooner would go to the same node.</li>
 *   <li>Callers say what was called and how long it may take: a produce until its own timeout
 *   ({@code timeout_ms}), per partition, in {@link BatchRouter}, which also keeps the outcome of a re-sent batch
 *   honest (an unknown outcome stays unknown) and re-sends at once, without a refresh, a batch whose producer session
 *   was out of step (not a re-route: the same leader, a fresh session); a read or an offset lookup until its wait plus
 *   {@code rerouting.read-budget} (10 s); the fetches behind an SSE stream for as long as the stream is open, without
 *   a deadline (the subscriber ends it).</li>
 * </ol>
 *
 * <p>Thread-safe; one per gateway. Deadlines are measured on the injected monotonic clock, the waits by the
 * {@link ClusterView} (tests give virtual time to both).
 */
@Component
class Rerouting {

    private static final Logger LOG = LoggerFactory.getLogger(Rerouting.class);

    /** What a call to a leader does, which decides after which failures it may be made again. */
    enum Call {
        /**
         * A fetch or an offset lookup. It changes nothing, so besides a leader that moved it is made again after an
         * unknown outcome (REQUEST_TIMED_OUT) and after STORAGE_ERROR (the replica's disk failed: that node gives up
         * the partition, and another leads it).
         */
        READ,
        /** A produce of batches without a producer: again only when certainly nothing was written (a leader that moved). */
        PRODUCE,
        /**
         * A produce of batches under a producer stamp: also after an unknown outcome, as the same batches, which a leader
         * that holds them already answers with their first offsets, appending nothing.
         */
        STAMPED_PRODUCE,
        /** A produce of an idempotent producer's batches (an Idempotency-Key's): after any retriable failure. */
        IDEMPOTENT_PRODUCE;

        /** The produce of a request that may be re-sent as it is ({@code idempotent}), or of batches that are stamped. */
        static Call produce(boolean idempotent, boolean stamped) {
            return idempotent ? IDEMPOTENT_PRODUCE : stamped ? STAMPED_PRODUCE : PRODUCE;
        }

        /** Whether a call of this kind that failed with {@code code} is made again (at the leader newer metadata names). */
        boolean triesAgainAfter(ErrorCode code) {
            return code.refreshesMetadata() || switch (this) {
                case READ -> code == ErrorCode.REQUEST_TIMED_OUT || code == ErrorCode.STORAGE_ERROR;
                case PRODUCE -> false;
                case STAMPED_PRODUCE -> code.outcomeUnknown();
                case IDEMPOTENT_PRODUCE -> code.retriable();
            };
        }
    }

    private final ClusterView cluster;
    private final Duration readBudget;
    private final Duration refreshWait;
    private final LongSupplier nanoClock;

    @Autowired
    Rerouting(ClusterView cluster, GatewayProperties properties) {
        this(cluster, properties.rerouting(), System::nanoTime);
    }

    /** With the monotonic clock deadlines are measured by (tests use virtual time). */
    Rerouting(ClusterView cluster, GatewayProperties.Rerouting settings, LongSupplier nanoClock) {
        this.cluster = cluster;
        this.readBudget = settings.readBudget();
        this.refreshWait = settings.refreshWait();
        this.nanoClock = nanoClock;
    }

    /** The metadata in force: the view an attempt chooses its leaders from. */
    MetadataView view() {
        return cluster.current();
    }

    /** A deadline {@code budget} from now. */
    Deadline after(Duration budget) {
        return new Deadline(nanoClock.getAsLong() + budget.toNanos(), true);
    }

    /** A read's deadline: its own wait (a long poll's) and the read budget from now. */
    Deadline forRead(Duration wait) {
        return after(wait.plus(readBudget));
    }

    /** No deadline: re-routing goes on for as long as the caller is subscribed. */
    Deadline none() {
        return new Deadline(0, false);
    }

    /**
     * {@code attempt} with the metadata in force; after a failure that {@code call} may be made again after, and
     * before the deadline (taken from {@code deadline} when subscribed to), again once newer metadata arrived (see {@link #awaitNewer}) with the view then in force,
     * running {@code beforeRetry} first. Any other failure, and the last one when the deadline has passed, is the
     * answer as it is.
     */
    <T> Mono<T> call(Call call, Supplier<Deadline> deadline, Runnable beforeRetry,
                     Function<MetadataView, Mono<T>> attempt) {
        return Mono.defer(() -> {
            Deadline until = deadline.get();
            // Attempts run one after another (a retry subscribes anew), so one holder per call is enough.
            AtomicReference<MetadataView> tried = new AtomicReference<>();
            return Mono.defer(() -> {
                        MetadataView view = view();
                        tried.set(view);
                        return attempt.apply(view);
                    })
                    // A retry, not a recursion: a stream's fetches re-route without a deadline, and each attempt of a
                    // recursion would stay in the subscriber chain for as long as the stream lives.
                    .retryWhen(Retry.from(failures -> failures.concatMap(failure -> {
                        if (!(failure.failure() instanceof SluiceException e) || !call.triesAgainAfter(e.errorCode())
                                || until.passed()) {
                            return Mono.error(failure.failure());
                        }
                        LOG.debug("{} failed with {} at metadata version {}; trying again after newer metadata",
                                call, e.errorCode(), tried.get().version());
                        beforeRetry.run();
                        return awaitNewer(tried.get(), until);
                    })));
        });
    }

    /**
     * The pause before another attempt: until metadata newer than {@code tried} (the view the failed attempt used)
     * arrives, at most the refresh wait and never past {@code deadline} (at least a millisecond, so that a caller at
     * its deadline does not spin). Signals the view in force then.
     */
    Mono<MetadataView> awaitNewer(MetadataView tried, Deadline deadline) {
        Duration wait = refreshWait;
        if (deadline.bounded) {
            Duration left = deadline.left();
            if (left.compareTo(wait) < 0) {
                wait = left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
            }
        }
        return cluster.awaitNewerThan(tried.version(), wait).defaultIfEmpty(tried);
    }

    /** When a call stops re-routing; its last failure is the answer then. */
    final class Deadline {

        private final long at;
        private final boolean bounded;

        private Deadline(long at, boolean bounded) {
            this.at = at;
            this.bounded = bounded;
        }

        boolean passed() {
            return bounded && nanoClock.getAsLong() - at >= 0;
        }

        /** The time left (zero once passed; effectively unbounded without a deadline). */
        Duration left() {
            return bounded ? Duration.ofNanos(Math.max(0, at - nanoClock.getAsLong())) : Duration.ofNanos(Long.MAX_VALUE);
        }
    }
}
