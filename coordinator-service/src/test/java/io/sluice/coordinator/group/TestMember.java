package io.sluice.coordinator.group;

import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A group member as a gateway plays one: it joins, heartbeats with what it owns, and takes what each answer assigns.
 * A well-behaved member releases partitions asked back at once ({@link #poll()}); a slow one keeps them
 * ({@link #pollHolding()}) — what it owns is what it would be reading.
 */
final class TestMember {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final CoordinatorApi api;
    private final String group;
    private final String instanceId;
    private String id;
    private int epoch;
    private final SortedSet<TopicPartition> owned = new TreeSet<>();

    TestMember(CoordinatorApi api, String group, String instanceId) {
        this.api = api;
        this.group = group;
        this.instanceId = instanceId;
    }

    GroupHeartbeatResponse join(List<String> topics) {
        return join(topics, null);
    }

    GroupHeartbeatResponse join(List<String> topics, Integer sessionTimeoutMs) {
        return join(topics, sessionTimeoutMs, null);
    }

    GroupHeartbeatResponse join(List<String> topics, Integer sessionTimeoutMs, Integer rebalanceTimeoutMs) {
        owned.clear();
        return adopt(send(new GroupHeartbeatRequest(null, GroupHeartbeatRequest.JOIN, instanceId, rebalanceTimeoutMs,
                sessionTimeoutMs, topics, null, List.of(), null, null)), true);
    }

    /** Heartbeats, then releases what was asked back and takes what was given. */
    GroupHeartbeatResponse poll() {
        return adopt(send(GroupHeartbeatRequest.heartbeat(id, epoch, topicPartitions(owned))), true);
    }

    /** Heartbeats, then takes what was given but keeps reading what was asked back. */
    GroupHeartbeatResponse pollHolding() {
        return adopt(send(GroupHeartbeatRequest.heartbeat(id, epoch, topicPartitions(owned))), false);
    }

    GroupHeartbeatResponse leave() {
        GroupHeartbeatResponse answer = send(GroupHeartbeatRequest.leave(id));
        owned.clear();
        return answer;
    }

    GroupHeartbeatResponse leaveStatically() {
        GroupHeartbeatResponse answer = send(new GroupHeartbeatRequest(id, GroupHeartbeatRequest.STATIC_LEAVE,
                instanceId, null, null, null, null, null, null, null));
        owned.clear();
        return answer;
    }

    void commit(int atEpoch, TopicPartition tp, long offset) {
        commit(atEpoch, List.of(tp), offset);
    }

    /** One commit of {@code offset} for each of {@code partitions}. */
    void commit(int atEpoch, List<TopicPartition> partitions, long offset) {
        api.commitOffsets(group, new OffsetCommitRequest(id, atEpoch, partitions.stream()
                .map(tp -> PartitionOffset.of(tp.topic(), tp.partition(), offset)).toList())).block(WAIT);
    }

    private GroupHeartbeatResponse send(GroupHeartbeatRequest request) {
        return api.groupHeartbeat(group, request).block(WAIT);
    }

    private GroupHeartbeatResponse adopt(GroupHeartbeatResponse answer, boolean release) {
        id = answer.memberId();
        epoch = answer.memberEpoch();
        Set<TopicPartition> assigned = partitions(answer.assignment());
        if (release) {
            owned.retainAll(assigned);
        }
        owned.addAll(assigned);
        return answer;
    }

    String id() {
        return id;
    }

    int epoch() {
        return epoch;
    }

    SortedSet<TopicPartition> owned() {
        return new TreeSet<>(owned);
    }

    static Set<TopicPartition> partitions(List<TopicPartitions> list) {
        Set<TopicPartition> partitions = new TreeSet<>();
        list.forEach(entry -> entry.partitions().forEach(p -> partitions.add(new TopicPartition(entry.topic(), p))));
        return partitions;
    }

    static List<TopicPartitions> topicPartitions(Set<TopicPartition> partitions) {
        List<TopicPartitions> list = new ArrayList<>();
        partitions.stream().map(TopicPartition::topic).distinct().forEach(topic -> list.add(new TopicPartitions(topic,
                partitions.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).toList())));
        return list;
    }
}
