package io.sluice.protocol.record;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;

/**
 * A record batch failed validation: bad length, wrong magic, CRC mismatch, or a record layout that does not add
 * up. The message names the reason and, where known, the batch's base offset or byte position, so an operator can
 * find the damage. Every decoding path in this package reports malformed input with this type only.
 */
public class CorruptRecordException extends SluiceException {

    public CorruptRecordException(String message) {
        super(ErrorCode.CORRUPT_RECORD, message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(ErrorCode.CORRUPT_RECORD, message, cause);
    }
}
