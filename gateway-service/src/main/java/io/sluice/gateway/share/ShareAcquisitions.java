package io.sluice.gateway.share;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.consume.ConsumedRecord;
import io.sluice.gateway.consume.PartitionRecords;
import io.sluice.gateway.consume.ReadResult;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Takes records of a share group for a member: per partition, asks the coordinator first for what is in flight and
 * available again (an empty read, which also answers the share-partition's end offset), then reads the log from that
 * end offset up to the high watermark and passes the offsets it read, which the coordinator locks as far as its window
 * allows. The records' contents come from the log, read through the read path (its formats); nothing about the member
 * or the share-partition stays in this gateway, so any gateway serves any call.
 *
 * <p>Partitions are taken in turn from a random one, so that concurrent members do not all start at partition 0, and
 * only while the take has room: a record locked is always answered. When nothing is acquirable the take waits up to
 * its {@code max_wait_ms}: on the partitions' logs for new records, at most {@link #RECHECK} at a time, since records
 * released or whose lock expired wake no log read. A partition whose in-flight window the coordinator answered full is
 * neither read nor waited on: its log may well have records past the window, and a wait on them would end at once and
 * the take would ask again, spinning for its whole wait. Only an acknowledgement (through any gateway) or an expired
 * lock makes room there, so the take asks again after {@link #RECHECK}, or at the window's earliest lock deadline if
 * that is sooner.
 *
 * <p>A take may be given a signal to stop waiting (a stream whose connection closed): once it is set, the take asks the
 * coordinator for nothing more and answers what it has, so it ends within the round trip in progress.
 */
@Service
class ShareAcquisitions {

    /** The longest a take waits on the logs before it asks the coordinator again. */
    static final Duration RECHECK = Duration.ofMillis(500);
    /**
     * The shortest wait for a lock deadline: the deadline is on the coordinator's clock, and a gateway's clock ahead of
     * it would otherwise ask again and again until the coordinator's clock reaches the deadline too.
     */
    static final Duration MIN_LOCK_WAIT = Duration.ofMillis(10);

    private final ShareGroupApi shares;
    private final PartitionReader reader;
    private final PartitionRecords records;
    private final int maxBytes;

    ShareAcquisitions(ShareGroupApi shares, PartitionReader reader, PartitionRecords records,
                      GatewayProperties properties) {
        this.shares = shares;
        this.reader = reader;
        this.records = records;
        this.maxBytes = (int) properties.consume().defaultMaxBytes().toBytes();
    }

    /** Up to {@code maxRecords} records of {@code partitions} locked for {@code memberId}, waiting up to {@code waitMs}. */
    Mono<List<ShareViews.AcquiredRecord>> acquire(String group, String memberId, String topic, List<Integer> partitions,
                                                  int maxRecords, long waitMs, Formats formats) {
        return acquire(group, memberId, topic, partitions, maxRecords, waitMs, formats, new CompletableFuture<>());
    }

    /** As {@link #acquire}, ending its wait without taking more as soon as {@code stop} completes. */
    Mono<List<ShareViews.AcquiredRecord>> acquire(String group, String memberId, String topic, List<Integer> partitions,
                                                  int maxRecords, long waitMs, Formats formats,
                                                  CompletableFuture<?> stop) {
        int first = ThreadLocalRandom.current().nextInt(partitions.size());
        List<TopicPartition> order = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            order.add(new TopicPartition(topic, partitions.get((first + i) % partitions.size())));
        }
        Take take = new Take(group, memberId, order, maxRecords, formats, System.nanoTime() + waitMs * 1_000_000,
                stop);
        return take.run();
    }

    /** One take, its partitions in their order, its budget and deadline. */
    private final class Take {

        private final String group;
        private final String memberId;
        private final List<TopicPartition> partitions;
        private final int maxRecords;
        private final Formats formats;
        private final long deadlineNanos;
        private final CompletableFuture<?> stop;
        /** Each partition's share end offset as last answered: where a wait reads the log. */
        private final Map<TopicPartition, Long> ends = new HashMap<>();
        /** The partitions whose window the last pass found full, each with its earliest lock deadline (-1: none). */
        private final Map<TopicPartition, Long> full = new HashMap<>();

        Take(String group, String memberId, List<TopicPartition> partitions, int maxRecords, Formats formats,
             long deadlineNanos, CompletableFuture<?> stop) {
            this.group = group;
            this.memberId = memberId;
            this.partitions = partitions;
            this.maxRecords = maxRecords;
            this.formats = formats;
            this.deadlineNanos = deadlineNanos;
            this.stop = stop;
        }

        Mono<List<ShareViews.AcquiredRecord>> run() {
            return pass().flatMap(taken -> {
                long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (!taken.isEmpty() || leftMs <= 0 || stop.isDone()) {
                    return Mono.just(taken);
                }
                return Mono.firstWithSignal(awaitRecords(Math.min(leftMs, RECHECK.toMillis())),
                                Mono.fromFuture(stop, true).then())
                        .then(Mono.defer(() -> stop.isDone() ? Mono.just(List.<ShareViews.AcquiredRecord>of())
                                : run()));
            });
        }

        /** The partitions in turn, each asked for what room is left; one at a time, so the room is exact. */
        private Mono<List<ShareViews.AcquiredRecord>> pass() {
            List<ShareViews.AcquiredRecord> taken = new ArrayList<>();
            full.clear();
            return Flux.fromIterable(partitions)
                    .concatMap(tp -> taken.size() >= maxRecords ? Mono.<List<ShareViews.AcquiredRecord>>empty()
                            : acquire(tp, maxRecords - taken.size()).doOnNext(taken::addAll))
                    .then(Mono.fromSupplier(() -> taken));
        }

        /**
         * Waits until any partition's log has a record at or after its share end offset, or {@code waitMs} passed, or
         * the earliest lock of a full window may have expired; the logs of full windows are not waited on.
         */
        private Mono<Void> awaitRecords(long waitMs) {
            long nowMs = System.currentTimeMillis();
            long lockWaitMs = full.values().stream().filter(deadline -> deadline >= 0)
                    .mapToLong(deadline -> Math.max(deadline - nowMs, MIN_LOCK_WAIT.toMillis())).min().orElse(waitMs);
            long boundMs = Math.min(waitMs, lockWaitMs);
            List<Map.Entry<TopicPartition, Long>> logs = ends.entrySet().stream()
                    .filter(end -> !full.containsKey(end.getKey())).toList();
            if (logs.isEmpty()) {
                return Mono.delay(Duration.ofMillis(boundMs)).then();
            }
            return Flux.fromIterable(logs)
                    .flatMap(end -> records.read(end.getKey(), end.getValue(), 1, maxBytes, boundMs, false, formats))
                    .filter(read -> !read.records().isEmpty())
                    .next()
                    .then();
        }

        private Mono<List<ShareViews.AcquiredRecord>> acquire(TopicPartition tp, int room) {
            return reader.bounds(tp).flatMap(bounds -> shares.acquire(new ShareAcquireRequest(group, memberId,
                            tp.topic(), tp.partition(), room, bounds.logStartOffset(), bounds.highWatermark(), 0, 0,
                            List.of()))
                    .flatMap(again -> {
                        ends.put(tp, again.endOffset());
                        int left = room - again.records().size();
                        if (again.windowFull()) {
                            full.put(tp, again.nextLockDeadlineMs());
                        }
                        if (left <= 0 || again.windowFull() || again.endOffset() >= bounds.highWatermark()) {
                            return withContents(tp, again.records(), Map.of());
                        }
                        return records.read(tp, again.endOffset(), left, maxBytes, 0, false, formats)
                                .flatMap(read -> shares.acquire(slice(tp, left, again.endOffset(), read))
                                        .flatMap(fresh -> {
                                            ends.put(tp, fresh.endOffset());
                                            if (fresh.windowFull()) {
                                                full.put(tp, fresh.nextLockDeadlineMs());
                                            }
                                            List<ShareAcquireResponse.AcquiredRecord> all =
                                                    new ArrayList<>(again.records());
                                            all.addAll(fresh.records());
                                            Map<Long, ConsumedRecord> readRecords = new HashMap<>();
                                            read.records().forEach(r -> readRecords.put(r.offset(), r));
                                            return withContents(tp, all, readRecords);
                                        }));
                    }));
        }

        /** What was read from {@code readFrom}, as the coordinator takes it: every offset read, gaps left out. */
        private ShareAcquireRequest slice(TopicPartition tp, int room, long readFrom, ReadResult read) {
            List<Long> offsets = read.records().stream().map(ConsumedRecord::offset).toList();
            // A read below the log start begins at the log start: what is before it is a gap.
            long readTo = Math.max(readFrom, read.nextOffset());
            return new ShareAcquireRequest(group, memberId, tp.topic(), tp.partition(), room, read.logStartOffset(),
                    read.highWatermark(), readFrom, readTo, offsets);
        }

        /**
         * The acquired records with their contents: those of {@code known}, and the others (delivered again) read from
         * the log. A record retention removed since it was read has no contents left and is not answered; its lock
         * expires and the coordinator's window moves past it.
         */
        private Mono<List<ShareViews.AcquiredRecord>> withContents(TopicPartition tp,
                                                                  List<ShareAcquireResponse.AcquiredRecord> acquired,
                                                                  Map<Long, ConsumedRecord> known) {
            TreeSet<Long> missing = new TreeSet<>();
            acquired.stream().map(ShareAcquireResponse.AcquiredRecord::offset).filter(o -> !known.containsKey(o))
                    .forEach(missing::add);
            Map<Long, ConsumedRecord> contents = new HashMap<>(known);
            return readMissing(tp, missing, contents).then(Mono.fromSupplier(() -> acquired.stream()
                    .filter(a -> contents.containsKey(a.offset()))
                    .map(a -> ShareViews.AcquiredRecord.of(contents.get(a.offset()), a.acquisitionId(),
                            a.lockDeadlineMs(), a.deliveryCount()))
                    .toList()));
        }

        private Mono<Void> readMissing(TopicPartition tp, TreeSet<Long> missing, Map<Long, ConsumedRecord> contents) {
            if (missing.isEmpty()) {
                return Mono.empty();
            }
            long from = missing.first();
            int span = (int) Math.min(Integer.MAX_VALUE, missing.last() - from + 1);
            return records.read(tp, from, span, maxBytes, 0, false, formats).flatMap(read -> {
                read.records().stream().filter(r -> missing.contains(r.offset()))
                        .forEach(r -> contents.put(r.offset(), r));
                long next = Math.max(read.nextOffset(), from + 1);
                missing.headSet(next).clear();
                return readMissing(tp, missing, contents);
            });
        }
    }
}
