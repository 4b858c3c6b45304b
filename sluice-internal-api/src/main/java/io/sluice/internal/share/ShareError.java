package io.sluice.internal.share;

/**
 * Why an acknowledgement of a share-partition's records was refused, for one record or for one item of an acknowledge
 * call ({@link ShareAcknowledgeResponse}). A refused acknowledgement changes nothing for the records it names. The
 * names are part of the internal API's contract: add new ones, never rename or reuse one.
 */
public enum ShareError {

    /** The acquisition id was never handed out by this share-partition. */
    UNKNOWN_ACQUISITION_ID,
    /**
     * The acquisition id was handed out, but is no longer any record's current lock: its record was acknowledged since
     * (and the window moved past it), or its lock ended and the record was acquired again under a new id.
     */
    ACQUISITION_ENDED,
    /** The record is acquired by another member, or the acquisition id is another member's. */
    NOT_HOLDER,
    /** The member's lock on the record reached its deadline; the record goes (or went) to the next taker. */
    LOCK_EXPIRED,
    /** The record is not acquired: available, already acknowledged or archived (renew and every ack need a lock). */
    NOT_ACQUIRED,
    /** A range with a negative first offset or a last offset below its first. */
    INVALID_RANGE,
    /** A range reaching below the start offset or to the end offset and past: it names records not in flight. */
    OUTSIDE_WINDOW,
    /** The item names a record another item of the same call names too; both are refused. */
    OVERLAPPING_ACKNOWLEDGEMENT
}
