package io.sluice.internal;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;

/**
 * An RFC 9457 problem body as Sluice's services write it, with the stable {@code error_code} and whether the call
 * may be retried; {@code active_url} names the active coordinator when a standby answers.
 */
public record Problem(String type, String title, int status, String detail, ErrorCode errorCode, Boolean retriable,
                      String activeUrl) {

    /**
     * The error as a throwable; UNKNOWN_SERVER_ERROR without a code (a code this build does not know reads as that
     * already, {@link SluiceJson}).
     */
    public SluiceException toException() {
        return new SluiceException(errorCode != null ? errorCode : ErrorCode.UNKNOWN_SERVER_ERROR,
                detail != null ? detail : title);
    }
}
