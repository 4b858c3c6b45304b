package io.sluice.gateway.kafka.share;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.share.admin.ShareGroupAdmin;
import io.sluice.gateway.share.admin.ShareGroupAdmin.StartOffset;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeShareGroupOffsetsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * DescribeShareGroupOffsets (KIP-932; the admin client's {@code listShareGroupOffsets}, {@code kafka-share-groups
 * --describe}): per share-partition its start offset and, from v1 (KIP-1226), its lag — the records from the start
 * offset to the high watermark not yet acknowledged or archived ({@link ShareGroupAdmin#startOffsets}). With no topics
 * named, every share-partition the group stores; with topics named, each named partition, -1 where the group has no
 * share-partition (as Kafka answers for a partition without share state, for a group that does not exist, and for a
 * consumer group's id: no error). The leader epoch is -1: Sluice keeps no leader epoch with a share-partition. A lag
 * the leader could not tell is -1.
 *
 * <p>Needs DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED for the whole group) and on each topic
 * (TOPIC_AUTHORIZATION_FAILED for its partitions).
 */
@Component
class DescribeShareGroupOffsetsApi implements KafkaApi {

    private final ShareGroupAdmin admin;
    private final ClusterView cluster;
    private final GroupAccess groupAccess;
    private final TopicAccess topicAccess;

    DescribeShareGroupOffsetsApi(ShareGroupAdmin admin, ClusterView cluster, GroupAccess groupAccess,
                                 TopicAccess topicAccess) {
        this.admin = admin;
        this.cluster = cluster;
        this.groupAccess = groupAccess;
        this.topicAccess = topicAccess;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeShareGroupOffsetsRequestData data = ((DescribeShareGroupOffsetsRequest) request.body()).data();
        return Flux.fromIterable(data.groups())
                .concatMap(group -> describe(group, request, session))
                .collectList()
                .map(groups -> new DescribeShareGroupOffsetsResponseData().setGroups(groups));
    }

    private Mono<DescribeShareGroupOffsetsResponseGroup> describe(DescribeShareGroupOffsetsRequestGroup group,
                                                                  KafkaRequest request, KafkaSession session) {
        DescribeShareGroupOffsetsResponseGroup answer = new DescribeShareGroupOffsetsResponseGroup()
                .setGroupId(group.groupId());
        if (!groupAccess.allowed(session, request, AclOperation.DESCRIBE, group.groupId())) {
            return Mono.just(answer.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.GROUP_AUTHORIZATION_FAILED.message()));
        }
        return admin.startOffsets(group.groupId())
                .onErrorResume(e -> e instanceof SluiceException s && s.errorCode() == ErrorCode.UNKNOWN_GROUP,
                        e -> Mono.just(List.of()))
                .map(stored -> answer.setTopics(topics(group, stored, request, session)))
                .onErrorResume(e -> {
                    var error = KafkaErrors.exception(e);
                    return Mono.just(answer.setErrorCode(Errors.forException(error).code())
                            .setErrorMessage(error.getMessage()));
                });
    }

    private List<DescribeShareGroupOffsetsResponseTopic> topics(DescribeShareGroupOffsetsRequestGroup group,
                                                               List<StartOffset> stored, KafkaRequest request,
                                                               KafkaSession session) {
        Map<TopicPartition, StartOffset> byPartition = new LinkedHashMap<>();
        stored.forEach(start -> byPartition.put(new TopicPartition(start.topic(), start.partition()), start));
        Map<String, List<Integer>> asked = new LinkedHashMap<>();
        if (group.topics() == null) {
            stored.forEach(start -> asked.computeIfAbsent(start.topic(), t -> new ArrayList<>()).add(start.partition()));
        } else {
            group.topics().forEach(topic -> asked.computeIfAbsent(topic.topicName(), t -> new ArrayList<>())
                    .addAll(topic.partitions()));
        }
        MetadataView view = cluster.current();
        List<DescribeShareGroupOffsetsResponseTopic> topics = new ArrayList<>();
        asked.forEach((topic, partitions) -> {
            Uuid topicId = view.topic(topic).map(known -> TopicIds.of(known.id())).orElse(Uuid.ZERO_UUID);
            boolean allowed = topicAccess.allowed(session, request, AclOperation.DESCRIBE, topic);
            List<DescribeShareGroupOffsetsResponsePartition> answered = new ArrayList<>();
            for (int partition : partitions) {
                var answer = new DescribeShareGroupOffsetsResponsePartition().setPartitionIndex(partition)
                        .setLeaderEpoch(-1).setStartOffset(-1).setLag(-1);
                StartOffset start = byPartition.get(new TopicPartition(topic, partition));
                if (!allowed) {
                    answer.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
                } else if (start != null) {
                    answer.setStartOffset(start.startOffset()).setLag(start.lag() == null ? -1 : start.lag());
                }
                answered.add(answer);
            }
            topics.add(new DescribeShareGroupOffsetsResponseTopic().setTopicName(topic).setTopicId(topicId)
                    .setPartitions(answered));
        });
        return topics;
    }
}
