package io.sluice.gateway.group.member;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.consume.ReadLimits;
import io.sluice.gateway.format.Formats;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the member routes, read strictly (unknown fields are refused), and their checks. */
final class GroupRequests {

    private GroupRequests() {
    }

    /**
     * A {@code group_instance_id}: null (a dynamic member), or the group-id alphabet, so that it reads the same in
     * URLs, logs and metrics.
     */
    static String checkedInstanceId(String groupInstanceId) {
        if (groupInstanceId != null && !GroupIds.isValid(groupInstanceId)) {
            throw ErrorCode.INVALID_REQUEST.exception("group_instance_id is 1 to " + GroupIds.MAX_LENGTH
                    + " of [a-zA-Z0-9._-] (not '.' or '..'), was '" + groupInstanceId + "'");
        }
        return groupInstanceId;
    }

    /**
     * A polling member's join. {@code member_id} is optional: a client that chooses its own (a UUID) can repeat a join
     * whose answer it lost and stay one member. With {@code group_instance_id} the member is static.
     */
    record Join(String memberId, String groupInstanceId, List<String> topics, String topicPattern,
                String autoOffsetReset, Boolean autoCommit, Integer sessionTimeoutMs, String isolationLevel) {

        Subscription subscription() {
            return Subscription.of(topics, topicPattern, sessionTimeoutMs);
        }

        String checkedMemberId() {
            if (memberId != null && (memberId.isBlank() || memberId.length() > 200)) {
                throw ErrorCode.INVALID_REQUEST.exception("member_id must be 1 to 200 characters");
            }
            return memberId;
        }
    }

    /** A poll: the cursor of the member's last answer, and how much to read and wait. */
    record Poll(String cursor, Long waitMs, Integer maxRecords, Integer maxBytes, String format, String keyFormat,
                String valueFormat, String headerFormat) {

        /** How much to read and wait, within the bounds a page read has. */
        ReadLimits limits(GatewayProperties.Consume settings) {
            return ReadLimits.of(maxRecords, maxBytes, waitMs, settings);
        }

        Formats formats() {
            return Formats.of(format, keyFormat, valueFormat, headerFormat);
        }

        MemberCursor memberCursor() {
            if (cursor == null) {
                throw ErrorCode.INVALID_REQUEST.exception("A poll needs the cursor of the member's last answer");
            }
            return MemberCursor.decode(cursor);
        }
    }

    /**
     * A commit: a member's {@code cursor} (from an SSE event id or a poll answer), or explicit {@code offsets} with
     * the member's {@code member_id} and {@code member_epoch} — or with neither, for a group without members.
     */
    record Commit(String cursor, String memberId, Integer memberEpoch, List<Offset> offsets) {

        OffsetCommitRequest toInternal() {
            if (cursor != null) {
                if (offsets != null || memberId != null || memberEpoch != null) {
                    throw ErrorCode.INVALID_REQUEST.exception("Give a cursor, or offsets with member_id and "
                            + "member_epoch, not both");
                }
                MemberCursor member = MemberCursor.decode(cursor);
                return new OffsetCommitRequest(member.memberId(), member.memberEpoch(), member.positions().entrySet()
                        .stream().map(Commit::offset).toList());
            }
            if (offsets == null || offsets.isEmpty()) {
                throw ErrorCode.INVALID_REQUEST.exception("Give a cursor or offsets to commit");
            }
            if ((memberId == null) != (memberEpoch == null)) {
                throw ErrorCode.INVALID_REQUEST.exception("Give member_id and member_epoch together, or neither for a "
                        + "group without members");
            }
            offsets.forEach(Offset::check);
            return new OffsetCommitRequest(memberId == null ? "" : memberId, memberEpoch == null ? -1 : memberEpoch,
                    offsets.stream().map(o -> new PartitionOffset(o.topic(), o.partition(), o.offset(), null,
                            o.metadata())).toList());
        }

        private static PartitionOffset offset(Map.Entry<io.sluice.protocol.TopicPartition, Long> position) {
            return PartitionOffset.of(position.getKey().topic(), position.getKey().partition(), position.getValue());
        }

        /** The next offset to read in a partition, and optional metadata. */
        record Offset(String topic, Integer partition, Long offset, String metadata) {

            void check() {
                if (topic == null || partition == null || offset == null) {
                    throw ErrorCode.INVALID_REQUEST.exception("Each offset needs topic, partition and offset");
                }
                if (partition < 0) {
                    throw ErrorCode.INVALID_REQUEST.exception("partition must be >= 0, was " + partition);
                }
                if (offset < 0) {
                    throw ErrorCode.INVALID_OFFSET.exception("offset must be >= 0, was " + offset);
                }
            }
        }
    }
}
