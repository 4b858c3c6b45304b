package io.sluice.gateway.share;

import io.sluice.internal.share.ShareError;

/**
 * Why an acknowledgement, or one record of it, was refused: the public codes of an acknowledge call's answer (a refused
 * one changed nothing). Part of the HTTP API's contract (openapi.yaml's {@code AcknowledgementError}): add codes, never
 * rename one. Each of the coordinator's {@link ShareError}s has one, so a new internal reason cannot leak unnamed.
 */
enum AcknowledgementError {

    /** No record was ever acquired under the acquisition id. */
    UNKNOWN_ACQUISITION_ID,
    /** The acquisition id's lock is over: its record was acknowledged, or acquired again after its lock expired. */
    ACQUISITION_ENDED,
    /** Another member holds the record. */
    NOT_HOLDER,
    /** The lock expired before the acknowledgement; the record goes to the next taker. */
    LOCK_EXPIRED,
    /** The record is not acquired (available, acknowledged or archived). */
    NOT_ACQUIRED,
    /** A range with a negative first offset or a last offset below its first. */
    INVALID_RANGE,
    /** A range naming records not in flight (below the start offset, or not read yet). */
    OUTSIDE_WINDOW,
    /** Another acknowledgement of the same call names the same record; both are refused. */
    OVERLAPPING_ACKNOWLEDGEMENT;

    static AcknowledgementError of(ShareError error) {
        if (error == null) {
            return null;
        }
        return switch (error) {
            case UNKNOWN_ACQUISITION_ID -> UNKNOWN_ACQUISITION_ID;
            case ACQUISITION_ENDED -> ACQUISITION_ENDED;
            case NOT_HOLDER -> NOT_HOLDER;
            case LOCK_EXPIRED -> LOCK_EXPIRED;
            case NOT_ACQUIRED -> NOT_ACQUIRED;
            case INVALID_RANGE -> INVALID_RANGE;
            case OUTSIDE_WINDOW -> OUTSIDE_WINDOW;
            case OVERLAPPING_ACKNOWLEDGEMENT -> OVERLAPPING_ACKNOWLEDGEMENT;
        };
    }
}
