package io.sluice.gateway.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Header;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads from partition leaders: stateless reads by offset or time with long polling, and endless per-partition
 * streams for SSE. A stream fetches the next chunk only after the previous one was delivered (demand drives the
 * fetches, so a slow client slows them and memory stays bounded by one fetch), and it survives leader changes: a
 * re-routable failure waits for newer metadata and fetches again from the same next offset.
 */
@Service
class ConsumeService {

    private final PartitionReader reader;
    private final JsonMapper json;
    private final GatewayProperties.Consume settings;
    private final MeterRegistry meters;

    ConsumeService(PartitionReader reader, JsonMapper json, GatewayProperties properties, MeterRegistry meters) {
        this.reader = reader;
        this.json = json;
        this.settings = properties.consume();
        this.meters = meters;
    }

    /** The offset a start position means now. */
    Mono<Long> resolve(TopicPartition tp, StartPosition start) {
        if (start.kind() == StartPosition.Kind.OFFSET) {
            return Mono.just(start.value());
        }
        long timestamp = switch (start.kind()) {
            case EARLIEST -> ListOffsetsRequest.EARLIEST;
            case LATEST -> ListOffsetsRequest.LATEST;
            default -> start.value();
        };
        return listOffset(tp, timestamp).flatMap(answer -> answer.offset() != null && answer.offset() >= 0
                ? Mono.just(answer.offset())
                // No record that recent: start at the end, where the next one will be.
                : listOffset(tp, ListOffsetsRequest.LATEST).map(ListOffsetsResponse.Partition::offset));
    }

    /**
     * The offset a stream of {@code tp} starts at. An explicit offset beyond the log end is OFFSET_OUT_OF_RANGE with
     * the valid range, found by a fetch that does not wait; one below the log start is kept (the stream carries on
     * from the log start, as after retention). An offset between the high watermark and the log end is valid: the
     * stream waits there (a new leader's high watermark may briefly lag a cursor from the previous one).
     */
    Mono<Long> streamStart(TopicPartition tp, StartPosition start) {
        if (start.kind() != StartPosition.Kind.OFFSET) {
            return resolve(tp, start);
        }
        long offset = start.value();
        return fetch(tp, offset, 1, 0, Duration.ofSeconds(10)).flatMap(section ->
                section.error() == ErrorCode.OFFSET_OUT_OF_RANGE && offset > section.logEndOffset()
                        ? Mono.error(new OffsetOutOfRangeException(tp, offset, section.logStartOffset(),
                                section.logEndOffset()))
                        : Mono.just(offset));
    }

    private Mono<ListOffsetsResponse.Partition> listOffset(TopicPartition tp, long timestamp) {
        return reader.listOffset(tp, timestamp);
    }

    /**
     * Up to {@code maxRecords} records from {@code offset}, waiting up to {@code waitMs} for the first one. Out of
     * range: OFFSET_OUT_OF_RANGE naming the valid range, or with {@code clamp} a read from the nearest valid offset.
     */
    Mono<ReadResult> read(TopicPartition tp, long offset, int maxRecords, int maxBytes, long waitMs, boolean clamp,
                                 RecordFormat keyFormat, RecordFormat valueFormat) {
        Duration budget = Duration.ofMillis(waitMs).plusSeconds(10);
        return fetch(tp, offset, maxBytes, waitMs, budget).flatMap(section -> {
            if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE) {
                if (!clamp) {
                    return Mono.error(new OffsetOutOfRangeException(tp, offset, section.logStartOffset(),
                            section.logEndOffset()));
                }
                long clamped = offset < section.logStartOffset() ? section.logStartOffset() : section.highWatermark();
                return read(tp, clamped, maxRecords, maxBytes, waitMs, false, keyFormat, valueFormat);
            }
            if (section.error() != null) {
                return Mono.error(section.error().exception("Reading " + tp + " failed: " + section.error().description()));
            }
            List<ConsumedRecord> records = decode(tp, section, offset, maxRecords, keyFormat, valueFormat);
            long next = records.isEmpty() ? offset : records.getLast().offset() + 1;
            countOut(tp.topic(), records);
            return Mono.just(new ReadResult(records, next, section.highWatermark(), section.logStartOffset()));
        });
    }

    /** Every record of {@code tp} from {@code start} on, for as long as the subscriber wants them. */
    Flux<ConsumedRecord> stream(TopicPartition tp, long start, RecordFormat keyFormat, RecordFormat valueFormat) {
        AtomicLong next = new AtomicLong(start);
        int maxBytes = (int) settings.defaultMaxBytes().toBytes();
        long waitMs = settings.sseFetchWait().toMillis();
        return Flux.<Integer>generate(sink -> sink.next(0))
                .concatMap(tick -> fetch(tp, next.get(), maxBytes, waitMs, Duration.ofMillis(waitMs).plusSeconds(30))
                        .flatMapMany(section -> {
                            if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE) {
                                if (next.get() < section.logStartOffset()) {
                                    // Retention removed what this stream was about to read: carry on from the log start.
                                    next.set(section.logStartOffset());
                                    return Flux.empty();
                                }
                                // Beyond the log end (the log was truncated below this stream's position): fetching
                                // again at once would loop without end, so the stream ends with the range.
                                return Flux.error(new OffsetOutOfRangeException(tp, next.get(),
                                        section.logStartOffset(), section.logEndOffset()));
                            }
                            if (section.error() != null) {
                                return Flux.error(section.error().exception("Reading " + tp + " failed"));
                            }
                            List<ConsumedRecord> records = decode(tp, section, next.get(), Integer.MAX_VALUE,
                                    keyFormat, valueFormat);
                            countOut(tp.topic(), records);
                            return Flux.fromIterable(records);
                        })
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2))
                                .filter(e -> e instanceof SluiceException s && PartitionReader.REROUTE.contains(s.errorCode())))
                        .doOnNext(record -> next.set(record.offset() + 1)), 1);
    }

    private Mono<FetchedPartition> fetch(TopicPartition tp, long offset, int maxBytes, long waitMs, Duration budget) {
        return reader.fetch(tp, offset, maxBytes, waitMs, budget);
    }

    private List<ConsumedRecord> decode(TopicPartition tp, FetchedPartition section, long from, int maxRecords,
                                        RecordFormat keyFormat, RecordFormat valueFormat) {
        List<ConsumedRecord> records = new ArrayList<>();
        for (RecordBatch batch : BufferBatchIterator.batches(section.records())) {
            if (batch.isControlBatch() || batch.lastOffset() < from) {
                continue;
            }
            for (Record record : batch.records()) {
                if (record.offset() < from) {
                    continue;
                }
                if (records.size() >= maxRecords) {
                    return records;
                }
                records.add(new ConsumedRecord(tp.topic(), tp.partition(), record.offset(), record.timestamp(),
                        keyFormat.deserialize(record.key(), json), valueFormat.deserialize(record.value(), json),
                        record.headers().stream().map(ConsumeService::header).toList()));
            }
        }
        return records;
    }

    private void countOut(String topic, List<ConsumedRecord> records) {
        if (!records.isEmpty()) {
            Counter.builder("sluice.gateway.records.out").tag("topic", topic).register(meters).increment(records.size());
        }
    }

    private static ConsumedRecord.HeaderView header(Header header) {
        return new ConsumedRecord.HeaderView(header.key(),
                header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }

    /** OFFSET_OUT_OF_RANGE with the valid range, for the problem body. */
    static final class OffsetOutOfRangeException extends SluiceException {
        private final long logStartOffset;
        private final long logEndOffset;

        OffsetOutOfRangeException(TopicPartition tp, long offset, long logStartOffset, long logEndOffset) {
            super(ErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + offset + " is outside " + tp + "'s range ["
                    + logStartOffset + ", " + logEndOffset + "]; read with clamp=true to start at the nearest valid offset");
            this.logStartOffset = logStartOffset;
            this.logEndOffset = logEndOffset;
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
            details.put("log_end_offset", logEndOffset);
            return details;
        }
    }
}
