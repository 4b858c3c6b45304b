package io.sluice.internal.remote;

/**
 * A partition leader's DeleteRecords on a tiered topic, as the coordinator's record of its remote log takes it: remote
 * records below {@code offset} are never served again ({@link RemoteLog#logStartOffset()}).
 *
 * @param leaderEpoch the writer's leader epoch, fenced as a segment update's is
 * @param offset      the new log start offset (&gt;= 0)
 */
public record RemoteLogStart(int leaderEpoch, long offset) {
}
