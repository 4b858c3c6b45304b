package io.sluice.internal.coordinator;

import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.Objects;

/**
 * Leader elections an operator asks for (Kafka's ElectLeaders, {@code kafka-leader-election}).
 *
 * @param type       PREFERRED: lead each partition by its preferred replica (the first of its replicas) when that
 *                   one is alive and in sync; UNCLEAN: give a leaderless partition a leader, from its in-sync replicas
 *                   if one is alive, else from any live replica (which may lose acknowledged records, as Kafka's
 *                   unclean election does)
 * @param partitions the partitions to elect for, or null for every partition (then only the partitions whose leader
 *                   changed are answered)
 */
public record ElectLeadersRequest(Type type, List<TopicPartition> partitions) {

    public enum Type { PREFERRED, UNCLEAN }

    public ElectLeadersRequest {
        Objects.requireNonNull(type, "type");
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
