package io.sluice.internal.streams;

import java.util.List;

/**
 * A streams application's topology as its members describe it (KIP-1331's StreamsGroupTopologyDescriptionUpdate): the
 * processing nodes of each subtopology and the global stores, kept by the coordinator for the group's topology epoch
 * and shown by StreamsGroupDescribe. Sluice stores it as given and reads nothing in it.
 *
 * @param topologyEpoch the epoch of the topology described
 */
public record StreamsTopologyDescription(int topologyEpoch, List<Subtopology> subtopologies,
                                         List<GlobalStore> globalStores) {

    public StreamsTopologyDescription {
        subtopologies = subtopologies == null ? List.of() : List.copyOf(subtopologies);
        globalStores = globalStores == null ? List.of() : List.copyOf(globalStores);
    }

    /** A subtopology's nodes. */
    public record Subtopology(String subtopologyId, List<Node> nodes) {

        public Subtopology {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }
    }

    /**
     * A processing node.
     *
     * @param nodeType 1 source, 2 processor, 3 sink, as Kafka numbers them
     * @param sinkTopic for a sink, the topic it writes to; null otherwise or when it is chosen per record
     */
    public record Node(String name, int nodeType, List<String> sourceTopics, String sinkTopic, List<String> stores,
                       List<String> successors) {

        public Node {
            sourceTopics = sourceTopics == null ? List.of() : List.copyOf(sourceTopics);
            stores = stores == null ? List.of() : List.copyOf(stores);
            successors = successors == null ? List.of() : List.copyOf(successors);
        }
    }

    /** A global store: the source node feeding it and the processor filling it. */
    public record GlobalStore(Node source, Node processor) {
    }
}
