package io.sluice.internal.streams;

import java.util.List;
import java.util.Map;

/**
 * A streams group in full, as KIP-1071's StreamsGroupDescribe shows it.
 *
 * @param state       {@code Empty}, {@code NotReady} (topics missing or wrongly partitioned), {@code Reconciling} or
 *                    {@code Stable}, as Kafka spells them
 * @param topology    the group's topology with every partition count resolved; null while it is not ready
 * @param description the members' description of the topology at its epoch (KIP-1331), or null while none is stored
 */
public record StreamsGroupDescription(String groupId, String state, int groupEpoch, int assignmentEpoch,
                                      int topologyEpoch, List<ConfiguredSubtopology> topology,
                                      List<Member> members, StreamsTopologyDescription description) {

    public StreamsGroupDescription {
        topology = topology == null ? null : List.copyOf(topology);
        members = List.copyOf(members);
    }

    /** A subtopology with its topics resolved: regular expressions to the topics they match, partition counts set. */
    public record ConfiguredSubtopology(String id, List<String> sourceTopics, List<String> repartitionSinkTopics,
                                        List<StreamsTopology.InternalTopic> stateChangelogTopics,
                                        List<StreamsTopology.InternalTopic> repartitionSourceTopics) {
    }

    /** One member, with the tasks it owns and those the assignor wants it to have. */
    public record Member(String memberId, int memberEpoch, String instanceId, String rackId, String clientId,
                         String clientHost, int topologyEpoch, String processId, StreamsEndpoint userEndpoint,
                         Map<String, String> clientTags, Assignment assignment, Assignment targetAssignment) {
    }

    /** Active, standby and warm-up tasks. */
    public record Assignment(List<TaskIds> activeTasks, List<TaskIds> standbyTasks, List<TaskIds> warmupTasks) {
    }
}
