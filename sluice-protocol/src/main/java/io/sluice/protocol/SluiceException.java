package io.sluice.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * A failure that Sluice reports to its callers as data: an {@link ErrorCode} plus a message a person can act on.
 * Services render it as an RFC 9457 problem; nothing else should be thrown across a module boundary for
 * a condition the caller could have caused.
 */
public class SluiceException extends RuntimeException {

    private final ErrorCode errorCode;

    public SluiceException(ErrorCode errorCode, String message) {
        super(message);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public SluiceException(ErrorCode errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public boolean retriable() {
        return errorCode.retriable();
    }

    /**
     * Members a problem body carries beyond {@code error_code} and {@code retriable}, by their JSON names (an
     * out-of-range offset names the valid range). Empty unless a subclass has some.
     */
    public Map<String, Object> details() {
        return Map.of();
    }
}
