package io.sluice.gateway.group.member;

import io.sluice.gateway.consume.ConsumedRecord;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.TopicPartitions;
import java.util.List;

/**
 * A polling member's answer to a join or a poll: who it is now (id, epoch), how soon to call again at the latest
 * ({@code heartbeat_interval_ms}), what it owns, the records read (none for a join) and the cursor to pass to its next
 * call.
 */
record MemberView(String memberId, int memberEpoch, long heartbeatIntervalMs, List<TopicPartitions> assignment,
                  List<ConsumedRecord> records, String cursor) {

    static MemberView of(GroupHeartbeatResponse answer, MemberCursor cursor, List<ConsumedRecord> records) {
        return new MemberView(answer.memberId(), answer.memberEpoch(), answer.heartbeatIntervalMs(),
                answer.assignment(), records, cursor.encode());
    }
}
