package io.sluice.internal.group;

import io.sluice.protocol.TopicNames;
import java.util.List;

/**
 * The coordinator's consumer-group routes. Constants are the server's mappings (with {@code {placeholders}}); methods
 * give a client the concrete path, after checking the group id and topic name (see {@link GroupIds}) so that a value
 * taken from a public URL can never make it another call.
 */
public final class GroupPaths {

    /** GET: every group, as {@link GroupListing}s. */
    public static final String GROUPS = "/internal/groups";
    /** GET: {@link GroupDescription}; DELETE: the group and its offsets (refused while it has members). */
    public static final String GROUP = "/internal/groups/{group}";
    /** POST {@link GroupHeartbeatRequest}: join, heartbeat, leave (KIP-848's ConsumerGroupHeartbeat). */
    public static final String HEARTBEAT = "/internal/groups/{group}/heartbeat";
    /** POST {@link io.sluice.internal.streams.StreamsHeartbeatRequest}: a streams member's heartbeat (KIP-1071). */
    public static final String STREAMS_HEARTBEAT = "/internal/groups/{group}/streams-heartbeat";
    /** GET: a streams group's {@link io.sluice.internal.streams.StreamsGroupDescription}. */
    public static final String STREAMS_GROUP = "/internal/groups/{group}/streams";
    /**
     * POST {@link io.sluice.internal.streams.StreamsTopologyDescriptionUpdate}: a member's description of the streams
     * group's topology (KIP-1331).
     */
    public static final String STREAMS_TOPOLOGY_DESCRIPTION = "/internal/groups/{group}/streams-topology-description";
    /** GET: the committed offsets ({@link GroupOffsets}); POST {@link OffsetCommitRequest}: commit. */
    public static final String OFFSETS = "/internal/groups/{group}/offsets";
    /** POST {@link OffsetResetRequest}: set offsets to targets the caller resolved, or show them ({@code dry_run}). */
    public static final String OFFSET_RESET = "/internal/groups/{group}/offset-reset";
    /**
     * GET: the group's recent ownership changes as recorded by the active coordinator ({@link GroupOwnership}s, oldest
     * first; bounded, in memory, for tests and diagnosis).
     */
    public static final String OWNERSHIP_HISTORY = "/internal/groups/{group}/ownership-history";
    /** DELETE: the group's committed offsets of one topic. */
    public static final String TOPIC_OFFSETS = "/internal/groups/{group}/topics/{topic}/offsets";

    private GroupPaths() {
    }

    public static String group(String groupId) {
        GroupIds.validate(groupId);
        return GROUPS + "/" + groupId;
    }

    public static String heartbeat(String groupId) {
        return group(groupId) + "/heartbeat";
    }

    public static String streamsHeartbeat(String groupId) {
        return group(groupId) + "/streams-heartbeat";
    }

    public static String streamsGroup(String groupId) {
        return group(groupId) + "/streams";
    }

    public static String streamsTopologyDescription(String groupId) {
        return group(groupId) + "/streams-topology-description";
    }

    public static String offsets(String groupId) {
        return group(groupId) + "/offsets";
    }

    public static String offsetReset(String groupId) {
        return group(groupId) + "/offset-reset";
    }

    public static String topicOffsets(String groupId, String topic) {
        TopicNames.validate(topic);
        return group(groupId) + "/topics/" + topic + "/offsets";
    }

    /** {@link #topicOffsets(String, String)} of some partitions ({@code ?partitions=0,2}), all when null. */
    public static String topicOffsets(String groupId, String topic, List<Integer> partitions) {
        return topicOffsets(groupId, topic) + (partitions == null ? "" : "?partitions=" + String.join(",",
                partitions.stream().map(String::valueOf).toList()));
    }
}
