package io.sluice.gateway.group.member;

import io.sluice.gateway.format.CursorBytes;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a group member is, as the client carries it: the member's id and epoch, how it reads (automatic commits, where
 * a partition without a committed offset starts, its isolation level) and, for each partition it owns, the next offset
 * to deliver. It is the id of an SSE member's record events (the commit call takes it) and the token a polling member
 * passes from one call to the next — the gateway keeps none of this, so any gateway serves the member's next call.
 *
 * <p>Not a secret and not trusted: the coordinator checks the member and epoch on every call, and explicit commits
 * are checked against the logs. Encoding: base64url (no padding) of a version byte (1), a flags varint (bit 0
 * automatic commits, bit 1 offset reset earliest, bit 2 a static member, bit 3 read_committed), the member epoch, the
 * member id, the {@code group_instance_id} (only with bit 2) and then, per topic, its name, its entry count and
 * (partition, next offset) pairs; strings as a length and UTF-8, numbers as unsigned LEB128.
 *
 * @param groupInstanceId the static member's instance id, or null for a dynamic member
 */
record MemberCursor(String memberId, String groupInstanceId, int memberEpoch, boolean autoCommit,
                    OffsetReset offsetReset, boolean readCommitted, SortedMap<TopicPartition, Long> positions) {

    static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);
    private static final int VERSION = 1;
    private static final int AUTO_COMMIT = 1;
    private static final int EARLIEST = 2;
    private static final int STATIC = 4;
    private static final int READ_COMMITTED = 8;

    MemberCursor {
        SortedMap<TopicPartition, Long> copy = new TreeMap<>(ORDER);
        copy.putAll(positions);
        positions = Collections.unmodifiableSortedMap(copy);
    }

    static MemberCursor of(String memberId, String groupInstanceId, int memberEpoch, boolean autoCommit,
                           OffsetReset offsetReset, boolean readCommitted, Map<TopicPartition, Long> positions) {
        SortedMap<TopicPartition, Long> sorted = new TreeMap<>(ORDER);
        sorted.putAll(positions);
        return new MemberCursor(memberId, groupInstanceId, memberEpoch, autoCommit, offsetReset, readCommitted, sorted);
    }

    MemberCursor with(int epoch, Map<TopicPartition, Long> newPositions) {
        return of(memberId, groupInstanceId, epoch, autoCommit, offsetReset, readCommitted, newPositions);
    }

    String encode() {
        CursorBytes.Writer out = new CursorBytes.Writer(48 + positions.size() * 8)
                .varlong(VERSION)
                .varlong((autoCommit ? AUTO_COMMIT : 0) | (offsetReset == OffsetReset.EARLIEST ? EARLIEST : 0)
                        | (groupInstanceId != null ? STATIC : 0) | (readCommitted ? READ_COMMITTED : 0))
                .varlong(memberEpoch)
                .string(memberId);
        if (groupInstanceId != null) {
            out.string(groupInstanceId);
        }
        Map<String, List<Map.Entry<TopicPartition, Long>>> byTopic = new TreeMap<>();
        positions.entrySet().forEach(entry ->
                byTopic.computeIfAbsent(entry.getKey().topic(), topic -> new ArrayList<>()).add(entry));
        out.varlong(byTopic.size());
        byTopic.forEach((topic, entries) -> {
            out.string(topic).varlong(entries.size());
            entries.forEach(entry -> out.varlong(entry.getKey().partition()).varlong(entry.getValue()));
        });
        return out.text();
    }

    /** @throws io.sluice.protocol.SluiceException INVALID_REQUEST when {@code text} is not a member cursor */
    static MemberCursor decode(String text) {
        try {
            CursorBytes.Reader in = new CursorBytes.Reader(text);
            if (in.varlong() != VERSION) {
                throw new IllegalArgumentException("unknown version");
            }
            long flags = in.varlong();
            long epoch = in.varlong();
            String memberId = in.string();
            String instanceId = (flags & STATIC) != 0 ? in.string() : null;
            long topics = in.varlong();
            if (flags > 15 || epoch > Integer.MAX_VALUE || memberId.isEmpty() || "".equals(instanceId)
                    || topics > in.remaining()) {
                throw new IllegalArgumentException("bad header");
            }
            SortedMap<TopicPartition, Long> positions = new TreeMap<>(ORDER);
            for (long t = 0; t < topics; t++) {
                String topic = in.string();
                long entries = in.varlong();
                if (entries > in.remaining()) {
                    throw new IllegalArgumentException("bad count");
                }
                for (long i = 0; i < entries; i++) {
                    long partition = in.varlong();
                    long offset = in.varlong();
                    if (partition > Integer.MAX_VALUE || offset < 0) {
                        throw new IllegalArgumentException("bad entry");
                    }
                    positions.put(new TopicPartition(topic, (int) partition), offset);
                }
            }
            in.end();
            return new MemberCursor(memberId, instanceId, (int) epoch, (flags & AUTO_COMMIT) != 0,
                    (flags & EARLIEST) != 0 ? OffsetReset.EARLIEST : OffsetReset.LATEST, (flags & READ_COMMITTED) != 0,
                    positions);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Not a group member cursor: '" + text + "'");
        }
    }
}
