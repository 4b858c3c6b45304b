package io.sluice.partition.fetch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicaFetchRequest;
import io.sluice.log.EpochEndOffset;
import io.sluice.log.FetchIsolation;
import io.sluice.log.LogEndWatch;
import io.sluice.log.LogReadResult;
import io.sluice.log.PartitionLog;
import io.sluice.log.TimestampOffset;
import io.sluice.partition.LogScheduler;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.tiered.RemoteReads;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.rate.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Reads for consumers (below the high watermark) and for followers (to the log end), with long polling: when too
 * little is there, the request waits — on the log's own offset waiters, no polling — until data arrives in any of
 * its partitions or its wait runs out, then reads once more. Also offsets by time and where epochs end.
 */
public final class FetchService {

    private static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private final ReplicaManager replicas;
    private final Scheduler logScheduler;
    /** {@link #logScheduler}, or the log thread a wake-up came on once its task ends ({@link LogScheduler#afterTaskOn}). */
    private final Scheduler afterLogTask;
    private final PartitionProperties properties;
    private final Clock clock;
    /** Reads below a replica's local log, from tiered storage ({@link RemoteReads#NONE} where it is off). */
    private final RemoteReads remote;

    /**
     * The move throttle: the byte rate at which this node, as a leader, serves the replicas that moves are adding
     * while they are out of the ISR (Kafka's leader replication quota, {@code leader.replication.throttled.rate},
     * which likewise spares in-sync replicas), shared by every partition it leads. A throttled read reads at most what
     * the bucket holds and goes only when the bucket holds all it read (a batch larger than the whole bucket when it
     * is full): over any time {@code t} the replicas are sent at most one second of the rate plus {@code t} of it.
     */
    private final TokenBucket moveThrottle;
    private final LongSupplier nanoTime;
    private final Counter throttledReads;

    private final MeterRegistry meters;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<TopicKind, OutMeters> outMeters = new ConcurrentHashMap<>();

    public FetchService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties, Clock clock,
                        MeterRegistry meters) {
        this(replicas, logScheduler, properties, clock, meters, RemoteReads.NONE);
    }

    /** With reads below the local logs served from tiered storage. */
    public FetchService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties, Clock clock,
                        MeterRegistry meters, RemoteReads remote) {
        this(replicas, logScheduler, properties, clock, meters, System::nanoTime, remote);
    }

    /** With the move throttle on {@code nanoTime}'s clock. */
    FetchService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties, Clock clock,
                 MeterRegistry meters, LongSupplier nanoTime) {
        this(replicas, logScheduler, properties, clock, meters, nanoTime, RemoteReads.NONE);
    }

    private FetchService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties, Clock clock,
                         MeterRegistry meters, LongSupplier nanoTime, RemoteReads remote) {
        this.remote = remote;
        this.meters = meters;
        this.replicas = replicas;
        this.logScheduler = logScheduler;
        this.afterLogTask = LogScheduler.afterTaskOn(logScheduler);
        this.properties = properties;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.moveThrottle = new TokenBucket(properties.replication().moveThrottle().toBytes(), nanoTime.getAsLong());
        this.throttledReads = Counter.builder("sluice.partition.move.throttled.reads")
                .description("Reads for replicas that moves are adding held back by the move throttle")
                .register(meters);
    }

    /**
     * A consumer fetch: records below the high watermark (below the last stable offset for a read_committed fetch,
     * with the aborted transactions among them), from each partition's leader replica here.
     */
    Mono<List<FetchSection>> fetch(FetchRequest request) {
        return consumerReads(request, FetchService::sections);
    }

    /**
     * {@link #fetch}, each partition's answer as its fields ({@link PartitionRead}): what a Kafka listener writes in
     * its own format.
     */
    public Mono<List<PartitionRead>> read(FetchRequest request) {
        return read(request, false);
    }

    /**
     * {@link #read}; with {@code atAnyReplica}, each partition is read from its replica here whether it leads or
     * follows it (a consumer fetching from the closest replica, KIP-392), below that replica's own high watermark.
     */
    public Mono<List<PartitionRead>> read(FetchRequest request, boolean atAnyReplica) {
        return consumerReads(request, atAnyReplica, outcomes -> outcomes.stream().map(Outcome::read).toList());
    }

    private <T> Mono<T> consumerReads(FetchRequest request, Function<List<Outcome>, T> answer) {
        return consumerReads(request, false, answer);
    }

    private <T> Mono<T> consumerReads(FetchRequest request, boolean atAnyReplica, Function<List<Outcome>, T> answer) {
        if (request.partitions() == null || request.partitions().isEmpty()) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("A fetch needs at least one partition"));
        }
        long maxWaitMs = Math.min(orDefault(request.maxWaitMs(), 0L), properties.requests().maxFetchWait().toMillis());
        int minBytes = orDefault(request.minBytes(), 1);
        int totalBudget = orDefault(request.maxBytes(), Integer.MAX_VALUE);
        List<Read> reads = new ArrayList<>();
        for (FetchRequest.Partition p : request.partitions()) {
            if (p.fetchOffset() < 0) {
                return Mono.error(ErrorCode.INVALID_OFFSET.exception("fetch_offset must be >= 0, was " + p.fetchOffset()));
            }
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            int maxBytes = Math.min(orDefault(p.maxBytes(), DEFAULT_MAX_BYTES), totalBudget);
            reads.add(new Read(tp, p.fetchOffset(), maxBytes, PartitionBatches.ANY_EPOCH,
                    request.readCommitted() ? FetchIsolation.TXN_COMMITTED : FetchIsolation.HIGH_WATERMARK, false,
                    atAnyReplica));
        }
        return measured("consumer", longPoll(reads, minBytes, maxWaitMs, Long.MAX_VALUE,
                this::awaitEachHighWatermark))
                .map(answer);
    }

    /**
     * A follower fetch: records to the log end; the fetch offsets tell this leader how far each follower is. A
     * replica that a move is adding reads within the move throttle ({@link #moveThrottle}) until it is in the ISR.
     */
    Mono<List<FetchSection>> replicaFetch(ReplicaFetchRequest request) {
        long now = clock.millis();
        long rate = replicas.metadata().node(replicas.localNode()).map(NodeInfo::moveThrottle)
                .orElse(properties.replication().moveThrottle().toBytes());
        if (rate != moveThrottle.rate()) {
            moveThrottle.rate(rate, nanoTime.getAsLong());
        }
        List<Read> reads = new ArrayList<>();
        for (ReplicaFetchRequest.Partition p : request.partitions()) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            replicas.recordFollowerFetch(tp, request.replicaId(), request.incarnation(), p.fetchOffset(),
                    p.logStartOffset(), p.leaderEpoch(), now);
            boolean throttled = replicas.partition(tp).map(Partition::state)
                    .filter(state -> catchingUpInAMove(state, request.replicaId()))
                    .isPresent();
            reads.add(new Read(tp, p.fetchOffset(), request.maxBytes(), p.leaderEpoch(), FetchIsolation.LOG_END,
                    throttled, false));
        }
        long maxWaitMs = Math.min(request.maxWaitMs(), properties.requests().maxFetchWait().toMillis());
        return measured("replica", longPoll(reads, 1, maxWaitMs,
                properties.replication().fetchResponseMaxBytes().toBytes(), this::awaitAnyLogEnd))
                .map(outcomes -> newsFor(request, outcomes));
    }

    /**
     * Whether {@code replica} reads within the move throttle: out of the ISR, and either being added by a move or not
     * a replica at all as this leader knows the partition (a move this node has not heard of yet is still a move).
     */
    private static boolean catchingUpInAMove(PartitionState state, int replica) {
        return !state.isr().contains(replica)
                && (state.addingReplicas().contains(replica) || !state.replicas().contains(replica));
    }

    /**
     * The sections a follower needs, in request order: those with records or an error, and those whose high watermark
     * or log start offset is not the one the follower gave. Any other would change nothing there (with no records, the follower's log end
     * is the leader's, so its high watermark would become the leader's, which it already is); leaving them out keeps
     * a round over hundreds of partitions, few of which moved, small at both ends.
     */
    private static List<FetchSection> newsFor(ReplicaFetchRequest request, List<Outcome> outcomes) {
        List<FetchSection> news = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (outcome.failed() || !outcome.section().records().isEmpty()
                    || outcome.highWatermark() != request.partitions().get(i).highWatermark()
                    || outcome.logStartOffset() != request.partitions().get(i).logStartOffset()) {
                news.add(outcome.section());
            }
        }
        return news;
    }

    /** Bytes sent per topic and fetch latency (long-poll waits included), by kind of reader. */
    private Mono<List<Outcome>> measured(String kind, Mono<List<Outcome>> fetch) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return fetch.doOnNext(outcomes -> {
                latency.computeIfAbsent(kind, k -> Timer.builder("sluice.partition.fetch.latency")
                                .description("Fetch latency, long-poll wait included").tag("kind", k)
                                .publishPercentileHistogram().register(meters))
                        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                for (Outcome outcome : outcomes) {
                    FetchSection section = outcome.section();
                    if (!section.records().isEmpty()) {
                        OutMeters out = outMeters.computeIfAbsent(new TopicKind(section.topic(), kind), this::outMeters);
                        out.bytes().increment(section.records().length());
                        out.records().increment(section.offsetsRead());
                    }
                }
            });
        });
    }

    /** The counters of what a kind of reader took from a topic, registered once rather than looked up per fetch. */
    private OutMeters outMeters(TopicKind key) {
        return new OutMeters(
                Counter.builder("sluice.partition.bytes.out").baseUnit("bytes").description("Record bytes sent")
                        .tags("topic", key.topic(), "kind", key.kind()).register(meters),
                Counter.builder("sluice.partition.records.out").description("Offsets read past by readers")
                        .tags("topic", key.topic(), "kind", key.kind()).register(meters));
    }

    private record TopicKind(String topic, String kind) {
    }

    private record OutMeters(Counter bytes, Counter records) {
    }

    /** @param budget the answer's record bytes over all its partitions ({@link #readAll}) */
    private Mono<List<Outcome>> longPoll(List<Read> reads, int minBytes, long maxWaitMs, long budget, Waiting waiting) {
        // A poll at the end of each of its logs (a follower that has everything, a consumer at the high watermark)
        // reads nothing, which needs no file: it is answered here, on the caller's thread, and only a read that has
        // to find records in a file goes to a log thread.
        return Mono.defer(() -> readAllInPlaceOr(reads, budget, logScheduler)).flatMap(first -> {
            if (maxWaitMs <= 0 || bytes(first) >= minBytes || first.stream().anyMatch(Outcome::failed)) {
                return Mono.just(first);
            }
            Map<Partition, Long> targets = new LinkedHashMap<>();
            long held = 0;
            for (int i = 0; i < reads.size(); i++) {
                if (first.get(i).remoteFetch() != null) {
                    // Its data is in remote storage: it waits for the segment to be fetched, not for the log.
                    continue;
                }
                if (first.get(i).heldFor() > 0) {
                    // Its data is there already: it waits for the throttle, not for the log.
                    held = Math.max(held, first.get(i).heldFor());
                    continue;
                }
                // Past the offset the read ended at: in a compacted log an offset removed up to the high watermark
                // reads nothing, and waiting only for the offset itself would answer at once, again and again.
                long from = Math.max(reads.get(i).offset(), first.get(i).waitFrom());
                replicas.partition(reads.get(i).partition()).ifPresent(p -> targets.merge(p, from + 1, Math::min));
            }
            List<CompletableFuture<?>> waits = new ArrayList<>(waiting.register(targets));
            first.stream().map(Outcome::remoteFetch).filter(Objects::nonNull).forEach(waits::add);
            if (held > 0) {
                waits.add(CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                        moveThrottle.waitFor(Math.max(1, held), nanoTime.getAsLong()).toNanos(),
                        TimeUnit.NANOSECONDS)));
            }
            // Woken by the first partition that gets data, or by a waiter failing (log closed): either way, read
            // again. Errors are folded into the wake-up so that cancelling the losers later reports nothing.
            CompletableFuture<Boolean> woken = CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new))
                    .handle((value, error) -> Boolean.TRUE);
            return Mono.fromFuture(woken, true)
                    .timeout(Duration.ofMillis(maxWaitMs), Mono.just(Boolean.FALSE))
                    // Woken by a leader's high watermark rise (on the event loop of the follower fetch that raised
                    // it): what the rise made readable is answered there, without reading a file. Otherwise woken
                    // by an append on a log thread: read there once the append's task ends, without a hand-off;
                    // woken elsewhere (a high watermark set on an event loop, the wait's timer): handed.
                    .then(Mono.defer(() -> readAllInPlaceOr(reads, budget, afterLogTask)))
                    // Completed rather than cancelled: that drops them from the logs' waiters just the same, without
                    // the two exceptions per waiter a cancel costs.
                    .doFinally(signal -> waits.forEach(w -> w.complete(null)));
        });
    }

    /** How a long poll waits for its partitions' logs to reach the given offsets: the first future to complete wakes it. */
    @FunctionalInterface
    private interface Waiting {
        List<CompletableFuture<?>> register(Map<Partition, Long> targets);
    }

    /** A consumer fetch (a few partitions) waits on each partition's high watermark. */
    private List<CompletableFuture<?>> awaitEachHighWatermark(Map<Partition, Long> targets) {
        List<CompletableFuture<?>> waits = new ArrayList<>(targets.size());
        targets.forEach((partition, offset) -> waits.add(partition.log().awaitHighWatermark(offset)));
        return waits;
    }

    /**
     * A follower fetch names every partition the two nodes share, hundreds of them, and waits as one poll on the
     * log end watch they share ({@link LogEndWatch}), not once per partition: an idle round then registers once.
     */
    private List<CompletableFuture<?>> awaitAnyLogEnd(Map<Partition, Long> targets) {
        Map<LogEndWatch, Map<PartitionLog, Long>> byWatch = new HashMap<>(2); // one, unless logs come from elsewhere
        targets.forEach((partition, offset) -> byWatch
                .computeIfAbsent(partition.log().logEndWatch(), watch -> new IdentityHashMap<>(targets.size() * 2))
                .put(partition.log(), offset));
        List<CompletableFuture<?>> waits = new ArrayList<>(byWatch.size());
        byWatch.forEach((watch, logs) -> waits.add(watch.awaitAny(logs)));
        return waits;
    }

    /**
     * Reads each partition in request order within one {@code budget} of record bytes: each partition reads at most
     * what is left of it, and only while nothing has been read may a partition's first batch go past it. A follower's
     * answer has {@code replication.fetch-response-max-bytes}, so a follower far behind on many partitions gets an
     * answer of bounded size that still moves (its next round starts one partition further on); a consumer fetch has
     * none ({@link Long#MAX_VALUE}), its partitions each reading up to their own limit.
     */
    private List<Outcome> readAll(List<Read> reads, long budget) {
        long left = budget;
        List<Outcome> outcomes = new ArrayList<>(reads.size());
        for (Read read : reads) {
            Outcome outcome = read(read, left, left == budget);
            outcomes.add(outcome);
            left = Math.max(0, left - outcome.section().records().length());
        }
        return outcomes;
    }

    /** {@link #readAllInPlace} on this thread where it answers, else {@link #readAll} on {@code logThreads}. */
    private Mono<List<Outcome>> readAllInPlaceOr(List<Read> reads, long budget, Scheduler logThreads) {
        List<Outcome> inPlace = readAllInPlace(reads, budget);
        return inPlace != null ? Mono.just(inPlace)
                : Mono.fromCallable(() -> readAll(reads, budget)).subscribeOn(logThreads);
    }

    /**
     * {@link #readAll}'s answer when every read is found without reading a file: at or past where its log ends for it
     * (nothing, {@link PartitionLog#readIfNothing}), or a consumer's at where its high watermark last rose from
     * ({@link PartitionLog#readLastRise}); null when any read needs a file or has an error to report ({@link #readAll}
     * answers it then, on a log thread).
     */
    private List<Outcome> readAllInPlace(List<Read> reads, long budget) {
        long left = budget;
        List<Outcome> outcomes = new ArrayList<>(reads.size());
        for (Read read : reads) {
            Partition partition;
            try {
                partition = partition(read);
            } catch (SluiceException e) {
                return null;
            }
            PartitionLog log = partition.log();
            LogReadResult result = log.readLastRise(read.offset(), (int) Math.min(read.maxBytes(), left),
                    read.isolation());
            if (result == null) {
                result = log.readIfNothing(read.offset(), read.isolation());
            }
            if (result == null) {
                return null;
            }
            outcomes.add(outcome(read, partition, result, 0));
            left = Math.max(0, left - result.records().length());
        }
        return outcomes;
    }

    /** The replica a read is answered from: the leader's, or for a read at any replica the one here. */
    private Partition partition(Read read) {
        return read.atAnyReplica() ? replicas.hostedPartition(read.partition(), read.leaderEpoch())
                : replicas.leaderPartition(read.partition(), read.leaderEpoch());
    }

    /**
     * @param left     the answer's record bytes still unspent
     * @param minOne   whether the first batch is read even when larger than the limit (nothing read before it)
     */
    private Outcome read(Read read, long left, boolean minOne) {
        TopicPartition tp = read.partition();
        PartitionLog log = null;
        try {
            Partition partition = partition(read);
            log = partition.log();
            int maxBytes = read.throttled()
                    ? (int) Math.max(1, Math.min(read.maxBytes(), moveThrottle.available(nanoTime.getAsLong())))
                    : read.maxBytes();
            maxBytes = (int) Math.min(maxBytes, left);
            LogReadResult result = log.read(read.offset(), maxBytes, read.isolation(), minOne);
            long heldFor = 0;
            if (read.throttled() && result.records().length() > 0
                    && !moveThrottle.tryTake(result.records().length(), nanoTime.getAsLong())) {
                // The read is a region of the segment file: left unsent, it costs nothing; the next takes it again.
                heldFor = result.records().length();
                throttledReads.increment();
                result = log.read(read.offset(), 0, read.isolation(), false);
            }
            return outcome(read, partition, result, heldFor);
        } catch (SluiceException e) {
            long start = -1;
            long end = -1;
            long hw = -1;
            if (e.errorCode() == ErrorCode.OFFSET_OUT_OF_RANGE && log != null) {
                Partition partition = replicas.partition(tp).orElse(null);
                if (partition != null && read.offset() < log.logStartOffset()
                        && read.isolation() != FetchIsolation.LOG_END) {
                    Optional<RemoteReads.RemoteRead> fromRemote = remote.read(partition, read.offset(),
                            read.maxBytes(), read.isolation() == FetchIsolation.TXN_COMMITTED);
                    if (fromRemote.isPresent()) {
                        return remoteOutcome(read, log, remote.logStartOffset(partition), fromRemote.get());
                    }
                    start = remote.logStartOffset(partition);
                } else {
                    start = log.logStartOffset();
                }
                end = log.logEndOffset();
                hw = log.highWatermark();
            }
            return new Outcome(new FetchSection(tp.topic(), FetchResponseCodec.header(tp, e.errorCode(), hw, start, end, 0),
                    io.sluice.log.FileRegion.empty(), 0), new PartitionRead(tp, e.errorCode(), hw, hw, start, List.of(),
                    io.sluice.log.FileRegion.empty()), true, read.offset(), hw, start, 0);
        }
    }

    /** A read's answer from what its log read ({@code heldFor}: the bytes the move throttle held back). */
    private Outcome outcome(Read read, Partition partition, LogReadResult result, long heldFor) {
        TopicPartition tp = read.partition();
        List<FetchResponseCodec.AbortedTransaction> aborted = result.abortedTxns().stream()
                .map(txn -> new FetchResponseCodec.AbortedTransaction(txn.producerId(), txn.firstOffset()))
                .toList();
        // A consumer is told where the whole log starts (in remote storage, for a tiered topic); a follower, where
        // this replica's local log does, which is the one it follows.
        long logStart = read.isolation() == FetchIsolation.LOG_END ? result.offsets().logStartOffset()
                : Math.min(result.offsets().logStartOffset(), remote.logStartOffset(partition));
        return new Outcome(new FetchSection(tp.topic(), FetchResponseCodec.header(tp, null,
                result.offsets().highWatermark(), result.lastStableOffset(), logStart,
                result.offsets().logEndOffset(), aborted, result.records().length()),
                result.records(), Math.max(0, result.nextFetchOffset() - result.fetchOffset())),
                new PartitionRead(tp, null, result.offsets().highWatermark(), result.lastStableOffset(),
                        logStart, aborted, result.records()), false,
                result.nextFetchOffset(), result.offsets().highWatermark(), logStart, heldFor);
    }

    /**
     * A consumer's read below the local log, from tiered storage: the batches of a remote segment, or nothing yet and
     * the fetch of that segment to wait for. The header carries the whole log's start.
     */
    private static Outcome remoteOutcome(Read read, PartitionLog log, long logStart, RemoteReads.RemoteRead fromRemote) {
        TopicPartition tp = read.partition();
        long hw = log.highWatermark();
        long lastStable = log.lastStableOffset();
        long end = log.logEndOffset();
        List<FetchResponseCodec.AbortedTransaction> aborted = fromRemote.abortedTxns().stream()
                .map(txn -> new FetchResponseCodec.AbortedTransaction(txn.producerId(), txn.firstOffset()))
                .toList();
        io.sluice.log.FileRegion records = fromRemote.records();
        long next = fromRemote.isPending() ? read.offset() : fromRemote.nextOffset();
        return new Outcome(new FetchSection(tp.topic(), FetchResponseCodec.header(tp, null, hw, lastStable, logStart,
                end, aborted, records.length()), records, Math.max(0, next - read.offset())),
                new PartitionRead(tp, null, hw, lastStable, logStart, aborted, records), false, next, hw, logStart, 0,
                fromRemote.pending());
    }

    /** Offsets by time, earliest, latest and max timestamp, from each partition's leader. */
    public Mono<ListOffsetsResponse> listOffsets(ListOffsetsRequest request) {
        return Mono.fromCallable(() -> {
            List<ListOffsetsResponse.Partition> answers = new ArrayList<>();
            for (ListOffsetsRequest.Partition p : request.partitions()) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                try {
                    Partition partition = replicas.leaderPartition(tp, PartitionBatches.ANY_EPOCH);
                    PartitionLog log = partition.log();
                    FetchIsolation isolation = request.readCommitted() ? FetchIsolation.TXN_COMMITTED
                            : FetchIsolation.HIGH_WATERMARK;
                    if (p.timestamp() == ListOffsetsRequest.EARLIEST) {
                        answers.add(answer(tp, remote.logStartOffset(partition), null));
                    } else if (p.timestamp() == ListOffsetsRequest.EARLIEST_LOCAL) {
                        answers.add(answer(tp, log.logStartOffset(), null));
                    } else if (p.timestamp() == ListOffsetsRequest.LATEST_TIERED) {
                        answers.add(answer(tp, remote.lastTieredOffset(partition), null));
                    } else if (p.timestamp() == ListOffsetsRequest.LATEST) {
                        answers.add(answer(tp, request.readCommitted() ? log.lastStableOffset() : log.highWatermark(),
                                null));
                    } else if (p.timestamp() == ListOffsetsRequest.MAX_TIMESTAMP) {
                        Optional<TimestampOffset> found = log.maxTimestampOffset(isolation);
                        answers.add(found.map(f -> answer(tp, f.offset(), f.timestamp())).orElse(answer(tp, -1L, -1L)));
                    } else if (p.timestamp() < 0) {
                        throw ErrorCode.INVALID_TIMESTAMP.exception("timestamp must be >= 0, -1 (latest), -2 "
                                + "(earliest), -3 (max timestamp), -4 (earliest local) or -5 (latest tiered)");
                    } else {
                        Optional<TimestampOffset> found = remote.offsetForTimestamp(partition, p.timestamp())
                                .or(() -> log.offsetForTimestamp(p.timestamp(), isolation));
                        answers.add(found.map(f -> answer(tp, f.offset(), f.timestamp())).orElse(answer(tp, -1L, -1L)));
                    }
                } catch (SluiceException e) {
                    answers.add(new ListOffsetsResponse.Partition(tp.topic(), tp.partition(), e.errorCode(),
                            e.getMessage(), null, null));
                }
            }
            return new ListOffsetsResponse(answers);
        }).subscribeOn(logScheduler);
    }

    /** Where each asked epoch ends in this leader's log (KIP-279), for followers about to truncate. */
    public Mono<EpochEndOffsetsResponse> epochEndOffsets(EpochEndOffsetsRequest request) {
        return Mono.fromCallable(() -> {
            List<EpochEndOffsetsResponse.Partition> answers = new ArrayList<>();
            for (EpochEndOffsetsRequest.Partition p : request.partitions()) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                try {
                    PartitionLog log = replicas.leaderPartition(tp, p.currentLeaderEpoch()).log();
                    EpochEndOffset end = log.endOffsetForEpoch(p.leaderEpoch());
                    answers.add(new EpochEndOffsetsResponse.Partition(tp.topic(), tp.partition(), null,
                            end.leaderEpoch(), end.endOffset()));
                } catch (SluiceException e) {
                    answers.add(new EpochEndOffsetsResponse.Partition(tp.topic(), tp.partition(), e.errorCode(),
                            EpochEndOffset.UNDEFINED_EPOCH, EpochEndOffset.UNDEFINED_OFFSET));
                }
            }
            return new EpochEndOffsetsResponse(answers);
        }).subscribeOn(logScheduler);
    }

    private static ListOffsetsResponse.Partition answer(TopicPartition tp, Long offset, Long timestamp) {
        return new ListOffsetsResponse.Partition(tp.topic(), tp.partition(), null, null, offset, timestamp);
    }

    private static List<FetchSection> sections(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::section).toList();
    }

    private static long bytes(List<Outcome> outcomes) {
        return outcomes.stream().mapToLong(o -> o.section().records().length()).sum();
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /**
     * {@code throttled}: a read for a replica that a move is adding, within the {@link #moveThrottle};
     * {@code atAnyReplica}: read here whether this node leads the partition or follows it.
     */
    private record Read(TopicPartition partition, long offset, int maxBytes, int leaderEpoch, FetchIsolation isolation,
                        boolean throttled, boolean atAnyReplica) {
    }

    /**
     * A read's answer; {@code waitFrom} is where the log says the next read starts (past a compacted gap), and
     * {@code highWatermark} and {@code logStartOffset} the ones its header carries; {@code heldFor} the bytes the move
     * throttle held back (0 when it held back none).
     */
    private record Outcome(FetchSection section, PartitionRead read, boolean failed, long waitFrom, long highWatermark,
                           long logStartOffset, long heldFor, CompletableFuture<?> remoteFetch) {

        Outcome(FetchSection section, PartitionRead read, boolean failed, long waitFrom, long highWatermark,
                long logStartOffset, long heldFor) {
            this(section, read, failed, waitFrom, highWatermark, logStartOffset, heldFor, null);
        }
    }
}
