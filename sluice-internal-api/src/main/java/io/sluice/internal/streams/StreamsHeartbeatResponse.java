package io.sluice.internal.streams;

import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/**
 * The answer to a streams group heartbeat: the member's epoch, how soon to heartbeat again, the group's conditions
 * ({@link StreamsStatus}), and the tasks the member may own now — always all three lists. A task the member owns that
 * is not in its lists is being asked back. An active task is never owned by two members at once, and no instance
 * ({@code process_id}) is given a task while any of its members still holds it in another role.
 *
 * @param taskOffsetIntervalMs        how often the member is to send its tasks' changelog offsets
 * @param acceptableRecoveryLag       the changelog lag at or below which a warm-up task counts as caught up
 * @param endpoints                   for interactive queries, the partitions each member with an endpoint serves;
 *                                    empty when no member declared one
 * @param topologyDescriptionRequired whether the coordinator has no description of the group's topology at its epoch
 *                                    and asks the member for one ({@link StreamsTopologyDescriptionUpdate}, KIP-1331)
 */
public record StreamsHeartbeatResponse(String memberId, int memberEpoch, long heartbeatIntervalMs,
                                       int taskOffsetIntervalMs, long acceptableRecoveryLag,
                                       List<StreamsStatus> statuses, List<TaskIds> activeTasks,
                                       List<TaskIds> standbyTasks, List<TaskIds> warmupTasks, int endpointsEpoch,
                                       List<EndpointPartitions> endpoints, boolean topologyDescriptionRequired) {

    public StreamsHeartbeatResponse {
        statuses = List.copyOf(statuses);
        activeTasks = List.copyOf(activeTasks);
        standbyTasks = List.copyOf(standbyTasks);
        warmupTasks = List.copyOf(warmupTasks);
        endpoints = List.copyOf(endpoints);
    }

    /** The same answer with other statuses. */
    public StreamsHeartbeatResponse withStatuses(List<StreamsStatus> newStatuses) {
        return new StreamsHeartbeatResponse(memberId, memberEpoch, heartbeatIntervalMs, taskOffsetIntervalMs,
                acceptableRecoveryLag, newStatuses, activeTasks, standbyTasks, warmupTasks, endpointsEpoch, endpoints,
                topologyDescriptionRequired);
    }

    /** The source partitions of one member's tasks, active and standby, under its instance's endpoint. */
    public record EndpointPartitions(StreamsEndpoint endpoint, List<TopicPartitions> activePartitions,
                                     List<TopicPartitions> standbyPartitions) {
    }
}
