package io.sluice.internal.streams;

import java.util.List;
import java.util.Map;

/**
 * One heartbeat of a streams group member (KIP-1071's StreamsGroupHeartbeat); the group id is in the path. A member
 * joins with epoch 0 and its application's topology, heartbeats with the epoch of its last answer, and leaves with -1
 * (-2 for a static member leaving for a restart). A null field is unchanged since the member's last heartbeat.
 *
 * @param memberId            the member's id, chosen by the member (a UUID) and kept for its whole life
 * @param memberEpoch         0 to join, the epoch of the last answer, -1 to leave, -2 to leave as a static member
 * @param instanceId          the static member's stable id, or null
 * @param rackId              the member's rack, or null
 * @param rebalanceTimeoutMs  how long the member may take to give up tasks asked back; null = unchanged
 * @param topology            the application's topology: required to join, null otherwise
 * @param activeTasks         the active tasks the member owns now; null = unchanged. Leaving a revoked task out is how
 *                            the member gives it up
 * @param standbyTasks        the standby tasks it owns now; null = unchanged
 * @param warmupTasks         the warm-up tasks it owns now; null = unchanged
 * @param processId           the id of the member's Streams instance (several members, one per stream thread, share
 *                            it and its state directory); required to join
 * @param userEndpoint        where the instance answers interactive queries, or null
 * @param clientTags          the instance's client tags; null = unchanged
 * @param shutdownApplication whether the member asks every member of the group to shut down
 * @param clientId            the member's client id; null = unchanged
 * @param clientHost          the address the member's client connects from; null = unchanged
 * @param taskOffsets         how far its instance's local state of each task has come in the task's changelogs (the
 *                            coordinator places standby tasks with it); null = unchanged
 * @param taskEndOffsets      the end offsets of its tasks' changelogs; null = unchanged. Checked, not kept: they
 *                            would measure warm-up tasks, which this coordinator does not assign
 */
public record StreamsHeartbeatRequest(String memberId, Integer memberEpoch, String instanceId, String rackId,
                                      Integer rebalanceTimeoutMs, StreamsTopology topology, List<TaskIds> activeTasks,
                                      List<TaskIds> standbyTasks, List<TaskIds> warmupTasks, String processId,
                                      StreamsEndpoint userEndpoint, Map<String, String> clientTags,
                                      boolean shutdownApplication, String clientId, String clientHost,
                                      List<TaskOffset> taskOffsets, List<TaskOffset> taskEndOffsets) {

    public static final int JOIN = 0;
    public static final int LEAVE = -1;
    public static final int STATIC_LEAVE = -2;
}
