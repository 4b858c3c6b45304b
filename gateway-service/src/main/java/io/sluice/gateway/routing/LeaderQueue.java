package io.sluice.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The produce requests of one gateway to one leader node: at most {@code maxInFlightPerLeader} internal produce
 * requests in flight, and a bounded FIFO queue of client requests waiting for a slot.
 *
 * <p><b>Sending.</b> A client request goes out at once while a slot is free and none of its partitions is in flight
 * (see Order). Otherwise it waits; whenever a slot frees (an internal request completed), the first request that
 * may go and the requests after it with the same acks and leader address are taken, in arrival order, up to
 * {@code maxRequestBytes} of batches (the first alone when it is larger), and sent as one internal request whose
 * entries are each request's {@link PartitionBatches} in turn. There is no linger: merging only ever happens to
 * requests that would otherwise wait.
 *
 * <p><b>Timeouts.</b> The internal request's timeout (how long the leader may wait for acks=all) is the longest one
 * its requests have left, so no request is refused early for sharing with a shorter one. Each request keeps its own
 * deadline here instead: at its timeout plus the answer grace (what an internal call of its own would have been
 * allowed) it fails with REQUEST_TIMED_OUT — from the queue, where nothing was sent, or while in flight, where the
 * outcome is unknown — and the internal request goes on for the others.
 *
 * <p><b>Order.</b> Requests are never reordered here for a partition: one that is passed over (other acks) holds back
 * every later request touching one of its partitions, and so does a partition in flight — each partition is in at
 * most one internal request in flight, whatever {@code maxInFlightPerLeader} allows (more in flight only overlaps
 * requests for different partitions). The leader appends the entries of one internal request in their order, but
 * two requests in flight together it may append in either order (its log threads take them as they come), and the
 * producer sequences stamped here must reach it in the order they were stamped: with two requests for a partition in
 * flight, the second could be appended first and refused (OUT_OF_ORDER_SEQUENCE_NUMBER, then UNKNOWN_PRODUCER_ID
 * for what followed on the session it ended), failing valid client requests.
 *
 * <p><b>Producer sessions.</b> When an internal request goes out (acks 1 or all), each entry without a producer is
 * stamped with its partition's {@link ProducerSession} in entry order: sequences follow the order the leader appends
 * in, and requests that waited or were refused here never took a sequence. An entry stamped here that fails ends its
 * session (the next batch starts a fresh producer id) before its caller hears of it.
 *
 * <p><b>Back-pressure.</b> A request that would take the queue past {@code maxQueuedRequests} or
 * {@code maxQueuedBytes} fails at once with THROTTLED (429, Retry-After), nothing sent; an empty queue takes any
 * request. Memory held by waiting requests is so bounded per leader.
 *
 * <p><b>Threads.</b> Thread-safe: queue and slots are guarded by this object's monitor, held only to enqueue, take
 * or remove — never while calling the leader or completing a caller, whose downstream may call back in. Sending is
 * one drain loop at a time ({@code wip}), so a leader that answers synchronously does not recurse.
 */
final class LeaderQueue {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderQueue.class);

    private final int nodeId;
    private final PartitionDataApi partitions;
    private final ProduceAccumulator.Limits limits;
    private final ProduceAccumulator.Meters meters;
    private final ProducerSessions sessions;
    private final Scheduler timers;
    private final LongSupplier nanoClock;
    private final Counter rejected;
    private final Counter expired;
    private final AtomicInteger wip = new AtomicInteger();

    // Guarded by this.
    private final LinkedHashSet<Waiting> queue = new LinkedHashSet<>();
    private long queuedBytes;
    private int inFlight;
    /** The partitions of the internal requests in flight: each is in at most one. */
    private final Set<TopicPartition> inFlightPartitions = new HashSet<>();

    LeaderQueue(int nodeId, PartitionDataApi partitions, ProduceAccumulator.Limits limits,
                ProduceAccumulator.Meters meters, ProducerSessions sessions, Scheduler timers, LongSupplier nanoClock) {
        this.nodeId = nodeId;
        this.partitions = partitions;
        this.limits = limits;
        this.meters = meters;
        this.sessions = sessions;
        this.timers = timers;
        this.nanoClock = nanoClock;
        String node = Integer.toString(nodeId);
        // Strong references: a queue lives as long as its accumulator, and a gauge of a collected queue reads NaN
        // (it did in a property test whose accumulator was out of scope when the gauges were read).
        Gauge.builder("sluice.gateway.produce.queue.requests", this, LeaderQueue::queuedRequests).tag("node", node)
                .strongReference(true)
                .description("Client produce requests waiting to be sent to this leader").register(meters.registry());
        Gauge.builder("sluice.gateway.produce.queue.bytes", this, LeaderQueue::queuedBytes).tag("node", node)
                .strongReference(true)
                .baseUnit("bytes").description("Record batch bytes waiting to be sent to this leader")
                .register(meters.registry());
        Gauge.builder("sluice.gateway.produce.in.flight", this, LeaderQueue::inFlight).tag("node", node)
                .strongReference(true)
                .description("Internal produce requests in flight to this leader").register(meters.registry());
        this.rejected = Counter.builder("sluice.gateway.produce.queue.rejected").tag("node", node)
                .description("Client produce requests refused THROTTLED because this leader's queue was full")
                .register(meters.registry());
        this.expired = Counter.builder("sluice.gateway.produce.queue.expired").tag("node", node)
                .description("Client produce requests whose timeout passed while they waited for this leader")
                .register(meters.registry());
    }

    /** See {@link ProduceAccumulator#produce}. */
    Mono<List<ProduceResponse.PartitionResult>> produce(NodeInfo leader, List<PartitionBatches> entries, Acks acks,
                                                       Duration timeout) {
        return Mono.create(sink -> {
            Waiting request = new Waiting(leader, entries, acks, nanoClock.getAsLong() + timeout.toNanos(), sink);
            SluiceException refused = enqueue(request);
            if (refused != null) {
                rejected.increment();
                request.fail(refused);
                return;
            }
            // Registered once queued, so that a caller already gone takes its request out again at once.
            sink.onCancel(() -> withdraw(request));
            Disposable expiry = timers.schedule(() -> expire(request), timeout.plus(limits.answerGrace()).toNanos(),
                    TimeUnit.NANOSECONDS);
            sink.onDispose(expiry);
            maybeSend();
        });
    }

    private synchronized SluiceException enqueue(Waiting request) {
        if (!queue.isEmpty() && (queue.size() >= limits.maxQueuedRequests()
                || queuedBytes + request.bytes > limits.maxQueuedBytes())) {
            return ErrorCode.THROTTLED.exception("The gateway's produce queue for node " + nodeId + " is full ("
                    + queue.size() + " requests, " + queuedBytes + " bytes waiting); nothing was written, try again later");
        }
        queue.add(request);
        queuedBytes += request.bytes;
        return null;
    }

    /** The caller went away: a request still waiting is not sent; one in flight is answered to nobody. */
    private synchronized void withdraw(Waiting request) {
        if (queue.remove(request)) {
            queuedBytes -= request.bytes;
        }
    }

    private void expire(Waiting request) {
        boolean waiting;
        synchronized (this) {
            waiting = queue.remove(request);
            if (waiting) {
                queuedBytes -= request.bytes;
            }
        }
        if (waiting) {
            expired.increment();
            request.fail(ErrorCode.REQUEST_TIMED_OUT.exception("The request waited for node " + nodeId
                    + " longer than its timeout and was not sent; nothing was written"));
        } else {
            request.fail(ErrorCode.REQUEST_TIMED_OUT.exception("Node " + nodeId + " did not answer within the "
                    + "request's timeout; the records may or may not be written"));
        }
    }

    /** Sends while slots are free and requests wait; one drain loop at a time, re-run if asked meanwhile. */
    private void maybeSend() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            List<Waiting> batch;
            while ((batch = nextBatch()) != null) {
                send(batch);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** The next internal request's client requests, taking a slot; null when no slot is free or nothing waits. */
    private synchronized List<Waiting> nextBatch() {
        if (inFlight >= limits.maxInFlightPerLeader() || queue.isEmpty()) {
            return null;
        }
        // A partition already in flight holds back every request touching it, and so does a request passed over.
        Set<TopicPartition> heldBack = new HashSet<>(inFlightPartitions);
        Iterator<Waiting> waiting = queue.iterator();
        Waiting head = null;
        while (head == null && waiting.hasNext()) {
            Waiting next = waiting.next();
            if (next.touchesAny(heldBack)) {
                next.forEachPartition(heldBack::add);
            } else {
                head = next;
            }
        }
        if (head == null) {
            return null;
        }
        waiting.remove();
        List<Waiting> batch = new ArrayList<>();
        batch.add(head);
        long bytes = head.bytes;
        while (waiting.hasNext()) {
            Waiting next = waiting.next();
            if (!next.sendsWith(head) || next.touchesAny(heldBack)) {
                // Passed over: later requests for its partitions wait behind it.
                next.forEachPartition(heldBack::add);
                continue;
            }
            if (bytes + next.bytes > limits.maxRequestBytes()) {
                break;
            }
            waiting.remove();
            batch.add(next);
            bytes += next.bytes;
        }
        queuedBytes -= bytes;
        inFlight++;
        batch.forEach(request -> request.forEachPartition(inFlightPartitions::add));
        return batch;
    }

    private void send(List<Waiting> batch) {
        Waiting head = batch.getFirst();
        List<PartitionBatches> entries = new ArrayList<>();
        long bytes = 0;
        long latest = Long.MIN_VALUE;
        for (Waiting request : batch) {
            entries.addAll(request.entries);
            bytes += request.bytes;
            latest = Math.max(latest, request.deadline);
        }
        long[] stamped = head.acks == Acks.NONE ? null : stamp(entries);
        Duration timeout = Duration.ofNanos(Math.max(0, latest - nanoClock.getAsLong()));
        meters.requests().record(batch.size());
        meters.entries().record(entries.size());
        meters.bytes().record(bytes);
        if (batch.size() > 1) {
            meters.coalesced().increment(batch.size());
        }
        Mono.defer(() -> partitions.produce(head.leader, entries, head.acks, timeout))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no produce answer")))
                .subscribe(response -> completed(batch, stamped, response, null),
                        error -> completed(batch, stamped, null, error));
    }

    /**
     * Stamps the entries that have no producer yet with their partition's session, in the order the leader will
     * append them (this drain loop is the only sender to this leader, and the leader appends one request's entries in
     * order), so sequences follow the order batches actually go out. Entries that carry a producer already (an
     * Idempotency-Key's, an NDJSON stream's, or a re-send of one stamped here before) go as they are.
     *
     * @return per entry, the producer id stamped here, or null when nothing was
     */
    private long[] stamp(List<PartitionBatches> entries) {
        long[] stamped = null;
        for (int i = 0; i < entries.size(); i++) {
            PartitionBatches entry = entries.get(i);
            if (ProducerSession.needsStamp(entry.batches())) {
                long producerId = sessions.of(entry.partition()).stamp(entry.batches());
                if (producerId != ProducerIds.NONE) {
                    if (stamped == null) {
                        stamped = new long[entries.size()];
                        Arrays.fill(stamped, ProducerIds.NONE);
                    }
                    stamped[i] = producerId;
                }
            }
        }
        return stamped;
    }

    /**
     * Ends the session of every entry stamped for this request that failed: what follows it is not known. An entry
     * that certainly was not written on this, its first send (refused for its sequence, a leader that moved, a call
     * that never left this gateway) has its stamp taken off, so that a re-send gets one from the fresh session. Kept,
     * those stamps would go wrong: the entries of one send carry consecutive sequences, each request re-sends its own
     * independently, and a later sequence reaching the next leader first would be refused (UNKNOWN_PRODUCER_ID or
     * OUT_OF_ORDER_SEQUENCE_NUMBER) for a record that was never written anywhere.
     */
    private void settle(List<Waiting> batch, long[] stamped, ProduceResponse response, Throwable error) {
        if (stamped == null) {
            return;
        }
        List<ProduceResponse.PartitionResult> results = response == null ? null : response.partitions();
        ErrorCode whole = error instanceof SluiceException e ? e.errorCode() : ErrorCode.REQUEST_TIMED_OUT;
        int i = 0;
        for (Waiting request : batch) {
            for (PartitionBatches entry : request.entries) {
                ErrorCode code = results == null || results.size() != stamped.length ? whole
                        : results.get(i).errorCode();
                if (stamped[i] != ProducerIds.NONE && code != null) {
                    sessions.of(entry.partition()).failed(stamped[i]);
                    if (code.refusesSequence() || code.refreshesMetadata()) {
                        ProducerSession.clear(entry.batches());
                    }
                }
                i++;
            }
        }
    }

    /** Frees the slot and sends what waits before answering, so the next request is not behind the callers' work. */
    private void completed(List<Waiting> batch, long[] stamped, ProduceResponse response, Throwable error) {
        // Before the slot frees and before any caller hears of it: the next batch of a failed session starts anew.
        settle(batch, stamped, error == null ? response : null, error);
        synchronized (this) {
            inFlight--;
            batch.forEach(request -> request.forEachPartition(inFlightPartitions::remove));
        }
        maybeSend();
        if (error != null) {
            SluiceException failure = error instanceof SluiceException e ? e : unexpected(error);
            batch.forEach(request -> request.fail(failure));
            return;
        }
        List<ProduceResponse.PartitionResult> results = response.partitions();
        int expected = batch.stream().mapToInt(request -> request.entries.size()).sum();
        int at = 0;
        for (Waiting request : batch) {
            int size = request.entries.size();
            List<ProduceResponse.PartitionResult> own = results.size() == expected
                    ? results.subList(at, at + size) : null;
            if (own != null && request.matches(own)) {
                request.answer(List.copyOf(own));
            } else {
                LOG.error("Node {} answered a produce of {} partition entries with results that do not match them: {}",
                        nodeId, expected, results);
                request.fail(ErrorCode.UNKNOWN_SERVER_ERROR.exception("Node " + nodeId + " answered "
                        + results.size() + " results to a produce of " + expected + " partition entries"));
            }
            at += size;
        }
    }

    private SluiceException unexpected(Throwable error) {
        LOG.error("Unexpected failure of a produce to node {}", nodeId, error);
        return ErrorCode.UNKNOWN_SERVER_ERROR.exception("Unexpected error: " + error);
    }

    private synchronized int queuedRequests() {
        return queue.size();
    }

    private synchronized long queuedBytes() {
        return queuedBytes;
    }

    private synchronized int inFlight() {
        return inFlight;
    }

    /** One caller's request: its entries, where and how they go, and the caller to answer once. */
    private static final class Waiting {

        final NodeInfo leader;
        final List<PartitionBatches> entries;
        final Acks acks;
        final long deadline;
        final long bytes;
        private final MonoSink<List<ProduceResponse.PartitionResult>> sink;
        private final AtomicBoolean answered = new AtomicBoolean();

        Waiting(NodeInfo leader, List<PartitionBatches> entries, Acks acks, long deadline,
                MonoSink<List<ProduceResponse.PartitionResult>> sink) {
            this.leader = leader;
            this.entries = List.copyOf(entries);
            this.acks = acks;
            this.deadline = deadline;
            this.bytes = entries.stream().mapToLong(entry -> entry.batches().remaining()).sum();
            this.sink = sink;
        }

        /** Whether one internal request may carry both: the same acks, to the same address. */
        boolean sendsWith(Waiting head) {
            return acks == head.acks && leader.url().equals(head.leader.url());
        }

        void forEachPartition(Consumer<TopicPartition> action) {
            entries.forEach(entry -> action.accept(entry.partition()));
        }

        boolean touchesAny(Set<TopicPartition> partitions) {
            return !partitions.isEmpty() && entries.stream().anyMatch(entry -> partitions.contains(entry.partition()));
        }

        /** Whether {@code results} answer this request's entries, one each, in order. */
        boolean matches(List<ProduceResponse.PartitionResult> results) {
            for (int i = 0; i < entries.size(); i++) {
                TopicPartition tp = entries.get(i).partition();
                ProduceResponse.PartitionResult result = results.get(i);
                if (!tp.topic().equals(result.topic()) || tp.partition() != result.partition()) {
                    return false;
                }
            }
            return true;
        }

        void answer(List<ProduceResponse.PartitionResult> results) {
            if (answered.compareAndSet(false, true)) {
                sink.success(results);
            }
        }

        void fail(SluiceException e) {
            if (answered.compareAndSet(false, true)) {
                sink.error(e);
            }
        }
    }
}
