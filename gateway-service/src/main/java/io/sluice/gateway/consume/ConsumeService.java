package io.sluice.gateway.consume;

import io.sluice.gateway.format.Formats;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.partition.AbortedBatches;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads from partition leaders: stateless reads by offset or time with long polling, and where streams start. The
 * streams themselves are {@link PartitionTails}'.
 */
@Service
class ConsumeService {

    private final PartitionReader reader;
    private final RecordRenderer renderer;
    private final ReadSchemas schemas;

    ConsumeService(PartitionReader reader, RecordRenderer renderer, ReadSchemas schemas) {
        this.reader = reader;
        this.renderer = renderer;
        this.schemas = schemas;
    }

    /**
     * Where each of {@code partitions} of {@code topic} starts: at {@code resume}'s position when resuming (a
     * partition the cursor does not know, added since, from its beginning: nothing is skipped), else at
     * {@code start}. For a stream ({@code forStream}) an offset beyond a log's end is refused now (see
     * {@link #streamStart}); a read finds that out when it fetches. For a {@code readCommitted} reader the latest
     * offset is the last stable offset, as for a Kafka consumer reading committed: a transaction still open below the
     * high watermark is read once it commits, not skipped.
     */
    Mono<Map<Integer, Long>> starts(String topic, List<Integer> partitions, StartPosition start, Cursor resume,
                                    boolean forStream, boolean readCommitted) {
        return Flux.fromIterable(partitions)
                .flatMapSequential(partition -> {
                    Long resumed = resume == null ? null : resume.nextOffsets().get(partition);
                    StartPosition from = resumed != null ? StartPosition.offset(resumed)
                            : resume != null ? StartPosition.EARLIEST : start;
                    TopicPartition tp = new TopicPartition(topic, partition);
                    return (forStream ? streamStart(tp, from, readCommitted) : resolve(tp, from, readCommitted))
                            .map(offset -> Map.entry(partition, offset));
                })
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new);
    }

    /** The offset a start position means now (latest: the last stable offset for a {@code readCommitted} reader). */
    Mono<Long> resolve(TopicPartition tp, StartPosition start, boolean readCommitted) {
        return switch (start.kind()) {
            case OFFSET -> Mono.just(start.value());
            case EARLIEST -> listOffset(tp, ListOffsetsRequest.EARLIEST, false).map(ListOffsetsResponse.Partition::offset);
            case LATEST -> listOffset(tp, ListOffsetsRequest.LATEST, readCommitted)
                    .map(ListOffsetsResponse.Partition::offset);
            case LAST -> Mono.zip(listOffset(tp, ListOffsetsRequest.EARLIEST, false),
                            listOffset(tp, ListOffsetsRequest.LATEST, readCommitted))
                    .map(bounds -> Math.max(bounds.getT1().offset(), bounds.getT2().offset() - start.value()));
            case TIMESTAMP -> offsetForTime(tp, start.value(), readCommitted).map(OffsetForTime::offset);
        };
    }

    /**
     * The offset of the first record of {@code tp} at or after {@code timestamp}, with that record's timestamp; when
     * no record is that recent, the high watermark (where the next record will be) with no timestamp.
     */
    Mono<OffsetForTime> offsetForTime(TopicPartition tp, long timestamp) {
        return offsetForTime(tp, timestamp, false);
    }

    private Mono<OffsetForTime> offsetForTime(TopicPartition tp, long timestamp, boolean readCommitted) {
        return listOffset(tp, timestamp, readCommitted).flatMap(answer -> answer.offset() != null && answer.offset() >= 0
                ? Mono.just(new OffsetForTime(tp.topic(), tp.partition(), answer.offset(), answer.timestamp()))
                : listOffset(tp, ListOffsetsRequest.LATEST, readCommitted)
                        .map(latest -> new OffsetForTime(tp.topic(), tp.partition(), latest.offset(), null)));
    }

    /**
     * The offset a stream of {@code tp} starts at. An explicit offset beyond the log end is OFFSET_OUT_OF_RANGE with
     * the valid range, found by a fetch that does not wait; one below the log start is kept (the stream carries on
     * from the log start, as after retention). An offset between the high watermark and the log end is valid: the
     * stream waits there (a new leader's high watermark may briefly lag a cursor from the previous one).
     */
    Mono<Long> streamStart(TopicPartition tp, StartPosition start, boolean readCommitted) {
        if (start.kind() != StartPosition.Kind.OFFSET) {
            return resolve(tp, start, readCommitted);
        }
        long offset = start.value();
        return reader.fetch(tp, offset, 1, 0).flatMap(section ->
                section.error() == ErrorCode.OFFSET_OUT_OF_RANGE && offset > section.logEndOffset()
                        ? Mono.error(new OffsetOutOfRangeException(tp, offset, section))
                        : Mono.just(offset));
    }

    private Mono<ListOffsetsResponse.Partition> listOffset(TopicPartition tp, long timestamp, boolean readCommitted) {
        return reader.listOffset(tp, timestamp, readCommitted);
    }

    /**
     * Up to {@code maxRecords} records of {@code tp} from {@code offset}, waiting up to {@code waitMs} for the first
     * one. Out of range: OFFSET_OUT_OF_RANGE naming the valid range, or with {@code clamp} a read from the nearest valid
     * offset.
     */
    Mono<ReadResult> read(TopicPartition tp, long offset, int maxRecords, int maxBytes, long waitMs, boolean clamp,
                          boolean readCommitted, Formats formats) {
        return page(tp, offset, maxRecords, maxBytes, waitMs, clamp, readCommitted, formats).map(page -> new ReadResult(page.records(),
                page.nextOffset(), page.highWatermark(), page.logStartOffset(),
                Cursor.of(Map.of(tp.partition(), page.nextOffset())).encode()));
    }

    /**
     * The stored record batches of {@code tp} from {@code offset}, up to {@code maxBytes} (at least one whole batch),
     * as the leader sent them, waiting up to {@code waitMs} for the first. Out of range as {@link #read}.
     */
    Mono<RawBatches> readBatches(TopicPartition tp, long offset, int maxBytes, long waitMs, boolean clamp) {
        return reader.fetch(tp, offset, maxBytes, waitMs).flatMap(section -> {
            if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE) {
                if (!clamp) {
                    return Mono.error(new OffsetOutOfRangeException(tp, offset, section));
                }
                long clamped = offset < section.logStartOffset() ? section.logStartOffset() : section.highWatermark();
                return readBatches(tp, clamped, maxBytes, waitMs, false);
            }
            if (section.error() != null) {
                return Mono.error(section.error().exception("Reading " + tp + " failed: " + section.error().description()));
            }
            // Only complete batches: a byte limit may have cut the last one.
            BufferBatchIterator batches = BufferBatchIterator.of(section.records());
            long next = offset;
            int records = 0;
            while (batches.hasNext()) {
                RecordBatch batch = batches.next();
                next = Math.max(next, batch.nextOffset());
                records += batch.isControlBatch() ? 0 : batch.recordCount();
            }
            renderer.countOut(tp.topic(), records);
            ByteBuffer complete = section.records().slice(section.records().position(), batches.validBytes());
            return Mono.just(new RawBatches(complete, next, section.highWatermark(), section.logStartOffset(),
                    Cursor.of(Map.of(tp.partition(), next)).encode()));
        });
    }

    /**
     * Up to {@code maxRecords} records of every partition in {@code starts} (partition → offset), taken from the
     * partitions in turn so that a busy partition does not crowd out the others. When none has a record it waits up
     * to {@code waitMs} and answers as soon as any partition has one.
     */
    Mono<TopicReadResult> readTopic(String topic, Map<Integer, Long> starts, int maxRecords, int maxBytes, long waitMs,
                                    boolean clamp, boolean readCommitted, Formats formats) {
        Flux<PartitionPage> now = Flux.fromIterable(starts.entrySet()).flatMapSequential(start ->
                page(new TopicPartition(topic, start.getKey()), start.getValue(), maxRecords, maxBytes, 0, clamp,
                        readCommitted, formats));
        return now.collectList().flatMap(pages -> {
            if (waitMs == 0 || pages.stream().anyMatch(page -> !page.records().isEmpty())) {
                return Mono.just(topicResult(pages, maxRecords));
            }
            // Every partition was empty: long-poll them all, and answer with the first that has records.
            return Flux.fromIterable(pages)
                    .flatMap(page -> page(new TopicPartition(topic, page.partition()), page.start(), maxRecords,
                            maxBytes, waitMs, false, readCommitted, formats))
                    .filter(page -> !page.records().isEmpty())
                    .next()
                    .map(found -> {
                        List<PartitionPage> merged = new ArrayList<>(pages);
                        merged.replaceAll(page -> page.partition() == found.partition() ? found : page);
                        return topicResult(merged, maxRecords);
                    })
                    .defaultIfEmpty(topicResult(pages, maxRecords));
        });
    }

    private static TopicReadResult topicResult(List<PartitionPage> pages, int maxRecords) {
        List<ConsumedRecord> records = new ArrayList<>();
        Map<Integer, Long> next = new TreeMap<>();
        Map<Integer, Integer> taken = new TreeMap<>();
        pages.forEach(page -> next.put(page.partition(), page.start()));
        for (int i = 0; records.size() < maxRecords; i++) {
            boolean any = false;
            for (PartitionPage page : pages) {
                if (i < page.records().size() && records.size() < maxRecords) {
                    ConsumedRecord record = page.records().get(i);
                    records.add(record);
                    next.put(page.partition(), record.offset() + 1);
                    taken.merge(page.partition(), 1, Integer::sum);
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        for (PartitionPage page : pages) {
            if (taken.getOrDefault(page.partition(), 0) == page.records().size()) {
                next.put(page.partition(), page.nextOffset()); // all of it: past a compacted gap too
            }
        }
        List<TopicReadResult.PartitionPosition> positions = pages.stream()
                .map(page -> new TopicReadResult.PartitionPosition(page.partition(), next.get(page.partition()),
                        page.highWatermark(), page.logStartOffset()))
                .toList();
        return new TopicReadResult(records, Cursor.of(next).encode(), positions);
    }

    /** One partition's records from {@code offset} ({@code start}: where the read began, after clamping). */
    private record PartitionPage(int partition, long start, List<ConsumedRecord> records, long nextOffset,
                                 long highWatermark, long logStartOffset) {
    }

    private Mono<PartitionPage> page(TopicPartition tp, long offset, int maxRecords, int maxBytes, long waitMs,
                                     boolean clamp, boolean readCommitted, Formats formats) {
        return reader.fetch(tp, offset, maxBytes, waitMs, readCommitted).flatMap(section -> {
            if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE) {
                if (!clamp) {
                    return Mono.error(new OffsetOutOfRangeException(tp, offset, section));
                }
                long clamped = offset < section.logStartOffset() ? section.logStartOffset() : section.highWatermark();
                return page(tp, clamped, maxRecords, maxBytes, waitMs, false, readCommitted, formats);
            }
            if (section.error() != null) {
                return Mono.error(section.error().exception("Reading " + tp + " failed: " + section.error().description()));
            }
            return schemas.of(section.records(), offset, formats).map(known -> {
                List<ConsumedRecord> records = renderer.render(tp, section.records(), offset, maxRecords, formats,
                        AbortedBatches.of(section.abortedTransactions()), known);
                long next = records.isEmpty() ? offset : records.getLast().offset() + 1;
                if (records.size() < maxRecords) {
                    // Every record of the complete batches was taken: continue after them. In a compacted topic a
                    // batch may end past its last remaining record, or hold none at or after the offset, and the
                    // next read must not ask for the same batch again.
                    next = Math.max(next, batchesEnd(section.records(), offset));
                }
                renderer.countOut(tp.topic(), records);
                return new PartitionPage(tp.partition(), offset, records, next, section.highWatermark(),
                        section.logStartOffset());
            });
        });
    }

    /** The offset after the last complete batch of {@code records}, or {@code from} if there is none. */
    private static long batchesEnd(ByteBuffer records, long from) {
        long end = from;
        BufferBatchIterator batches = BufferBatchIterator.of(records.duplicate());
        while (batches.hasNext()) {
            end = Math.max(end, batches.next().nextOffset());
        }
        return end;
    }

    /** OFFSET_OUT_OF_RANGE with the valid range, for the problem body. */
    static final class OffsetOutOfRangeException extends SluiceException {
        private final long logStartOffset;
        private final long logEndOffset;

        private final long highWatermark;

        OffsetOutOfRangeException(TopicPartition tp, long offset, FetchedPartition section) {
            super(ErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is outside " + tp + "'s range ["
                    + section.logStartOffset() + ", " + section.logEndOffset()
                    + "]; read with clamp=true to start at the nearest valid offset");
            this.logStartOffset = section.logStartOffset();
            this.highWatermark = section.highWatermark();
            this.logEndOffset = section.logEndOffset();
        }

        public long logStartOffset() {
            return logStartOffset;
        }

        public long logEndOffset() {
            return logEndOffset;
        }

        @Override
        public Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("log_start_offset", logStartOffset);
            details.put("high_watermark", highWatermark);
            details.put("log_end_offset", logEndOffset);
            return details;
        }
    }
}
