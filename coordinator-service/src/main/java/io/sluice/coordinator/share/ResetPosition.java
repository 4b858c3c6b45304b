package io.sluice.coordinator.share;

/** Where a share-partition's start offset is reset to ({@code share.auto.offset.reset}, or an explicit offset). */
sealed interface ResetPosition {

    /** The log start offset. */
    ResetPosition EARLIEST = new Earliest();

    /** The high watermark: only records written from now on. */
    ResetPosition LATEST = new Latest();

    static ResetPosition offset(long offset) {
        return new AtOffset(offset);
    }

    record Earliest() implements ResetPosition {
    }

    record Latest() implements ResetPosition {
    }

    /** A given offset (by time: the offset the log finds for a timestamp). */
    record AtOffset(long offset) implements ResetPosition {
    }
}
