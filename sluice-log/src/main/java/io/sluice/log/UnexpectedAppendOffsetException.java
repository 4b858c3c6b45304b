package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;

/**
 * A follower append whose batches do not continue the log: the first base offset is not the log end offset, or the
 * batches are not contiguous. The follower's fetch position and its log disagree; it must truncate or refetch.
 */
public class UnexpectedAppendOffsetException extends SluiceException {

    private final long expectedOffset;
    private final long actualOffset;

    public UnexpectedAppendOffsetException(String partition, long expectedOffset, long actualOffset) {
        super(ErrorCode.INVALID_OFFSET, "Follower append to " + partition + " has a batch at offset " + actualOffset
                + " where offset " + expectedOffset + " was expected");
        this.expectedOffset = expectedOffset;
        this.actualOffset = actualOffset;
    }

    public long expectedOffset() {
        return expectedOffset;
    }

    public long actualOffset() {
        return actualOffset;
    }
}
