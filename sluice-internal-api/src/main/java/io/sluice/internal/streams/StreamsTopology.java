package io.sluice.internal.streams;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Kafka Streams application's topology as its members declare it when they join a streams group (KIP-1071): its
 * subtopologies, each with the topics it reads and the internal topics it needs. Stored with the group; every member
 * of the group runs the same topology at the same epoch.
 *
 * @param epoch         the topology's epoch, as the application numbers it (0 until topology updates exist)
 * @param subtopologies the subtopologies, by id
 */
public record StreamsTopology(int epoch, List<Subtopology> subtopologies) {

    public StreamsTopology {
        subtopologies = List.copyOf(subtopologies);
    }

    /**
     * One subtopology: its tasks are numbered by partition, task {@code p} reading partition {@code p} of each of its
     * source topics.
     *
     * @param id                      the subtopology's id, unique within the topology
     * @param sourceTopics            the user topics it reads
     * @param sourceTopicRegex        regular expressions naming more topics it reads
     * @param stateChangelogTopics    its state stores' changelog topics (internal; partitions always as many as it has
     *                                tasks)
     * @param repartitionSinkTopics   the repartition topics it writes
     * @param repartitionSourceTopics the repartition topics it reads (internal)
     * @param copartitionGroups       sets of its source topics that must have as many partitions as each other
     */
    public record Subtopology(String id, List<String> sourceTopics, List<String> sourceTopicRegex,
                              List<InternalTopic> stateChangelogTopics, List<String> repartitionSinkTopics,
                              List<InternalTopic> repartitionSourceTopics, List<CopartitionGroup> copartitionGroups) {

        public Subtopology {
            sourceTopics = sourceTopics == null ? List.of() : List.copyOf(sourceTopics);
            sourceTopicRegex = sourceTopicRegex == null ? List.of() : List.copyOf(sourceTopicRegex);
            stateChangelogTopics = stateChangelogTopics == null ? List.of() : List.copyOf(stateChangelogTopics);
            repartitionSinkTopics = repartitionSinkTopics == null ? List.of() : List.copyOf(repartitionSinkTopics);
            repartitionSourceTopics = repartitionSourceTopics == null ? List.of()
                    : List.copyOf(repartitionSourceTopics);
            copartitionGroups = copartitionGroups == null ? List.of() : List.copyOf(copartitionGroups);
        }
    }

    /**
     * A topic the group's coordinator creates for the application.
     *
     * @param partitions        its partition count, or 0 for "as the topology requires" (always 0 for changelogs)
     * @param replicationFactor its replication factor, or 0 for the coordinator's default
     * @param configs           its topic configs, by Kafka's names
     */
    public record InternalTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {

        public InternalTopic {
            configs = configs == null ? Map.of() : new TreeMap<>(configs);
        }
    }

    /**
     * Topics of one subtopology that must be copartitioned, as indexes into its lists.
     *
     * @param sourceTopics            indexes into {@link Subtopology#sourceTopics()}
     * @param sourceTopicRegex        indexes into {@link Subtopology#sourceTopicRegex()}
     * @param repartitionSourceTopics indexes into {@link Subtopology#repartitionSourceTopics()}
     */
    public record CopartitionGroup(List<Integer> sourceTopics, List<Integer> sourceTopicRegex,
                                   List<Integer> repartitionSourceTopics) {

        public CopartitionGroup {
            sourceTopics = sourceTopics == null ? List.of() : List.copyOf(sourceTopics);
            sourceTopicRegex = sourceTopicRegex == null ? List.of() : List.copyOf(sourceTopicRegex);
            repartitionSourceTopics = repartitionSourceTopics == null ? List.of()
                    : List.copyOf(repartitionSourceTopics);
        }
    }
}
