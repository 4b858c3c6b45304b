package io.sluice.log;

/**
 * One batch a producer wrote, as its producer state remembers it: enough to recognise the batch when it is sent again
 * and to answer with the offsets it was first written at.
 *
 * @param firstSeq    the batch's base sequence
 * @param lastSeq     its last sequence (base sequence + last offset delta, wrapping at Integer.MAX_VALUE)
 * @param firstOffset the offset of its first record
 * @param lastOffset  the offset of its last record
 * @param timestamp   its max timestamp as written (the append time under LogAppendTime)
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}
