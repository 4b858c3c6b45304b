package io.sluice.launcher;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's view of the cluster in a few numbers, from {@code GET /internal/topics} and
 * {@code GET /internal/nodes}: topics, partitions, the partitions without a leader (by name, {@code topic-p}), the
 * under-replicated ones (ISR smaller than the replica list), and how many registered nodes are alive.
 */
public record MetadataSummary(int topics, int partitions, List<String> offlinePartitions,
                              int underReplicatedPartitions, int liveNodes, int nodes) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public MetadataSummary {
        offlinePartitions = List.copyOf(offlinePartitions);
    }

    /**
     * @param topicsJson the coordinator's topic list:
     *                   {@code [{name, partitions: [{partition, replicas, leader, isr}]}]}
     * @param nodesJson  its node list: {@code [{id, url, status}]}
     * @throws IllegalArgumentException when either document is not JSON, or not shaped like that
     */
    static MetadataSummary parse(String topicsJson, String nodesJson) {
        int partitions = 0;
        int underReplicated = 0;
        List<String> offline = new ArrayList<>();
        JsonNode topics = array(read(topicsJson), "topics");
        for (JsonNode topic : topics) {
            for (JsonNode partition : array(topic.path("partitions"), "partitions")) {
                partitions++;
                if (number(partition.path("leader"), "leader") < 0) {
                    offline.add(topic.path("name").asString() + "-" + number(partition.path("partition"), "partition"));
                }
                if (array(partition.path("isr"), "isr").size() < array(partition.path("replicas"), "replicas").size()) {
                    underReplicated++;
                }
            }
        }
        JsonNode nodes = array(read(nodesJson), "nodes");
        int live = 0;
        for (JsonNode node : nodes) {
            if ("ALIVE".equals(node.path("status").asString(""))) {
                live++;
            }
        }
        return new MetadataSummary(topics.size(), partitions, offline, underReplicated, live, nodes.size());
    }

    /** One line for {@code status}. */
    public String describe() {
        return "%d topic%s, %d partition%s, %d offline%s, %d under-replicated; %d of %d node%s alive".formatted(
                topics, topics == 1 ? "" : "s", partitions, partitions == 1 ? "" : "s", offlinePartitions.size(),
                offlinePartitions.isEmpty() ? "" : " " + offlinePartitions, underReplicatedPartitions, liveNodes,
                nodes, nodes == 1 ? "" : "s");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode array(JsonNode value, String what) {
        if (value.isArray()) {
            return value;
        }
        throw new IllegalArgumentException("expected " + what + " as a JSON array, got " + value);
    }

    private static long number(JsonNode value, String what) {
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        throw new IllegalArgumentException("expected " + what + " as a number, got " + value);
    }
}
