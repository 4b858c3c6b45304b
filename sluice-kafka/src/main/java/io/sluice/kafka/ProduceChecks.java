package io.sluice.kafka;

import io.sluice.protocol.Acks;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CorruptRecordException;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * What every Kafka listener reads and checks of a Produce request before anything is sent or appended: its acks and
 * timeout, and each partition's records, from the batch header alone: exactly one batch (Kafka's rule from Produce v3 on), magic 2, whole, no
 * control batch, and transactional exactly when the request names a transactional id. The leader checks the rest —
 * CRC, sizes against {@code max.message.bytes}, record layout — as for every append.
 */
public final class ProduceChecks {

    /** Why a partition's records are refused. */
    public record Refusal(Errors error, String message) {
    }

    private ProduceChecks() {
    }

    /** A produce request's {@code acks} as Sluice's, or null when it is none of 0, 1 and -1. */
    public static Acks acks(short acks) {
        return switch (acks) {
            case 0 -> Acks.NONE;
            case 1 -> Acks.LEADER;
            case -1 -> Acks.ALL;
            default -> null;
        };
    }

    /** A produce request's {@code timeout_ms}, at least 0 and at most {@code max}. */
    public static Duration timeout(int timeoutMs, Duration max) {
        Duration asked = Duration.ofMillis(Math.max(0, timeoutMs));
        return asked.compareTo(max) > 0 ? max : asked;
    }

    /** The refusal of {@code records}, or null when they are one whole, plain v2 batch. */
    public static Refusal check(ByteBuffer records, boolean transactionalRequest) {
        List<RecordBatch> batches = new ArrayList<>(1);
        try {
            for (RecordBatch batch : BufferBatchIterator.batches(records.duplicate())) {
                batches.add(batch);
            }
        } catch (CorruptRecordException e) {
            return new Refusal(Errors.CORRUPT_MESSAGE, e.getMessage());
        }
        if (batches.size() != 1) {
            return new Refusal(Errors.INVALID_RECORD, "A produce request carries exactly one record batch per "
                    + "partition; this one carries " + batches.size());
        }
        RecordBatch batch = batches.getFirst();
        if (batch.sizeInBytes() != records.remaining()) {
            return new Refusal(Errors.CORRUPT_MESSAGE, "The record batch is truncated: " + records.remaining()
                    + " bytes present, the batch claims " + batch.sizeInBytes());
        }
        if (batch.isControlBatch()) {
            return new Refusal(Errors.INVALID_RECORD, "Clients may not write control batches");
        }
        if (batch.isTransactional() != transactionalRequest) {
            return new Refusal(Errors.INVALID_RECORD, transactionalRequest
                    ? "A produce with a transactional id carries transactional batches only"
                    : "A transactional batch needs the produce request's transactional id");
        }
        return null;
    }
}
