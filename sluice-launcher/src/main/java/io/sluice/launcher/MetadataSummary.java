package io.sluice.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's view of the cluster in a few numbers, from {@code GET /internal/topics} and
 * {@code GET /internal/nodes}: topics, partitions, the partitions without a leader (by name, {@code topic-p}), the
 * under-replicated ones (ISR smaller than the replica list), and how many registered nodes are alive.
 */
public record MetadataSummary(int topics, int partitions, List<String> offlinePartitions,
                              int underReplicatedPartitions, int liveNodes, int nodes) {

    public MetadataSummary {
        offlinePartitions = List.copyOf(offlinePartitions);
    }

    /**
     * @param topicsJson the coordinator's topic list:
     *                   {@code [{name, partitions: [{partition, replicas, leader, isr}]}]}
     * @param nodesJson  its node list: {@code [{id, url, status}]}
     * @throws IllegalArgumentException when either document is not shaped like that
     */
    static MetadataSummary parse(String topicsJson, String nodesJson) {
        int partitions = 0;
        int underReplicated = 0;
        List<String> offline = new ArrayList<>();
        List<?> topics = list(Json.parse(topicsJson));
        for (Object topicValue : topics) {
            Map<?, ?> topic = map(topicValue);
            for (Object partitionValue : list(topic.get("partitions"))) {
                Map<?, ?> partition = map(partitionValue);
                partitions++;
                if (number(partition.get("leader")) < 0) {
                    offline.add(topic.get("name") + "-" + number(partition.get("partition")));
                }
                if (list(partition.get("isr")).size() < list(partition.get("replicas")).size()) {
                    underReplicated++;
                }
            }
        }
        List<?> nodes = list(Json.parse(nodesJson));
        int live = (int) nodes.stream().filter(node -> "ALIVE".equals(map(node).get("status"))).count();
        return new MetadataSummary(topics.size(), partitions, offline, underReplicated, live, nodes.size());
    }

    /** One line for {@code status}. */
    public String describe() {
        return "%d topic%s, %d partition%s, %d offline%s, %d under-replicated; %d of %d node%s alive".formatted(
                topics, topics == 1 ? "" : "s", partitions, partitions == 1 ? "" : "s", offlinePartitions.size(),
                offlinePartitions.isEmpty() ? "" : " " + offlinePartitions, underReplicatedPartitions, liveNodes,
                nodes, nodes == 1 ? "" : "s");
    }

    private static List<?> list(Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException("expected a JSON array, got " + value);
    }

    private static Map<?, ?> map(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("expected a JSON object, got " + value);
    }

    private static long number(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException("expected a number, got " + value);
    }
}
