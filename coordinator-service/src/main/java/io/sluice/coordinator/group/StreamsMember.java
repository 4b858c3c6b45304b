package io.sluice.coordinator.group;

import io.sluice.internal.streams.StreamsEndpoint;
import io.sluice.internal.streams.TaskOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a member of a streams group has beyond a consumer group member: its instance, and its tasks. Immutable.
 *
 * <p>Ownership mirrors partitions': the member owns {@code assigned} and {@code pendingRevocation}, the latter until a
 * heartbeat's owned tasks leave them out; {@code target} is where the assignor wants it, reached through
 * {@link StreamsReconciliation}.
 *
 * @param processId     the Streams instance the member is a thread of; its members share one state directory, so an
 *                      instance never holds one task twice
 * @param topologyEpoch the topology epoch the member joined with
 * @param taskOffsets   the changelog offsets its instance's local state reached per task, as it last reported them
 *                      (sorted by task; none before its first report)
 */
record StreamsMember(String processId, String rackId, StreamsEndpoint userEndpoint, Map<String, String> clientTags,
                     int topologyEpoch, Tasks assigned, Tasks pendingRevocation, Tasks target,
                     List<TaskOffset> taskOffsets) {

    private static final Comparator<TaskOffset> BY_TASK = Comparator.comparing(TaskOffset::subtopologyId)
            .thenComparing(TaskOffset::partition);

    StreamsMember {
        clientTags = clientTags == null ? Map.of() : new TreeMap<>(clientTags);
        assigned = assigned == null ? Tasks.NONE : assigned;
        pendingRevocation = pendingRevocation == null ? Tasks.NONE : pendingRevocation;
        target = target == null ? Tasks.NONE : target;
        taskOffsets = taskOffsets == null ? List.of() : taskOffsets.stream().sorted(BY_TASK).toList();
    }

    /** The offsets of {@link #taskOffsets} by task. */
    Map<TaskId, Long> offsets() {
        Map<TaskId, Long> offsets = new TreeMap<>();
        taskOffsets.forEach(o -> offsets.put(new TaskId(o.subtopologyId(), o.partition()), o.offset()));
        return offsets;
    }

    StreamsMember withTaskOffsets(List<TaskOffset> newOffsets) {
        return new StreamsMember(processId, rackId, userEndpoint, clientTags, topologyEpoch, assigned,
                pendingRevocation, target, newOffsets);
    }

    /** Everything the member holds now: assigned, and asked back but not yet given up. */
    Tasks owned() {
        return assigned.plus(pendingRevocation);
    }

    StreamsMember withTarget(Tasks newTarget) {
        return new StreamsMember(processId, rackId, userEndpoint, clientTags, topologyEpoch, assigned,
                pendingRevocation, newTarget, taskOffsets);
    }

    StreamsMember withOwnership(Tasks newAssigned, Tasks newPending) {
        return new StreamsMember(processId, rackId, userEndpoint, clientTags, topologyEpoch, newAssigned, newPending,
                target, taskOffsets);
    }

    StreamsMember withInstance(String newProcessId, String newRackId, StreamsEndpoint newEndpoint,
                               Map<String, String> newTags) {
        return new StreamsMember(newProcessId == null ? processId : newProcessId,
                newRackId == null ? rackId : newRackId,
                newEndpoint == null ? userEndpoint : newEndpoint, newTags == null ? clientTags : newTags,
                topologyEpoch, assigned, pendingRevocation, target, taskOffsets);
    }
}
