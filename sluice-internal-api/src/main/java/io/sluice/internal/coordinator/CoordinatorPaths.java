package io.sluice.internal.coordinator;

import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;

/**
 * The coordinator's internal routes. Constants are the server's mappings (with {@code {placeholders}}); methods give
 * a client the concrete path. A topic name is checked before it goes into a path, so that '/', '?', '#' or '..' in a
 * name from a public URL can never make it another call.
 */
public final class CoordinatorPaths {

    public static final String STATUS = "/internal/coordinator";
    public static final String NODES = "/internal/nodes";
    public static final String NODE_HEARTBEAT = "/internal/nodes/{id}/heartbeat";
    public static final String NODE_SHUTDOWN = "/internal/nodes/{id}/shutdown";
    public static final String NODE_OFFLINE_REPLICAS = "/internal/nodes/{id}/offline-replicas";
    public static final String NODE_UNREACHABLE = "/internal/nodes/{id}/unreachable";
    /** POST: decommission the node (answered with its {@link DecommissionListing.Progress}); DELETE: cancel that. */
    public static final String NODE_DECOMMISSION = "/internal/nodes/{id}/decommission";
    /**
     * PUT {@link MoveThrottleRequest}: the byte rate at which the node, as a leader, serves replicas a move is adding;
     * DELETE: back to the node's configured default. Both answer the node's record.
     */
    public static final String NODE_MOVE_THROTTLE = "/internal/nodes/{id}/move-throttle";
    /** GET: the nodes being decommissioned ({@link DecommissionListing}). */
    public static final String DECOMMISSIONS = "/internal/decommissions";
    public static final String TOPICS = "/internal/topics";
    public static final String TOPIC = "/internal/topics/{name}";
    public static final String TOPIC_CONFIGS = "/internal/topics/{name}/configs";
    public static final String TOPIC_PARTITIONS = "/internal/topics/{name}/partitions";
    public static final String PARTITION_ISR = "/internal/topics/{name}/partitions/{partition}/isr";
    public static final String PREFERRED_ELECTION = "/internal/elections/preferred";
    /** POST {@link ElectLeadersRequest}: elections an operator asks for, answered per partition. */
    public static final String ELECTIONS = "/internal/elections";
    /** POST: start, replace or cancel moves ({@link AlterReassignmentsRequest}); GET: the moves under way. */
    public static final String REASSIGNMENTS = "/internal/reassignments";
    /** POST a {@link ReassignmentProposal.Request}: the planner's proposal, nothing moved. */
    public static final String REASSIGNMENT_PROPOSAL = "/internal/reassignments/proposal";
    /** {@code ?since=V&wait_ms=W}: JSON long poll; with {@code Accept: text/event-stream}, a stream. */
    public static final String METADATA = "/internal/metadata";

    private CoordinatorPaths() {
    }

    public static String heartbeat(int nodeId) {
        return NODES + "/" + nodeId + "/heartbeat";
    }

    public static String shutdown(int nodeId) {
        return NODES + "/" + nodeId + "/shutdown";
    }

    public static String offlineReplicas(int nodeId) {
        return NODES + "/" + nodeId + "/offline-replicas";
    }

    public static String unreachable(int nodeId) {
        return NODES + "/" + nodeId + "/unreachable";
    }

    public static String decommission(int nodeId) {
        return NODES + "/" + nodeId + "/decommission";
    }

    public static String moveThrottle(int nodeId) {
        return NODES + "/" + nodeId + "/move-throttle";
    }

    public static String topic(String name) {
        TopicNames.validate(name);
        return TOPICS + "/" + name;
    }

    public static String topicConfigs(String name) {
        return topic(name) + "/configs";
    }

    public static String topicPartitions(String name) {
        return topic(name) + "/partitions";
    }

    public static String partitionIsr(TopicPartition tp) {
        return topic(tp.topic()) + "/partitions/" + tp.partition() + "/isr";
    }

    public static String preferredElection(String topicOrNull) {
        if (topicOrNull == null) {
            return PREFERRED_ELECTION;
        }
        TopicNames.validate(topicOrNull);
        return PREFERRED_ELECTION + "?topic=" + topicOrNull;
    }

    public static String metadata(long since, long waitMs) {
        return METADATA + "?since=" + since + "&wait_ms=" + waitMs;
    }
}
