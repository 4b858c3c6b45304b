package io.sluice.log;

import io.sluice.protocol.TopicPartition;

/**
 * What one cleaning of a log did.
 *
 * @param partition      the log cleaned
 * @param dirtyRatio     its dirty ratio when it was picked
 * @param cleanedUpTo    the offset below which it is now clean (its new cleaner checkpoint)
 * @param bytesRead      bytes read, building the key map and rewriting segments
 * @param bytesBefore    size of the segments rewritten
 * @param bytesAfter     size of the segments that replaced them
 * @param segmentsBefore segments rewritten
 * @param segmentsAfter  segments that replaced them (fewer when small neighbours were merged)
 * @param recordsRemoved records dropped (superseded values and expired tombstones)
 * @param completed      false if a segment left the log meanwhile (retention, truncation) and the cleaning stopped
 */
public record CleanResult(TopicPartition partition, double dirtyRatio, long cleanedUpTo, long bytesRead,
                          long bytesBefore, long bytesAfter, int segmentsBefore, int segmentsAfter,
                          long recordsRemoved, boolean completed) {
}
