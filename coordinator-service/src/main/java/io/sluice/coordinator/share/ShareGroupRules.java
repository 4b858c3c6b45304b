package io.sluice.coordinator.share;

import io.sluice.internal.share.RecordState;
import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.internal.share.ShareOffsetsDeleteResponse;
import io.sluice.internal.share.SharePartitionDescription;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The administration of a whole share group, over its share-partitions as stored (by topic-partition): what a listing
 * and a description show, and what a reset, a delete and a topic's deletion change. Each rule is all or nothing: it
 * throws, having changed nothing the caller will store, or answers the share-partitions to store ({@link Change}).
 *
 * <p>"Acquired" means held under a lock that has not ended at {@code nowMs}: a lock past its deadline is over, as
 * {@link SharePartition#expire} says, so a group whose holders vanished can be reset or deleted once their locks ran
 * out, without waiting for another acquire to end them. No Spring, no clock; called from the share-group sequence.
 */
final class ShareGroupRules {

    private ShareGroupRules() {
    }

    /** The share-partitions to store after a rule: a null value removes the share-partition. */
    record Change<T>(Map<TopicPartition, SharePartition> writes, T result) {
    }

    static ShareGroupListing listing(String groupId, Map<TopicPartition, SharePartition> partitions, long nowMs) {
        long inFlight = 0;
        long acquired = 0;
        for (SharePartition partition : partitions.values()) {
            partition.expire(nowMs);
            inFlight += partition.inFlightRecords().size();
            acquired += partition.acquiredCount();
        }
        return new ShareGroupListing(groupId, partitions.size(), inFlight, acquired);
    }

    /**
     * Every share group, by id: the listings of the groups with share-partitions stored, and each group in
     * {@code withMembers} that has none yet (its share consumers joined but never fetched) with nothing in flight, as
     * Kafka lists a share group from its members.
     */
    static List<ShareGroupListing> withMemberGroups(List<ShareGroupListing> stored, List<String> withMembers) {
        Map<String, ShareGroupListing> all = new TreeMap<>();
        stored.forEach(listing -> all.put(listing.groupId(), listing));
        withMembers.forEach(groupId -> all.putIfAbsent(groupId, new ShareGroupListing(groupId, 0, 0, 0)));
        return List.copyOf(all.values());
    }

    /** UNKNOWN_GROUP when the group has no share-partition. */
    static ShareGroupDescription describe(String groupId, Map<TopicPartition, SharePartition> partitions, long nowMs) {
        requireKnown(groupId, partitions);
        Map<String, Long> holders = new TreeMap<>();
        List<SharePartitionDescription> described = new ArrayList<>();
        new TreeMap<>(partitions).forEach((tp, partition) -> {
            partition.expire(nowMs);
            int[] byState = new int[RecordState.values().length];
            TreeMap<Integer, Integer> byDeliveries = new TreeMap<>();
            for (InFlightRecord record : partition.inFlightRecords()) {
                byState[record.state().ordinal()]++;
                byDeliveries.merge(record.deliveryCount(), 1, Integer::sum);
                if (record.holder() != null) {
                    holders.merge(record.holder(), 1L, Long::sum);
                }
            }
            described.add(new SharePartitionDescription(tp.topic(), tp.partition(), partition.startOffset(),
                    partition.endOffset(), byState[RecordState.AVAILABLE.ordinal()],
                    byState[RecordState.ACQUIRED.ordinal()], byState[RecordState.ACKNOWLEDGED.ordinal()],
                    byState[RecordState.ARCHIVED.ordinal()], byDeliveries.isEmpty() ? 0 : byDeliveries.lastKey(),
                    byDeliveries.entrySet().stream()
                            .map(e -> new SharePartitionDescription.DeliveryCount(e.getKey(), e.getValue()))
                            .toList()));
        });
        return new ShareGroupDescription(groupId, holders.entrySet().stream()
                .map(e -> new ShareGroupDescription.LockHolder(e.getKey(), e.getValue())).toList(), described);
    }

    /**
     * Moves the named share-partitions' start offsets, creating those the group does not have. Refused as a whole:
     * INVALID_REQUEST for a malformed request (no partitions, a field missing, a share-partition named twice),
     * INVALID_OFFSET for an offset outside its log (bad input first), then NON_EMPTY_GROUP while any record of the
     * group is acquired. With
     * {@code dry_run} nothing is to be stored.
     */
    static Change<ShareResetResponse> reset(String groupId, Map<TopicPartition, SharePartition> partitions,
                                            ShareResetRequest request, ShareLimits limits, long nowMs) {
        if (request == null || request.partitions() == null || request.partitions().isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("A share group reset names at least one share-partition");
        }
        Set<TopicPartition> named = new HashSet<>();
        for (ShareResetRequest.PartitionStart start : request.partitions()) {
            if (start == null || start.topic() == null || start.partition() == null || start.offset() == null
                    || start.logStartOffset() == null || start.highWatermark() == null) {
                throw ErrorCode.INVALID_REQUEST.exception("Each share-partition of a reset has topic, partition,"
                        + " offset, log_start_offset and high_watermark: " + start);
            }
            TopicNames.validate(start.topic());
            if (start.partition() < 0 || !named.add(new TopicPartition(start.topic(), start.partition()))) {
                throw ErrorCode.INVALID_REQUEST.exception("Share-partition " + start.topic() + "-"
                        + start.partition() + " is not a partition, or is named twice");
            }
            // Checked on an empty share-partition first, so that bad input is refused as such in a busy group too.
            SharePartition.startingAt(0, limits).reset(ResetPosition.offset(start.offset()), start.logStartOffset(),
                    start.highWatermark());
        }
        requireNothingAcquired(groupId, partitions, nowMs, "its start offsets can be reset only when none is");
        Map<TopicPartition, SharePartition> writes = new LinkedHashMap<>();
        List<ShareResetResponse.StartChange> changes = new ArrayList<>();
        for (ShareResetRequest.PartitionStart start : request.partitions()) {
            TopicPartition tp = new TopicPartition(start.topic(), start.partition());
            SharePartition current = partitions.get(tp);
            SharePartition after = current != null ? SharePartitionJson.read(SharePartitionJson.write(current), limits)
                    : SharePartition.startingAt(0, limits);
            after.reset(ResetPosition.offset(start.offset()), start.logStartOffset(), start.highWatermark());
            writes.put(tp, after);
            changes.add(new ShareResetResponse.StartChange(tp.topic(), tp.partition(),
                    current == null ? null : current.startOffset(), after.startOffset()));
        }
        changes.sort((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        return new Change<>(request.dryRun() ? Map.of() : writes,
                new ShareResetResponse(groupId, request.dryRun(), changes));
    }

    /** Removes every share-partition; UNKNOWN_GROUP when there is none, NON_EMPTY_GROUP while a record is acquired. */
    static Change<Void> delete(String groupId, Map<TopicPartition, SharePartition> partitions, long nowMs) {
        requireKnown(groupId, partitions);
        requireNothingAcquired(groupId, partitions, nowMs, "the share group can be deleted only when none is");
        Map<TopicPartition, SharePartition> writes = new LinkedHashMap<>();
        partitions.keySet().forEach(tp -> writes.put(tp, null));
        return new Change<>(writes, null);
    }

    /**
     * Removes the group's share-partitions of {@code topics} (Kafka's DeleteShareGroupOffsets): INVALID_REQUEST for no
     * topic or a malformed name, UNKNOWN_GROUP when the group has no share-partition, NON_EMPTY_GROUP while a record of
     * those topics is acquired; a topic without share-partitions is no error. Answers the topics removed, sorted.
     */
    static Change<ShareOffsetsDeleteResponse> deleteTopics(String groupId,
                                                           Map<TopicPartition, SharePartition> partitions,
                                                           List<String> topics, long nowMs) {
        if (topics == null || topics.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("A share group offsets delete names at least one topic");
        }
        topics.forEach(TopicNames::validate);
        requireKnown(groupId, partitions);
        Map<TopicPartition, SharePartition> named = new TreeMap<>();
        partitions.forEach((tp, partition) -> {
            if (topics.contains(tp.topic())) {
                named.put(tp, partition);
            }
        });
        requireNothingAcquired(groupId, named, nowMs, "the start offsets of its topics can be deleted only when"
                + " none is");
        Map<TopicPartition, SharePartition> writes = new LinkedHashMap<>();
        named.keySet().forEach(tp -> writes.put(tp, null));
        return new Change<>(writes, new ShareOffsetsDeleteResponse(groupId, named.keySet().stream()
                .map(TopicPartition::topic).distinct().sorted().toList()));
    }

    /** Removes the share-partitions of a deleted topic, whatever their records' states: the records are gone. */
    static Change<Void> deleteTopic(Map<TopicPartition, SharePartition> partitions, String topic) {
        Map<TopicPartition, SharePartition> writes = new LinkedHashMap<>();
        partitions.keySet().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> writes.put(tp, null));
        return new Change<>(writes, null);
    }

    private static void requireKnown(String groupId, Map<TopicPartition, SharePartition> partitions) {
        if (partitions.isEmpty()) {
            throw ErrorCode.UNKNOWN_GROUP.exception("The share group '" + groupId + "' does not exist");
        }
    }

    private static void requireNothingAcquired(String groupId, Map<TopicPartition, SharePartition> partitions,
                                               long nowMs, String consequence) {
        long acquired = 0;
        for (SharePartition partition : partitions.values()) {
            partition.expire(nowMs);
            acquired += partition.acquiredCount();
        }
        if (acquired > 0) {
            throw ErrorCode.NON_EMPTY_GROUP.exception(acquired + " records of share group '" + groupId + "' are"
                    + " acquired under locks that have not ended: " + consequence);
        }
    }
}
