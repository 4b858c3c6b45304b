package io.sluice.adminui.messages;

import io.sluice.adminui.gateway.GatewayViews.ConsumedRecord;

/** What a running search tells the page, in order: progress after each page read, matches, then one that is final. */
sealed interface SearchEvent {

    /**
     * How far the search is: {@code scanned} records read, {@code position} offsets of the range passed (a compacted
     * partition has gaps, so the bar follows offsets, not records), of {@code total} offsets in the range (from the
     * partitions' offsets when the search started), and {@code matches} found. {@code finished}: the last event.
     */
    record Progress(long scanned, long position, long total, long matches, boolean finished, boolean stopped)
            implements SearchEvent {

        public int percent() {
            return total == 0 ? 100 : (int) (position * 100 / total);
        }
    }

    record Match(ConsumedRecord record) implements SearchEvent {
    }

    /** The search could not go on (or could not start): why, for people. A final {@link Progress} follows. */
    record Failed(String message) implements SearchEvent {
    }
}
