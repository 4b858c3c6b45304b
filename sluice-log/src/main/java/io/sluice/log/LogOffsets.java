package io.sluice.log;

/**
 * The offsets that bound a log at one moment: readable records lie in [logStartOffset, logEndOffset), consumers
 * see [logStartOffset, highWatermark). Always {@code logStartOffset <= highWatermark <= logEndOffset}.
 */
public record LogOffsets(long logStartOffset, long highWatermark, long logEndOffset) {
}
