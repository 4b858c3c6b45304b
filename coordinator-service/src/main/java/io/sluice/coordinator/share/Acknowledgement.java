package io.sluice.coordinator.share;

import io.sluice.internal.share.AcknowledgeType;
import io.sluice.protocol.ErrorCode;

/**
 * One item of an acknowledge call: which records ({@link Target}) and what becomes of them.
 */
record Acknowledgement(Target target, AcknowledgeType type) {

    public Acknowledgement {
        if (target == null || type == null) {
            throw ErrorCode.INVALID_REQUEST.exception("An acknowledgement needs a target and a type");
        }
    }

    public static Acknowledgement of(long acquisitionId, AcknowledgeType type) {
        return new Acknowledgement(new ByAcquisitionId(acquisitionId), type);
    }

    public static Acknowledgement range(long firstOffset, long lastOffset, AcknowledgeType type) {
        return new Acknowledgement(new ByRange(firstOffset, lastOffset), type);
    }

    /** The records an acknowledgement names. */
    sealed interface Target {
    }

    /** The one record acquired under this id (the id a take answered with). */
    record ByAcquisitionId(long acquisitionId) implements Target {
    }

    /**
     * Every record of the log in {@code [firstOffset, lastOffset]} (Kafka's way): each must be held by the member;
     * offsets without a record (gaps) are stepped over.
     */
    record ByRange(long firstOffset, long lastOffset) implements Target {
    }
}
