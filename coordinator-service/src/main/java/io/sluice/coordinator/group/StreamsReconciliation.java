package io.sluice.coordinator.group;

import io.sluice.internal.group.MemberState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one streams member moves toward its target tasks, one heartbeat at a time — {@link Reconciliation}'s rules with
 * tasks for partitions, and one more for the instance:
 *
 * <ol>
 *   <li>Tasks the member holds that its target does not have in the same role are asked back first: it keeps the
 *       rest, its epoch stays, and it is {@link MemberState#UNREVOKED_PARTITIONS} until a heartbeat's owned tasks
 *       leave all of them out.</li>
 *   <li>With nothing left to give back, the member moves to the assignment epoch and takes the tasks of its target
 *       that are free: an active task no other member holds as active, and — active, standby or warm-up — a task no
 *       other member of its instance ({@code process_id}) holds in any role, since an instance keeps one state
 *       directory per task. The rest wait ({@link MemberState#UNRELEASED_PARTITIONS}) for a later heartbeat.</li>
 * </ol>
 *
 * <p>So an active task never has two owners, and no instance ever holds a task twice.
 */
final class StreamsReconciliation {

    private StreamsReconciliation() {
    }

    /**
     * @param owned the tasks the member's heartbeat says it holds, or null when it did not say (unchanged)
     */
    static GroupMember reconcile(ConsumerGroup group, GroupMember member, Tasks owned) {
        StreamsMember streams = member.streams();
        Tasks pending = streams.pendingRevocation();
        if (owned != null && !owned.overlaps(pending)) {
            pending = Tasks.NONE;
        }
        Tasks keep = streams.assigned().intersect(streams.target());
        Tasks revoke = streams.assigned().minus(streams.target()).plus(pending);
        if (!revoke.isEmpty()) {
            return member.withOwnership(member.memberEpoch(), member.previousMemberEpoch(),
                    MemberState.UNREVOKED_PARTITIONS, Set.of(), Set.of())
                    .withStreams(streams.withOwnership(keep, revoke));
        }
        Map<TaskId, String> activeOwners = new HashMap<>();
        Set<TaskId> heldOnInstance = new HashSet<>();
        for (GroupMember other : group.members().values()) {
            if (other.memberId().equals(member.memberId()) || other.streams() == null) {
                continue;
            }
            Tasks held = other.streams().owned();
            held.active().forEach(task -> activeOwners.put(task, other.memberId()));
            if (Objects.equals(other.streams().processId(), streams.processId())) {
                heldOnInstance.addAll(held.all());
            }
        }
        Set<TaskId> active = new TreeSet<>(keep.active());
        Set<TaskId> standby = new TreeSet<>(keep.standby());
        Set<TaskId> warmup = new TreeSet<>(keep.warmup());
        Tasks target = streams.target();
        target.active().stream()
                .filter(task -> !activeOwners.containsKey(task) && !heldOnInstance.contains(task))
                .forEach(active::add);
        target.standby().stream().filter(task -> !heldOnInstance.contains(task)).forEach(standby::add);
        target.warmup().stream().filter(task -> !heldOnInstance.contains(task)).forEach(warmup::add);
        Tasks assigned = new Tasks(active, standby, warmup);
        int epoch = group.assignmentEpoch();
        int previous = epoch == member.memberEpoch() ? member.previousMemberEpoch() : member.memberEpoch();
        MemberState state = assigned.equals(target) ? MemberState.STABLE : MemberState.UNRELEASED_PARTITIONS;
        return member.withOwnership(epoch, previous, state, Set.of(), Set.of())
                .withStreams(streams.withOwnership(assigned, Tasks.NONE));
    }
}
