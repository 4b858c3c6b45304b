package io.sluice.gateway.admin;

import java.util.List;
import java.util.Map;

/** A topic as the admin API describes it, with each partition's leader, replicas, ISR and offsets. */
record TopicView(String name, String topicId, int partitionCount, int replicationFactor,
                        Map<String, String> configs, List<PartitionView> partitions) {

    /** {@code earliestOffset}/{@code latestOffset} are null when the leader could not be asked. */
    public record PartitionView(int partition, int leader, List<Integer> replicas, List<Integer> isr, int leaderEpoch,
                                Long earliestOffset, Long latestOffset) {
    }
}
