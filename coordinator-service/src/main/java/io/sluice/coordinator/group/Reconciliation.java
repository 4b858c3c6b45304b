package io.sluice.coordinator.group;

import io.sluice.internal.group.MemberState;
import io.sluice.protocol.TopicPartition;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one member moves toward its target assignment (KIP-848's current-assignment builder), one heartbeat at a time.
 *
 * <ol>
 *   <li>Partitions the member owns that are not in its target are asked back first: it keeps the rest, the asked-back
 *       ones are {@code pending_revocation}, its epoch stays, and it is {@link MemberState#UNREVOKED_PARTITIONS} until
 *       a heartbeat's owned partitions leave all of them out.</li>
 *   <li>With nothing left to give back, the member moves to the assignment epoch and takes the partitions of its
 *       target that no other member owns ({@link GroupMember#owned()}). Those still owned elsewhere wait
 *       ({@link MemberState#UNRELEASED_PARTITIONS}) until their owner releases them or leaves the group; a later
 *       heartbeat takes them.</li>
 * </ol>
 *
 * <p>So a partition changes owner only after its previous owner said it let go, or was removed: never two owners.
 */
final class Reconciliation {

    private Reconciliation() {
    }

    /**
     * @param owned what the member's heartbeat says it owns, or null when it did not say (unchanged)
     */
    static GroupMember reconcile(ConsumerGroup group, GroupMember member, Set<TopicPartition> owned) {
        Set<TopicPartition> pending = new TreeSet<>(member.pendingRevocation());
        if (owned != null && pending.stream().noneMatch(owned::contains)) {
            pending.clear();
        }
        Set<TopicPartition> keep = new TreeSet<>(member.assigned());
        keep.retainAll(member.target());
        Set<TopicPartition> revoke = new TreeSet<>(member.assigned());
        revoke.removeAll(member.target());
        revoke.addAll(pending);
        if (!revoke.isEmpty()) {
            return member.withOwnership(member.memberEpoch(), member.previousMemberEpoch(),
                    MemberState.UNREVOKED_PARTITIONS, keep, revoke);
        }
        Set<TopicPartition> ownedByOthers = new TreeSet<>();
        group.members().values().stream()
                .filter(other -> !other.memberId().equals(member.memberId()))
                .forEach(other -> ownedByOthers.addAll(other.owned()));
        Set<TopicPartition> assigned = new TreeSet<>(keep);
        member.target().stream().filter(tp -> !ownedByOthers.contains(tp)).forEach(assigned::add);
        int epoch = group.assignmentEpoch();
        int previous = epoch == member.memberEpoch() ? member.previousMemberEpoch() : member.memberEpoch();
        MemberState state = assigned.equals(member.target()) ? MemberState.STABLE : MemberState.UNRELEASED_PARTITIONS;
        return member.withOwnership(epoch, previous, state, assigned, Set.of());
    }
}
