package io.sluice.kafka;

import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Record batches that an answer carries as a part of their own rather than as bytes in memory: {@code payload} is
 * what the transport sends (a region of a segment file, sent with {@code sendfile}), {@code sizeInBytes} its length.
 * {@link KafkaCodec#encodeMixed} hands the payload on in its place among the answer's buffers.
 */
public record ExternalRecords(Object payload, int sizeInBytes) implements BaseRecords {

    public ExternalRecords {
        if (sizeInBytes < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + sizeInBytes);
        }
    }

    /** Never called: these records are written by the listener, not by kafka-clients' network layer. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("External records are sent by the listener that holds them");
    }
}
