package io.sluice.gateway.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.KnownSchemas;
import io.sluice.gateway.format.MaskingRule.MaskedPart;
import io.sluice.gateway.format.MaskingRules;
import io.sluice.gateway.format.Masks;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.internal.partition.AbortedBatches;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Header;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.schema.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns fetched record batches into records as readers see them ({@link ConsumedRecord}): control batches, records
 * before the read's position and, for a read_committed read, aborted transactions' batches are skipped; keys, values
 * and header values are rendered in the reader's {@link Formats}, a schema's format with the {@link KnownSchemas} the
 * caller looked up first ({@link #schemaIds}). Stateless and thread-safe; also counts the records handed out.
 */
@Component
class RecordRenderer {

    private final JsonMapper json;
    private final MeterRegistry meters;
    private final MaskingRules masking;
    private final Map<String, Counter> recordsOut = new ConcurrentHashMap<>();

    RecordRenderer(JsonMapper json, MeterRegistry meters, MaskingRules masking) {
        this.json = json;
        this.meters = meters;
        this.masking = masking;
    }

    /** Up to {@code maxRecords} records of {@code tp} at or after {@code from} in the complete batches of {@code records}. */
    List<ConsumedRecord> render(TopicPartition tp, ByteBuffer records, long from, int maxRecords, Formats formats) {
        return render(tp, records, from, maxRecords, formats, AbortedBatches.of(List.of()), KnownSchemas.NONE);
    }

    /**
     * As {@link #render(TopicPartition, ByteBuffer, long, int, Formats)}, without the batches {@code aborted} names,
     * decoding with {@code schemas}.
     */
    List<ConsumedRecord> render(TopicPartition tp, ByteBuffer records, long from, int maxRecords, Formats formats,
                                AbortedBatches aborted, KnownSchemas schemas) {
        List<ConsumedRecord> rendered = new ArrayList<>();
        Masks keyMasks = masks(tp, formats, MaskedPart.KEY);
        Masks valueMasks = masks(tp, formats, MaskedPart.VALUE);
        Masks headerMasks = masks(tp, formats, MaskedPart.HEADERS);
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
                        formats.keys().render(record.key(), json, schemas, keyMasks),
                        formats.values().render(record.value(), json, schemas, valueMasks),
                        record.headers().stream().map(header -> header(header, formats.headers(), headerMasks))
                                .toList()));
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
                                          AbortedBatches aborted, KnownSchemas schemas) {
        List<ConsumedRecord> rendered = render(tp, records, from, Integer.MAX_VALUE, formats, aborted, schemas);
        List<StreamedRecord> streamed = new ArrayList<>(rendered.size());
        for (ConsumedRecord record : rendered) {
            streamed.add(new StreamedRecord(record.topic(), record.partition(), record.offset(),
                    new String(json.writeValueAsBytes(record), StandardCharsets.UTF_8)));
        }
        return streamed;
    }

    /**
     * The schema ids of the wire-format keys and values of {@code records} at or after {@code from} whose half
     * {@code formats} ask for in a schema's format: what to look up before rendering. Empty, without a pass over the
     * batches, when no half is asked for so. (A second pass over a compressed batch decompresses it again: paid only
     * by readers that ask for a schema's format.)
     */
    static Set<Integer> schemaIds(ByteBuffer records, long from, Formats formats) {
        if (!formats.anySchema()) {
            return Set.of();
        }
        boolean keys = formats.keys().withSchema();
        boolean values = formats.values().withSchema();
        Set<Integer> ids = new HashSet<>();
        for (RecordBatch batch : BufferBatchIterator.batches(records)) {
            if (batch.isControlBatch() || batch.lastOffset() < from) {
                continue;
            }
            for (Record record : batch.records()) {
                if (record.offset() >= from) {
                    if (keys) {
                        addSchemaId(record.key(), ids);
                    }
                    if (values) {
                        addSchemaId(record.value(), ids);
                    }
                }
            }
        }
        return ids;
    }

    private static void addSchemaId(byte[] bytes, Set<Integer> ids) {
        if (bytes != null && bytes.length >= WireFormat.HEADER_SIZE && bytes[0] == WireFormat.MAGIC) {
            ids.add(WireFormat.schemaId(ByteBuffer.wrap(bytes)));
        }
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

    private ConsumedRecord.HeaderView header(Header header, RecordFormat format, Masks masks) {
        return new ConsumedRecord.HeaderView(header.key(), format.render(header.value(), json, KnownSchemas.NONE,
                masks));
    }

    /** The masks of one part of the topic's records, when the reader's formats are masked (docs/api.md#masking). */
    private Masks masks(TopicPartition tp, Formats formats, MaskedPart part) {
        return formats.masked() ? masking.masks(tp.topic(), part) : Masks.NONE;
    }
}
