package io.sluice.internal.share;

import java.util.List;

/**
 * Ends the locks {@code memberId} holds on records of some share-partitions of a group, which are delivered again now
 * (available, their delivery counts kept): a share session of the member closed, or the connection it lived on
 * dropped, and the records it took through that session and did not acknowledge go back at once, as at Kafka. Records
 * the member holds in other share-partitions (a session on another gateway) keep their locks.
 */
public record ShareReleaseRequest(String groupId, String memberId, List<Partition> partitions) {

    public ShareReleaseRequest {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }

    /** One share-partition of the group. */
    public record Partition(String topic, int partition) {
    }
}
