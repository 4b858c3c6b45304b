package io.sluice.gateway.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Endless per-partition record streams for SSE, read so that the leader's load does not grow with the number of
 * subscribers: every subscriber caught up with a partition's {@link SharedTail} on this gateway takes its records
 * from that one long-poll fetch loop. A subscriber that is behind (it started at the earliest offset, or at a cursor
 * in the past, or it fell behind the tail) reads on its own, with fetches that do not wait, until a fetch finds
 * nothing more to read or the tail still keeps its position; then it joins the tail, or starts one where none runs.
 *
 * <p>Either way a stream is demand-driven: its next chunk is taken (from the tail, or fetched) only once the
 * previous one was delivered, so a slow client costs at most its bounded share of the tail's chunks, then its own
 * reads at its own pace, as Kafka consumers are independent. Records are delivered exactly once and in order from the
 * stream's start. Streams survive leader changes: their fetches ({@link PartitionReader#fetchForStream}) wait for
 * newer metadata after a leader moved and fetch again from the same offset, for as long as the stream is open.
 *
 * <p>Metrics: {@code sluice.gateway.sse.tails} (shared tails running), {@code sluice.gateway.sse.tail.subscribers},
 * {@code sluice.gateway.sse.tail.fetches} (fetches the tails made at leaders), {@code sluice.gateway.sse.own.fetches}
 * (fetches subscribers made on their own) and {@code sluice.gateway.sse.tail.departures} (subscribers that fell
 * behind a tail).
 */
@Service
class PartitionTails {

    private final PartitionReader reader;
    private final RecordRenderer renderer;
    private final ReadSchemas schemas;
    private final int maxBytes;
    private final long waitMs;
    private final int buffer;
    private final ConcurrentMap<TailKey, SharedTail> tails = new ConcurrentHashMap<>();
    private final Counter tailFetches;
    private final Counter ownFetches;
    private final Counter departures;

    PartitionTails(PartitionReader reader, RecordRenderer renderer, ReadSchemas schemas, GatewayProperties properties,
                   MeterRegistry meters) {
        this.reader = reader;
        this.renderer = renderer;
        this.schemas = schemas;
        this.maxBytes = (int) properties.consume().defaultMaxBytes().toBytes();
        this.waitMs = properties.consume().sseFetchWait().toMillis();
        this.buffer = properties.consume().sseTailBuffer();
        Gauge.builder("sluice.gateway.sse.tails", tails, ConcurrentMap::size)
                .description("Shared tails running: partitions whose SSE subscribers share one fetch loop").register(meters);
        Gauge.builder("sluice.gateway.sse.tail.subscribers", tails,
                        running -> running.values().stream().mapToInt(SharedTail::memberCount).sum())
                .description("SSE subscribers taking their records from a shared tail").register(meters);
        this.tailFetches = Counter.builder("sluice.gateway.sse.tail.fetches")
                .description("Long-poll fetches the shared tails made at partition leaders").register(meters);
        this.ownFetches = Counter.builder("sluice.gateway.sse.own.fetches")
                .description("Fetches SSE subscribers made on their own, while behind a shared tail").register(meters);
        this.departures = Counter.builder("sluice.gateway.sse.tail.departures")
                .description("SSE subscribers that fell behind a shared tail and went on reading on their own")
                .register(meters);
    }

    /**
     * A partition's tail for readers of one isolation level: read_committed readers share one that reads below the
     * last stable offset and leaves aborted transactions out, the others one that reads below the high watermark.
     */
    private record TailKey(TopicPartition tp, boolean readCommitted) {
    }

    /**
     * Every record of {@code tp} from {@code start} on, for as long as the subscriber wants them; with
     * {@code readCommitted} only those of committed transactions (and of no transaction), each once its transaction
     * committed.
     */
    Flux<StreamedRecord> stream(TopicPartition tp, long start, Formats formats, boolean readCommitted) {
        return Flux.defer(() -> {
            PartitionStream stream = new PartitionStream(new TailKey(tp, readCommitted), start, formats);
            return Flux.<Integer>generate(sink -> sink.next(0))
                    .concatMap(tick -> stream.step(), 1)
                    .doFinally(signal -> stream.leave());
        });
    }

    /** A tail's fetch: waits up to the SSE fetch wait for data; any error of the partition stops the tail. */
    private Mono<FetchedChunk> longPoll(TailKey key, long offset) {
        return Mono.defer(() -> {
                    tailFetches.increment();
                    return reader.fetchForStream(key.tp(), offset, maxBytes, waitMs, key.readCommitted());
                })
                .flatMap(section -> section.error() != null
                        ? Mono.<FetchedChunk>error(section.error().exception("Reading " + key.tp() + " failed: "
                                + section.error().description()))
                        : Mono.just(FetchedChunk.of(key.tp(), offset, section.records(),
                                section.abortedTransactions())));
    }

    /**
     * One subscriber's stream of one partition: its position (the next offset it needs) and whether it reads on its
     * own or takes from the shared tail. {@link #step} runs one step at a time (the stream's concatMap); the tail
     * membership is also dropped by {@link #leave} on another thread, hence the lock.
     */
    private final class PartitionStream {

        private final TailKey key;
        private final TopicPartition tp;
        private final Formats formats;
        private long position;
        private boolean waitOnOwnRead;
        private SharedTail tail;
        private SharedTail.Member member;
        private boolean ended;

        PartitionStream(TailKey key, long start, Formats formats) {
            this.key = key;
            this.tp = key.tp();
            this.formats = formats;
            this.position = start;
        }

        /** The records of the next chunk: from the tail when a member, else of an own read (maybe none). */
        Flux<StreamedRecord> step() {
            SharedTail.Member current = member();
            if (current != null) {
                return current.take()
                        .doOnSuccess(chunk -> {
                            if (chunk == null) {
                                detached(current);
                            }
                        })
                        .flatMapMany(this::deliver);
            }
            SharedTail running = tails.get(key);
            if (running != null && join(running)) {
                return Flux.empty();
            }
            return ownRead().flatMapMany(chunk -> {
                if (chunk.isEmpty()) {
                    // Caught up: from here on the tail reads for this subscriber.
                    joinOrStartTail();
                }
                return deliver(chunk);
            });
        }

        /** The chunk's records from the position on (their schemas looked up first, when the formats need them). */
        private Flux<StreamedRecord> deliver(FetchedChunk chunk) {
            return chunk.records(position, formats, renderer, schemas).flatMapIterable(records -> {
                position = Math.max(position, chunk.to());
                renderer.countOut(tp.topic(), records.size());
                return records;
            });
        }

        /**
         * A fetch from the position that does not wait (a subscriber reading on its own is behind, so there is
         * data), unless the last one found nothing and no tail would take this subscriber: then it long-polls, so
         * as not to spin. Retention past the position moves it to the log start; beyond the log end the stream ends.
         */
        private Mono<FetchedChunk> ownRead() {
            long wait = waitOnOwnRead ? waitMs : 0;
            waitOnOwnRead = false;
            long offset = position;
            return Mono.defer(() -> {
                        ownFetches.increment();
                        return reader.fetchForStream(tp, offset, maxBytes, wait, key.readCommitted());
                    })
                    .flatMap(section -> ownChunk(offset, section));
        }

        private Mono<FetchedChunk> ownChunk(long offset, FetchedPartition section) {
            if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE) {
                if (offset < section.logStartOffset()) {
                    // Retention removed what this stream was about to read: carry on from the log start.
                    position = section.logStartOffset();
                    return Mono.empty();
                }
                // Beyond the log end (the log was truncated below this stream's position): fetching again at once
                // would loop without end, so the stream ends with the range.
                return Mono.error(new ConsumeService.OffsetOutOfRangeException(tp, offset, section));
            }
            if (section.error() != null) {
                return Mono.error(section.error().exception("Reading " + tp + " failed"));
            }
            return Mono.just(FetchedChunk.of(tp, offset, section.records(), section.abortedTransactions()));
        }

        private synchronized SharedTail.Member member() {
            return member;
        }

        private synchronized boolean join(SharedTail candidate) {
            if (ended) {
                return false;
            }
            SharedTail.Member joined = candidate.join(position);
            if (joined == null) {
                return false;
            }
            tail = candidate;
            member = joined;
            return true;
        }

        private synchronized void joinOrStartTail() {
            if (ended) {
                return;
            }
            SharedTail candidate = tails.compute(key, (running, current) -> current != null && !current.stopped()
                    ? current
                    : new SharedTail(tp, position, buffer, offset -> longPoll(key, offset), departures::increment,
                            stopped -> tails.remove(key, stopped)));
            if (!join(candidate)) {
                // A running tail already moved on past what it keeps (this subscriber's position lies between the
                // high watermark and the log end, say): read on, waiting this time.
                waitOnOwnRead = true;
            }
        }

        private synchronized void detached(SharedTail.Member left) {
            if (member == left) {
                member = null;
                tail = null;
            }
        }

        synchronized void leave() {
            ended = true;
            if (member != null) {
                tail.leave(member);
                member = null;
                tail = null;
            }
        }
    }
}
