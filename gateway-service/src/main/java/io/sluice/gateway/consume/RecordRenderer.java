package io.sluice.gateway.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.internal.partition.AbortedBatches;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Header;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns fetched record batches into records as readers see them ({@link ConsumedRecord}): control batches, records
 * before the read's position and, for a read_committed read, aborted transactions' batches are skipped; keys, values
 * and header values are rendered in the reader's {@link Formats}. Stateless and thread-safe; also counts the records
 * handed out.
 */
@Component
class RecordRenderer {

    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Map<String, Counter> recordsOut = new ConcurrentHashMap<>();

    RecordRenderer(JsonMapper json, MeterRegistry meters) {
        this.json = json;
        this.meters = meters;
    }

    /** Up to {@code maxRecords} records of {@code tp} at or after {@code from} in the complete batches of {@code records}. */
    List<ConsumedRecord> render(TopicPartition tp, ByteBuffer records, long from, int maxRecords, Formats formats) {
        return render(tp, records, from, maxRecords, formats, AbortedBatches.of(List.of()));
    }

    /** As {@link #render(TopicPartition, ByteBuffer, long, int, Formats)}, without the batches {@code aborted} names. */
    List<ConsumedRecord> render(TopicPartition tp, ByteBuffer records, long from, int maxRecords, Formats formats,
                                AbortedBatches aborted) {
        List<ConsumedRecord> rendered = new ArrayList<>();
        for (RecordBatch batch : BufferBatchIterator.batches(records)) {
            if (aborted.aborted(batch) || batch.isControlBatch() || batch.lastOffset() < from) {
                continue;
            }
            for (Record record : batch.records()) {
                if (record.offset() < from) {
                    continue;
                }
                if (rendered.size() >= maxRecords) {
                    return rendered;
                }
                rendered.add(new ConsumedRecord(tp.topic(), tp.partition(), record.offset(), record.timestamp(),
                        formats.keys().render(record.key(), json), formats.values().render(record.value(), json),
                        record.headers().stream().map(header -> header(header, formats.headers())).toList()));
            }
        }
        return rendered;
    }

    /**
     * Every record of {@code tp} at or after {@code from} in the complete batches of {@code records}, each with its
     * JSON text as a reader's answer would hold it (the same mapper writes both). The text is written as UTF-8 bytes
     * and decoded once: a generator over bytes copies a string value's bytes as they are, where one over characters
     * would decode and escape it again.
     */
    List<StreamedRecord> renderForStreams(TopicPartition tp, ByteBuffer records, long from, Formats formats,
                                          AbortedBatches aborted) {
        List<ConsumedRecord> rendered = render(tp, records, from, Integer.MAX_VALUE, formats, aborted);
        List<StreamedRecord> streamed = new ArrayList<>(rendered.size());
        for (ConsumedRecord record : rendered) {
            streamed.add(new StreamedRecord(record.topic(), record.partition(), record.offset(),
                    new String(json.writeValueAsBytes(record), StandardCharsets.UTF_8)));
        }
        return streamed;
    }

    /** Counts {@code records} as delivered to a reader ({@code sluice.gateway.records.out}). */
    void countOut(String topic, List<ConsumedRecord> records) {
        countOut(topic, records.size());
    }

    /** Counts {@code records} records as delivered to a reader. */
    void countOut(String topic, int records) {
        if (records > 0) {
            recordsOut.computeIfAbsent(topic, t -> Counter.builder("sluice.gateway.records.out").tag("topic", t)
                    .register(meters)).increment(records);
        }
    }

    private ConsumedRecord.HeaderView header(Header header, RecordFormat format) {
        return new ConsumedRecord.HeaderView(header.key(), format.render(header.value(), json));
    }
}
