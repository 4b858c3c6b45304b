package io.sluice.internal.group;

/**
 * An offset to commit or to reset to: the next offset the group should read in the partition, the leader epoch of the
 * last record it read (null if unknown) and free-form metadata (null for none).
 */
public record PartitionOffset(String topic, Integer partition, Long offset, Integer leaderEpoch, String metadata) {

    public static PartitionOffset of(String topic, int partition, long offset) {
        return new PartitionOffset(topic, partition, offset, null, null);
    }
}
