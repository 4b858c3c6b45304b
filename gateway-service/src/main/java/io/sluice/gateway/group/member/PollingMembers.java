package io.sluice.gateway.group.member;

import io.sluice.gateway.consume.ConsumedRecord;
import io.sluice.gateway.consume.PartitionRecords;
import io.sluice.gateway.consume.ReadResult;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.group.admin.GroupActivity;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Polling group members, for clients that cannot hold a connection: join, poll, commit, leave. The gateway keeps
 * nothing between calls: the member's id, epoch, settings and positions travel in its {@link MemberCursor}, which
 * every answer carries and the next call passes back, so any gateway answers any call of the member.
 *
 * <p>A poll is a heartbeat with the partitions the cursor names. Then, with automatic commits, the cursor's positions
 * are committed — the records of a poll's answer are committed by the member's next poll (or its leave), as Kafka's
 * consumer commits on poll. Partitions the coordinator asks back are committed and released in the same call (a
 * commit that cannot reach the coordinator fails the poll and releases nothing: the same cursor tries again); new
 * ones start at their committed offsets, or where {@code auto_offset_reset} resolves, committed before they are read
 * ({@link Membership#starts}). Then records of the owned partitions are read, waiting up to {@code wait_ms}
 * when there are none.
 *
 * <p>A poll repeated with the same cursor (its answer was lost) is a heartbeat at the previous epoch with the same
 * partitions, which the coordinator accepts, and reads the same records again.
 */
@Service
class PollingMembers {

    private final Membership membership;
    private final PartitionRecords records;
    private final GroupActivity activity;

    PollingMembers(Membership membership, PartitionRecords records, GroupActivity activity) {
        this.membership = membership;
        this.records = records;
        this.activity = activity;
    }

    /**
     * Joins; the answer's cursor starts each assigned partition at its committed offset (or the reset). A static
     * member ({@code groupInstanceId}) carries its instance id in its cursor, so that its leave keeps its partitions.
     */
    Mono<MemberView> join(String group, String memberId, String groupInstanceId, Subscription subscription,
                          boolean autoCommit, OffsetReset reset, boolean readCommitted) {
        String id = memberId != null ? memberId : UUID.randomUUID().toString();
        return membership.join(group, id, groupInstanceId, subscription).flatMap(answer ->
                membership.starts(group, id, answer.memberEpoch(), Membership.partitions(answer.assignment()), reset,
                                readCommitted)
                        .map(starts -> MemberView.of(answer, MemberCursor.of(id, groupInstanceId,
                                answer.memberEpoch(), autoCommit, reset, readCommitted, starts), List.of())));
    }

    Mono<MemberView> poll(String group, String memberId, MemberCursor cursor, long waitMs, int maxRecords,
                          int maxBytes, Formats formats) {
        return reconcile(group, memberId, cursor).flatMap(member -> {
            Map<TopicPartition, Long> positions = member.cursor().positions();
            if (positions.isEmpty()) {
                // Nothing assigned (yet): wait as asked, within one heartbeat interval, so that a loop does not spin.
                long wait = Math.min(waitMs, member.answer().heartbeatIntervalMs());
                return Mono.delay(Duration.ofMillis(wait)).thenReturn(MemberView.of(member.answer(), member.cursor(),
                        List.of()));
            }
            return read(positions, waitMs, maxRecords, maxBytes, member.cursor().readCommitted(), formats)
                    .map(read -> MemberView.of(member.answer(),
                            member.cursor().with(member.answer().memberEpoch(), read.positions()), read.records()));
        });
    }

    /**
     * Commits the cursor's positions (with automatic commits) and leaves. A static member (its cursor names its
     * instance id; without a cursor, the coordinator's description of the member does) keeps its partitions until its
     * session times out.
     */
    Mono<Void> leave(String group, String memberId, MemberCursor cursor) {
        activity.served(group);
        if (cursor == null) {
            return membership.instanceIdOf(group, memberId)
                    .flatMap(instanceId -> membership.leave(group, memberId, instanceId.orElse(null)));
        }
        return reconcile(group, memberId, cursor).then(membership.leave(group, memberId, cursor.groupInstanceId()));
    }

    /**
     * The heartbeat of a poll: releases what was asked back (committing it first), commits the rest of the cursor
     * when it commits automatically, and starts what was added. Answers the member with its positions now.
     */
    private Mono<Member> reconcile(String group, String memberId, MemberCursor cursor) {
        if (!cursor.memberId().equals(memberId)) {
            throw ErrorCode.INVALID_REQUEST.exception("The cursor is member " + cursor.memberId() + "'s, not "
                    + memberId + "'s");
        }
        Map<TopicPartition, Long> owned = cursor.positions();
        return membership.heartbeat(group, memberId, cursor.memberEpoch(), owned, cursor.autoCommit(), revoked -> {
                    Map<TopicPartition, Long> released = new TreeMap<>(owned);
                    released.keySet().retainAll(revoked);
                    return released;
                })
                .flatMap(beat -> {
                    GroupHeartbeatResponse answer = beat.answer();
                    Map<TopicPartition, Long> kept = new TreeMap<>(owned);
                    kept.keySet().removeAll(beat.revoked());
                    Set<TopicPartition> added = new TreeSet<>(Membership.partitions(answer.assignment()));
                    added.removeAll(kept.keySet());
                    if (!added.isEmpty() || !beat.revoked().isEmpty()) {
                        activity.rebalanced(group);
                    }
                    Mono<Void> commit = cursor.autoCommit()
                            ? membership.commit(group, memberId, answer.memberEpoch(), kept) : Mono.empty();
                    return commit.then(membership.starts(group, memberId, answer.memberEpoch(), added,
                            cursor.offsetReset(), cursor.readCommitted())).map(starts -> {
                        Map<TopicPartition, Long> positions = new TreeMap<>(kept);
                        positions.putAll(starts);
                        return new Member(answer, cursor.with(answer.memberEpoch(), positions));
                    });
                });
    }

    /**
     * Up to {@code maxRecords} records from {@code positions}, taken from the partitions in turn so that a busy one
     * does not crowd out the others; when none has a record, waits up to {@code waitMs} for the first that has.
     */
    private Mono<Read> read(Map<TopicPartition, Long> positions, long waitMs, int maxRecords, int maxBytes,
                            boolean readCommitted, Formats formats) {
        Flux<Map.Entry<TopicPartition, ReadResult>> now = Flux.fromIterable(positions.entrySet())
                .flatMapSequential(entry -> records.read(entry.getKey(), entry.getValue(), maxRecords, maxBytes, 0,
                        readCommitted, formats).map(page -> Map.entry(entry.getKey(), page)));
        return now.collectList().flatMap(pages -> {
            if (waitMs == 0 || pages.stream().anyMatch(page -> !page.getValue().records().isEmpty())) {
                return Mono.just(merge(positions, pages, maxRecords));
            }
            return Flux.fromIterable(pages)
                    .flatMap(page -> records.read(page.getKey(), page.getValue().nextOffset(), maxRecords, maxBytes,
                            waitMs, readCommitted, formats).map(found -> Map.entry(page.getKey(), found)))
                    .filter(found -> !found.getValue().records().isEmpty())
                    .next()
                    .map(found -> merge(positions, List.of(found), maxRecords))
                    .defaultIfEmpty(merge(positions, pages, maxRecords));
        });
    }

    private static Read merge(Map<TopicPartition, Long> positions, List<Map.Entry<TopicPartition, ReadResult>> pages,
                              int maxRecords) {
        Map<TopicPartition, Long> next = new TreeMap<>(positions);
        pages.forEach(page -> {
            if (page.getValue().records().isEmpty()) {
                // Retention may have moved an empty read's start up to the log start.
                next.put(page.getKey(), page.getValue().nextOffset());
            }
        });
        List<ConsumedRecord> taken = new ArrayList<>();
        Map<TopicPartition, Integer> takenFrom = new TreeMap<>();
        for (int i = 0; taken.size() < maxRecords; i++) {
            boolean any = false;
            for (Map.Entry<TopicPartition, ReadResult> page : pages) {
                List<ConsumedRecord> records = page.getValue().records();
                if (i < records.size() && taken.size() < maxRecords) {
                    taken.add(records.get(i));
                    next.put(page.getKey(), records.get(i).offset() + 1);
                    takenFrom.merge(page.getKey(), 1, Integer::sum);
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        for (Map.Entry<TopicPartition, ReadResult> page : pages) {
            if (!page.getValue().records().isEmpty()
                    && takenFrom.getOrDefault(page.getKey(), 0) == page.getValue().records().size()) {
                // The whole page was handed out: continue where it ends, past a compacted batch's removed tail.
                next.put(page.getKey(), page.getValue().nextOffset());
            }
        }
        return new Read(taken, next);
    }

    private record Member(GroupHeartbeatResponse answer, MemberCursor cursor) {
    }

    private record Read(List<ConsumedRecord> records, Map<TopicPartition, Long> positions) {
    }
}
