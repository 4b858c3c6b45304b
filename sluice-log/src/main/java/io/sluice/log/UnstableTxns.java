package io.sluice.log;

import java.util.List;

/**
 * The transactions of a partition that hold its last stable offset (LSO) back, as published to lock-free readers:
 * those still open, and those whose marker is written but may still be above the high watermark. The LSO is the
 * lowest first offset among the ones not yet stable, or the high watermark when there is none (Kafka's
 * firstUnstableOffset bounded by the high watermark). Immutable.
 *
 * @param spans each transaction's first offset and its marker's offset ({@link Long#MAX_VALUE} while open), lowest
 *              first offset first
 */
record UnstableTxns(List<Span> spans) {

    static final UnstableTxns NONE = new UnstableTxns(List.of());

    /** One transaction's records: from its first batch to its marker (or without end while open). */
    record Span(long firstOffset, long markerOffset) {
    }

    UnstableTxns {
        spans = List.copyOf(spans);
    }

    /** The last stable offset under {@code highWatermark}: a transaction is stable once its marker is below it. */
    long lastStableOffset(long highWatermark) {
        for (Span span : spans) {
            if (span.markerOffset() >= highWatermark) {
                return Math.min(span.firstOffset(), highWatermark);
            }
        }
        return highWatermark;
    }
}
