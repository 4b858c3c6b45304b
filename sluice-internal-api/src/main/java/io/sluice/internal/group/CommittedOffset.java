package io.sluice.internal.group;

/** An offset as the coordinator stores it for a group, with when it was committed (ms since the epoch). */
public record CommittedOffset(String topic, int partition, long offset, Integer leaderEpoch, String metadata,
                              long commitTimestampMs) {
}
