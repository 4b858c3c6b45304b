package io.sluice.log;

/** The points of a cleaner's segment swap a crash may fall between (see {@link SegmentedLog#replaceSegments}). */
enum SwapStep {
    CLEANED_WRITTEN,
    MARKER_WRITTEN,
    OLD_SEGMENTS_RENAMED,
    CLEANED_RENAMED,
    DIRECTORY_SYNCED,
    MARKER_DELETED
}
