package io.sluice.log;

/** An offset index entry: the batch that holds {@code offset} starts at byte {@code position} of its segment. */
record OffsetPosition(long offset, int position) {
}
