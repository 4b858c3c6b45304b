package io.sluice.coordinator.group;

import io.sluice.internal.txn.TxnOffsetCommitRequest;
import io.sluice.protocol.ErrorCode;
import org.springframework.stereotype.Component;

/**
 * KIP-447's fence for offsets committed inside a transaction. A producer that commits a group's offsets with its
 * transaction names the member it reads as — its consumer's {@code groupMetadata()}: member id, generation (classic)
 * or member epoch (consumer and streams groups), instance id — and the commit is refused when the group no longer
 * has that member at that generation or epoch, so a zombie (a process paused past its session, whose partitions or
 * tasks another member now reads) cannot commit output and offsets for them: Kafka's producer aborts the transaction
 * on these errors. The check is made when the offsets join the transaction, as Kafka's coordinator makes it:
 * <ul>
 *   <li>no member named (member id empty, generation -1: Kafka's clients before KIP-447, an HTTP transaction): no
 *       check;</li>
 *   <li>a classic group with members: {@link ClassicGroups#checkTransactionalCommit};</li>
 *   <li>a consumer or streams group: UNKNOWN_MEMBER for a member it does not have, ILLEGAL_GENERATION for another
 *       epoch than the member's (or a static member away for a restart).</li>
 * </ul>
 */
@Component
public class TransactionalCommits {

    private final GroupManager groups;
    private final ClassicGroups classic;

    TransactionalCommits(GroupManager groups, ClassicGroups classic) {
        this.groups = groups;
        this.classic = classic;
    }

    /** Throws the refusal of {@code request}'s member, or returns when it may commit. */
    public void check(TxnOffsetCommitRequest request) {
        if (request.anonymous()) {
            return;
        }
        String groupId = request.groupId();
        String memberId = request.memberId() == null ? "" : request.memberId();
        int generation = request.generation() == null ? -1 : request.generation();
        if (classic.checkTransactionalCommit(groupId, memberId, generation, request.groupInstanceId())) {
            return;
        }
        if (!groups.isReady()) {
            throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
        }
        check(groups.group(groupId).orElse(null), groupId, memberId, generation);
    }

    /** The check of a consumer or streams group, as stored now (null when there is none). */
    static void check(ConsumerGroup group, String groupId, String memberId, int generation) {
        GroupMember member = group == null ? null : group.members().get(memberId);
        if (member == null) {
            throw ErrorCode.UNKNOWN_MEMBER.exception("Member " + memberId + " is not in group " + groupId
                    + ": its transaction may not commit the group's offsets");
        }
        if (member.leftStatic() || member.memberEpoch() != generation) {
            throw ErrorCode.ILLEGAL_GENERATION.exception("Member " + memberId + " of group " + groupId + " is at epoch "
                    + member.memberEpoch() + ", not " + generation + ": its transaction may not commit the group's "
                    + "offsets");
        }
    }
}
