package io.sluice.gateway.kafka.fetch;

import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import reactor.core.publisher.Mono;

/**
 * One connection's sections read ahead: once a Fetch is answered and some partition's answer ended below its high
 * watermark, each partition of the answer is read again from where its answer ended (the offset after its last whole
 * batch, or the same offset when it had no records), with the same {@code partition_max_bytes}, without waiting, while
 * the client processes what it got. A later Fetch of the connection that asks for a partition at exactly that offset
 * and size is answered from what was read ahead.
 *
 * <p>Why: a Kafka consumer keeps one fetch in flight per broker, and to it the gateway is one broker for every
 * partition; against Kafka the other leaders' fetches overlap the client's processing, against one gateway each
 * fetch's trip to the leaders did not (docs/benchmarks.md, runs K2 and K3). Partitions that have reached their high
 * watermark are read ahead too: a consumer asks for every partition it has drained, so once one partition is done,
 * every later Fetch would otherwise wait on that partition's leader only to learn that it has nothing new
 * (docs/benchmarks.md, runs Q1 to Q3).
 *
 * <p>Reading ahead does the same reads as before, earlier: nothing above a high watermark, nothing a client could
 * not have been answered when the read was made. A section is used only within {@link #MAX_AGE_NANOS} of its read (so
 * it is never older than an answer a long poll could have held), and only without error; one without records is used
 * only when those with records already hold the Fetch's {@code min_bytes} ({@link #plan}), since a Fetch that waits
 * for records must see them arrive. Anything else is read anew, as without this. Access control, epochs, quotas and
 * the request's {@code max_bytes} are applied to each Fetch as before.
 *
 * <p>What is read ahead is bounded by a {@link Budget} shared by all connections: each partition counts its
 * {@code partition_max_bytes} while it is read, then the bytes it holds, until it is used or dropped; with none left,
 * nothing is read ahead. Thread-safe: a connection's Fetch requests come one at a time, but its end clears it, and a
 * read ahead settles its count, from other threads.
 */
final class ReadAhead {

    /** How long a section read ahead may be used. */
    static final long MAX_AGE_NANOS = 500_000_000L;

    private final Budget budget;
    private final LongSupplier nanoClock;
    private final Map<TopicPartition, Entry> entries = new HashMap<>();
    private boolean closed;

    ReadAhead(Budget budget, LongSupplier nanoClock) {
        this.budget = budget;
        this.nanoClock = nanoClock;
    }

    /**
     * The sections read ahead for partitions of {@code asked} at exactly their offset and size, in request order; every
     * section read ahead for an asked partition, used or not, is forgotten, as is any past its age.
     */
    synchronized Map<TopicPartition, Mono<FetchedPartition>> take(List<FetchRequest.Partition> asked) {
        long now = nanoClock.getAsLong();
        expire(now);
        Map<TopicPartition, Mono<FetchedPartition>> hits = new LinkedHashMap<>();
        for (FetchRequest.Partition partition : asked) {
            TopicPartition tp = new TopicPartition(partition.topic(), partition.partition());
            Entry entry = entries.remove(tp);
            if (entry == null) {
                continue;
            }
            budget.release(entry.cost);
            if (entry.offset == partition.fetchOffset() && Objects.equals(entry.maxBytes, partition.maxBytes())) {
                hits.put(tp, entry.section);
            }
        }
        return hits;
    }

    /**
     * Starts reading ahead, with {@code read}, the partitions of {@code answered} whose sections in {@code sections}
     * (same order) had no error, as far as the budget allows: each from where its section ended (the offset after its
     * last whole batch, or the asked offset when it had no records), if some section ended below its high watermark.
     * A partition whose section reached its high watermark is read too, so that the next Fetch need not wait on its
     * leader only to learn that it has nothing new ({@link #plan}); when none ended below, the consumer is caught up
     * and nothing is read ahead.
     */
    synchronized void start(List<FetchRequest.Partition> answered, List<FetchedPartition> sections,
                            Function<List<FetchRequest.Partition>, Mono<List<FetchedPartition>>> read) {
        if (closed) {
            return;
        }
        List<FetchRequest.Partition> positions = new ArrayList<>();
        boolean behind = false;
        for (int i = 0; i < answered.size() && i < sections.size(); i++) {
            FetchRequest.Partition asked = answered.get(i);
            FetchedPartition section = sections.get(i);
            long offset = section.error() != null ? -1
                    : section.records().hasRemaining() ? nextOffset(section.records()) : asked.fetchOffset();
            if (offset >= asked.fetchOffset() && offset <= section.highWatermark()) {
                positions.add(new FetchRequest.Partition(asked.topic(), asked.partition(), offset, asked.maxBytes()));
                behind |= offset < section.highWatermark();
            }
        }
        if (!behind) {
            return;
        }
        List<FetchRequest.Partition> next = new ArrayList<>();
        for (FetchRequest.Partition partition : positions) {
            long cost = partition.maxBytes() == null ? 0 : partition.maxBytes();
            Entry stale = entries.remove(new TopicPartition(partition.topic(), partition.partition()));
            if (stale != null) {
                budget.release(stale.cost);
            }
            if (budget.reserve(cost)) {
                next.add(partition);
            }
        }
        if (next.isEmpty()) {
            return;
        }
        Mono<List<FetchedPartition>> all = read.apply(next).onErrorReturn(List.of()).cache();
        long now = nanoClock.getAsLong();
        Map<TopicPartition, Entry> started = new HashMap<>();
        for (FetchRequest.Partition partition : next) {
            TopicPartition tp = new TopicPartition(partition.topic(), partition.partition());
            Mono<FetchedPartition> section = all.flatMap(fetched -> Mono.justOrEmpty(fetched.stream()
                    .filter(s -> s.partition().equals(tp)).findFirst()));
            Entry entry = new Entry(partition.fetchOffset(), partition.maxBytes(),
                    partition.maxBytes() == null ? 0 : partition.maxBytes(), now, section);
            entries.put(tp, entry);
            started.put(tp, entry);
        }
        all.subscribe(fetched -> settle(started, fetched));
    }

    /**
     * The sections of {@code started} have been read: each still waiting to be used now counts only the bytes it holds
     * (a partition that had nothing new, none), so that partitions with nothing to read ahead do not hold the budget.
     * One already used, dropped or replaced gave its whole reservation back then.
     */
    private synchronized void settle(Map<TopicPartition, Entry> started, List<FetchedPartition> fetched) {
        Map<TopicPartition, Integer> held = new HashMap<>();
        for (FetchedPartition section : fetched) {
            held.put(section.partition(), section.records().remaining());
        }
        started.forEach((tp, entry) -> {
            if (entries.get(tp) != entry) {
                return;
            }
            long holds = held.getOrDefault(tp, 0);
            if (holds < entry.cost) {
                budget.release(entry.cost - holds);
                entry.cost = holds;
            }
        });
    }

    /**
     * What a Fetch of {@code asked} does with {@code ready}, the sections read ahead for some of its partitions: those
     * with records answer their partitions; those without records (and without error) answer theirs only if the
     * ones with records hold {@code minBytes}, since a Fetch that has to wait for {@code minBytes} must see new
     * records where they arrive; every other partition of {@code asked} is read now.
     */
    static Plan plan(List<FetchRequest.Partition> asked, List<FetchedPartition> ready, int minBytes) {
        Map<TopicPartition, FetchedPartition> answered = new HashMap<>();
        List<FetchedPartition> empty = new ArrayList<>();
        long bytes = 0;
        for (FetchedPartition section : ready) {
            if (section.error() != null) {
                continue;
            }
            if (section.records().hasRemaining()) {
                answered.put(section.partition(), section);
                bytes += section.records().remaining();
            } else {
                empty.add(section);
            }
        }
        if (bytes >= minBytes) {
            empty.forEach(section -> answered.put(section.partition(), section));
        }
        List<FetchRequest.Partition> toRead = asked.stream()
                .filter(partition -> !answered.containsKey(new TopicPartition(partition.topic(), partition.partition())))
                .toList();
        return new Plan(answered, toRead, bytes);
    }

    /**
     * A Fetch's use of what was read ahead: the sections it answers with, the partitions still to read, and the bytes
     * of records already in hand.
     */
    record Plan(Map<TopicPartition, FetchedPartition> answered, List<FetchRequest.Partition> toRead, long bytes) {
    }

    /** Forgets everything and reads nothing more ahead: the connection ended. */
    synchronized void close() {
        closed = true;
        entries.values().forEach(entry -> budget.release(entry.cost));
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }

    private void expire(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (now - entry.readAtNanos > MAX_AGE_NANOS) {
                budget.release(entry.cost);
                it.remove();
            }
        }
    }

    /**
     * The offset after the last whole batch of {@code records} (kafka-clients reads the batch headers), or -1 when
     * there is none.
     */
    static long nextOffset(ByteBuffer records) {
        if (!records.hasRemaining()) {
            return -1;
        }
        long next = -1;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(records.duplicate()).batches()) {
            next = batch.nextOffset();
        }
        return next;
    }

    /**
     * A section being read, or read, ahead: from which offset with which size, when, and what it counts against the
     * budget (its {@code partition_max_bytes} while it is read, then the bytes it holds; guarded by the
     * {@link ReadAhead}'s lock).
     */
    private static final class Entry {

        final long offset;
        final Integer maxBytes;
        final long readAtNanos;
        final Mono<FetchedPartition> section;
        long cost;

        Entry(long offset, Integer maxBytes, long cost, long readAtNanos, Mono<FetchedPartition> section) {
            this.offset = offset;
            this.maxBytes = maxBytes;
            this.cost = cost;
            this.readAtNanos = readAtNanos;
            this.section = section;
        }
    }

    /** The bytes all connections may hold read ahead ({@code sluice.gateway.kafka.read-ahead}). */
    static final class Budget {

        private final AtomicLong free;

        Budget(long bytes) {
            this.free = new AtomicLong(bytes);
        }

        boolean reserve(long bytes) {
            while (true) {
                long left = free.get();
                if (left < bytes) {
                    return false;
                }
                if (free.compareAndSet(left, left - bytes)) {
                    return true;
                }
            }
        }

        void release(long bytes) {
            free.addAndGet(bytes);
        }

        long free() {
            return free.get();
        }
    }
}
