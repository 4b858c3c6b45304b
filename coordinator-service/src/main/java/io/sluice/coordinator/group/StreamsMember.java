package io.sluice.coordinator.group;

import io.sluice.internal.streams.StreamsEndpoint;
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
 */
record StreamsMember(String processId, String rackId, StreamsEndpoint userEndpoint, Map<String, String> clientTags,
                     int topologyEpoch, Tasks assigned, Tasks pendingRevocation, Tasks target) {

    StreamsMember {
        clientTags = clientTags == null ? Map.of() : new TreeMap<>(clientTags);
        assigned = assigned == null ? Tasks.NONE : assigned;
        pendingRevocation = pendingRevocation == null ? Tasks.NONE : pendingRevocation;
        target = target == null ? Tasks.NONE : target;
    }

    /** Everything the member holds now: assigned, and asked back but not yet given up. */
    Tasks owned() {
        return assigned.plus(pendingRevocation);
    }

    StreamsMember withTarget(Tasks newTarget) {
        return new StreamsMember(processId, rackId, userEndpoint, clientTags, topologyEpoch, assigned,
                pendingRevocation, newTarget);
    }

    StreamsMember withOwnership(Tasks newAssigned, Tasks newPending) {
        return new StreamsMember(processId, rackId, userEndpoint, clientTags, topologyEpoch, newAssigned, newPending,
                target);
    }

    StreamsMember withInstance(String newProcessId, String newRackId, StreamsEndpoint newEndpoint,
                               Map<String, String> newTags) {
        return new StreamsMember(newProcessId == null ? processId : newProcessId,
                newRackId == null ? rackId : newRackId,
                newEndpoint == null ? userEndpoint : newEndpoint, newTags == null ? clientTags : newTags,
                topologyEpoch, assigned, pendingRevocation, target);
    }
}
