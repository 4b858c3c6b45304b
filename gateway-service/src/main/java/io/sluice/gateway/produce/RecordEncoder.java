package io.sluice.gateway.produce;

import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.config.TopicConfig;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Turns records into what a leader appends, as a Kafka producer would: each record gets its partition (explicit,
 * murmur2 of the key, or sticky per request) and is encoded into v2 batches per partition, compressed as the topic's
 * {@code compression.type} says, each batch within {@code max.message.bytes}. Every record is checked before anything
 * is encoded, so a request with a bad record yields no batch at all.
 */
@Component
class RecordEncoder {

    /** More topics than this, and the parsed configurations are forgotten and parsed again as they are used. */
    private static final int MAX_PARSED_CONFIGS = 4096;

    private final Partitioner partitioner;
    /**
     * Each topic's configuration as last parsed, with the configs it was parsed from: a topic's metadata keeps its
     * (immutable) configs until the metadata changes, so a produce does not validate and parse them again.
     */
    private final Map<String, ParsedConfig> configs = new ConcurrentHashMap<>();

    RecordEncoder(Partitioner partitioner) {
        this.partitioner = partitioner;
    }

    /** Records to batches, by partition; {@link EncodedRecords#indexes} maps each partition back to its records. */
    EncodedRecords encode(TopicMetadata topic, List<ProduceRecord> records) {
        return encode(topic, records, assign(topic, records), null);
    }

    /**
     * Records to batches in the partitions {@code assigned} gives, and, with a {@code producer}, as an idempotent
     * Kafka producer writes them: every batch carries the producer id and epoch, and the sequences of each
     * partition's records run from its first sequence, 0 unless told (so the same records encoded again make the same
     * batches, which the leader recognises as sent before).
     */
    EncodedRecords encode(TopicMetadata topic, List<ProduceRecord> records, List<Integer> assigned,
                          IdempotentProducer producer) {
        TopicConfig config = config(topic);
        for (int i = 0; i < records.size(); i++) {
            checkSize(topic, config, records.get(i), i);
        }
        CompressionType compression = switch (config.compressionType()) {
            case "producer", "uncompressed", "none" -> CompressionType.NONE;
            default -> CompressionType.forConfigName(config.compressionType());
        };
        int limit = config.maxMessageBytes();
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byPartition.computeIfAbsent(assigned.get(i), p -> new ArrayList<>()).add(i);
        }
        Map<Integer, ByteBuffer> batches = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Integer>> entry : byPartition.entrySet()) {
            List<ByteBuffer> built = new ArrayList<>();
            RecordBatchBuilder builder = null;
            int sequence = producer == null ? 0 : producer.firstSequences().getOrDefault(entry.getKey(), 0);
            for (int index : entry.getValue()) {
                ProduceRecord record = records.get(index);
                int size = estimatedSize(record);
                if (builder != null && builder.estimatedSizeInBytes() + size > limit) {
                    built.add(builder.build());
                    builder = null;
                }
                if (builder == null) {
                    builder = RecordBatchBuilder.of(compression);
                    if (producer != null) {
                        builder.producer(producer.producerId(), producer.producerEpoch(), sequence)
                                .transactional(producer.transactional());
                    }
                }
                builder.append(record.timestamp(), record.key(), record.value(), record.headers());
                sequence++;
            }
            built.add(builder.build());
            batches.put(entry.getKey(), concat(built));
        }
        return new EncodedRecords(batches, byPartition);
    }

    /**
     * Checks one record as {@link #encode} would (its partition exists, it fits {@code max.message.bytes}), naming it
     * as record {@code index}: for callers that take records one by one (NDJSON streams).
     */
    void check(TopicMetadata topic, ProduceRecord record, int index) {
        checkPartition(topic, record, index);
        checkSize(topic, config(topic), record, index);
    }

    private TopicConfig config(TopicMetadata topic) {
        ParsedConfig parsed = configs.get(topic.name());
        if (parsed == null || parsed.from() != topic.configs()) {
            if (configs.size() >= MAX_PARSED_CONFIGS) {
                configs.clear();
            }
            parsed = new ParsedConfig(topic.configs(), TopicConfig.of(topic.configs()));
            configs.put(topic.name(), parsed);
        }
        return parsed.config();
    }

    private record ParsedConfig(Map<String, String> from, TopicConfig config) {
    }

    /** The partition of each record: explicit, by key, or the request's sticky partition. */
    List<Integer> assign(TopicMetadata topic, List<ProduceRecord> records) {
        int count = topic.partitions().size();
        int sticky = -1;
        List<Integer> assigned = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ProduceRecord record = records.get(i);
            if (record.partition() != null) {
                checkPartition(topic, record, i);
                assigned.add(record.partition());
            } else if (record.key() != null) {
                assigned.add(partitioner.forKey(record.key(), count));
            } else {
                if (sticky < 0) {
                    sticky = partitioner.nextSticky(topic.name(), count);
                }
                assigned.add(sticky);
            }
        }
        return assigned;
    }

    private static void checkPartition(TopicMetadata topic, ProduceRecord record, int index) {
        int count = topic.partitions().size();
        if (record.partition() != null && (record.partition() < 0 || record.partition() >= count)) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Record " + index + " asks for partition " + record.partition()
                    + "; topic '" + topic.name() + "' has partitions 0.." + (count - 1));
        }
    }

    /** A record that does not fit a batch of its own is refused (RECORD_TOO_LARGE) before anything is sent. */
    private static void checkSize(TopicMetadata topic, TopicConfig config, ProduceRecord record, int index) {
        int size = estimatedSize(record);
        if (size > config.maxMessageBytes()) {
            throw ErrorCode.RECORD_TOO_LARGE.exception("Record " + index + " is about " + size + " bytes; topic '"
                    + topic.name() + "' accepts batches of at most " + config.maxMessageBytes() + " bytes");
        }
    }

    private static int estimatedSize(ProduceRecord record) {
        return RecordBatch.HEADER_SIZE + 64 + length(record.key()) + length(record.value())
                + record.headers().stream().mapToInt(h -> h.key().length() * 4 + length(h.value()) + 10).sum();
    }

    static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static ByteBuffer concat(List<ByteBuffer> buffers) {
        if (buffers.size() == 1) {
            return buffers.getFirst();
        }
        ByteBuffer all = ByteBuffer.allocate(buffers.stream().mapToInt(ByteBuffer::remaining).sum());
        buffers.forEach(b -> all.put(b.duplicate()));
        return all.flip();
    }

    /**
     * Encoded records: the batches of each partition, and the request indexes of the records in them, in batch
     * order (so the k-th record of a partition is at the partition's base offset + k).
     */
    record EncodedRecords(Map<Integer, ByteBuffer> batches, Map<Integer, List<Integer>> indexes) {
    }

    /**
     * The producer id and epoch an idempotent request's batches carry, whether they are part of that producer's open
     * transaction (an atomic produce's, an HTTP transaction's), and each partition's first sequence (0 when absent: an
     * HTTP transaction's later writes continue where the earlier ones ended).
     */
    record IdempotentProducer(long producerId, short producerEpoch, boolean transactional,
                              Map<Integer, Integer> firstSequences) {

        IdempotentProducer(long producerId, short producerEpoch, boolean transactional) {
            this(producerId, producerEpoch, transactional, Map.of());
        }
    }
}
