package io.sluice.log;

/**
 * What an append wrote.
 *
 * @param firstOffset    base offset of the first batch
 * @param lastOffset     last offset of the last batch
 * @param logAppendTime  the time batches were stamped with under LogAppendTime, else -1
 * @param maxTimestamp   the largest record timestamp appended (the append time under LogAppendTime)
 * @param recordCount    records appended
 * @param sizeInBytes    bytes appended
 * @param logStartOffset the log start offset after the append
 * @param duplicate      whether the batches were idempotent batches written before: nothing was appended, and the
 *                       offsets (and append time) are those of the first write
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, long maxTimestamp,
                           int recordCount, int sizeInBytes, long logStartOffset, boolean duplicate) {
}
