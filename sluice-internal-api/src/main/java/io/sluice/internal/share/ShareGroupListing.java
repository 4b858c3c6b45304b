package io.sluice.internal.share;

/**
 * One share group in a listing: how many share-partitions it has, and how many of their records are in flight (in the
 * windows, any state) and acquired now. A group whose members have not taken a record yet has no share-partition.
 */
public record ShareGroupListing(String groupId, int partitions, long inFlightRecords, long acquiredRecords) {
}
