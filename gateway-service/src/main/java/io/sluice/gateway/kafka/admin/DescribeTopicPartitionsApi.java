package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.AuthorizedOperations;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBrokers;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import io.sluice.protocol.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DescribeTopicPartitions (KIP-966): topics' partitions a page at a time, which Kafka's Admin asks instead of Metadata
 * to describe topics ({@code kafka-topics --describe}), so that a topic of many partitions never needs one huge
 * answer. Partitions are described as {@link MetadataApi} describes them ({@link KafkaTopics.PartitionView}, at the
 * partition's real leader epoch; replicas and ISR are the partition services'); Sluice has no eligible leader replicas (Kafka's ELR), so those lists are empty.
 *
 * <p>Topics are answered in name order, the ones asked for or, when none is named, every topic the principal may
 * DESCRIBE. A page holds at most {@code response_partition_limit} partitions (and never more than
 * {@link #MAX_PARTITIONS}, Kafka's {@code max.request.partition.size.limit}); when partitions are left, the answer's
 * {@code next_cursor} names the first of them and the client asks again with it as its {@code cursor}. A cursor that
 * names a topic not asked for is INVALID_REQUEST, as at Kafka. A topic asked for that does not exist is
 * UNKNOWN_TOPIC_OR_PARTITION, one the principal may not DESCRIBE TOPIC_AUTHORIZATION_FAILED, a name that is no topic
 * name INVALID_TOPIC_EXCEPTION; each costs no room on the page. Each topic described carries the operations the
 * principal may perform on it ({@link AuthorizedOperations}; the request has no flag for them, and Kafka's Admin reads
 * them when its caller asked).
 */
@Component
class DescribeTopicPartitionsApi implements KafkaApi {

    /** The most partitions one answer holds, whatever the request asks (Kafka's default limit). */
    static final int MAX_PARTITIONS = 2000;

    private final ClusterView cluster;
    private final KafkaBrokers brokers;
    private final TopicAccess access;
    private final AuthorizedOperations operations;

    DescribeTopicPartitionsApi(ClusterView cluster, KafkaBrokers brokers, TopicAccess access,
                               AuthorizedOperations operations) {
        this.operations = operations;
        this.cluster = cluster;
        this.brokers = brokers;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_TOPIC_PARTITIONS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeTopicPartitionsRequestData data = ((DescribeTopicPartitionsRequest) request.body()).data();
        MetadataView view = cluster.current();
        TreeSet<String> names = new TreeSet<>();
        boolean all = data.topics().isEmpty();
        if (all) {
            view.metadata().topics().stream().map(TopicMetadata::name)
                    .filter(name -> access.describable(session, name)).forEach(names::add);
        } else {
            data.topics().forEach(topic -> names.add(topic.name()));
        }
        DescribeTopicPartitionsRequestData.Cursor cursor = data.cursor();
        if (cursor != null && (!all && !names.contains(cursor.topicName()) || cursor.partitionIndex() < 0)) {
            return Mono.error(Errors.INVALID_REQUEST.exception("The cursor names topic " + cursor.topicName()
                    + " partition " + cursor.partitionIndex() + ", which was not asked for"));
        }
        int room = Math.min(Math.max(data.responsePartitionLimit(), 1), MAX_PARTITIONS);
        List<BrokerEndpoint> live = brokers.live();
        Map<Integer, BrokerEndpoint> direct = brokers.directLeaders(view, live);
        DescribeTopicPartitionsResponseData answer = new DescribeTopicPartitionsResponseData();
        for (String name : cursor == null ? names : names.tailSet(cursor.topicName(), true)) {
            int first = cursor != null && name.equals(cursor.topicName()) ? cursor.partitionIndex() : 0;
            Optional<Errors> refusal = refusal(view, name, all, request, session);
            if (refusal.isPresent()) {
                answer.topics().add(new DescribeTopicPartitionsResponseTopic().setName(name)
                        .setTopicId(Uuid.ZERO_UUID).setErrorCode(refusal.get().code()));
                continue;
            }
            if (room == 0) {
                answer.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(first));
                break;
            }
            TopicMetadata topic = view.topic(name).orElseThrow();
            DescribeTopicPartitionsResponseTopic described = new DescribeTopicPartitionsResponseTopic().setName(name)
                    .setTopicId(TopicIds.of(topic.id())).setIsInternal(false)
                    .setTopicAuthorizedOperations(operations.of(true, session, ResourceType.TOPIC, name));
            int partition = first;
            for (; partition < topic.partitions().size() && room > 0; partition++, room--) {
                described.partitions().add(partition(view, name, topic.partition(partition), live,
                        direct));
            }
            answer.topics().add(described);
            if (partition < topic.partitions().size()) {
                answer.setNextCursor(new Cursor().setTopicName(name).setPartitionIndex(partition));
                break;
            }
        }
        return Mono.just(answer);
    }

    private Optional<Errors> refusal(MetadataView view, String name, boolean all, KafkaRequest request,
                                     KafkaSession session) {
        if (!TopicNames.isValid(name)) {
            return Optional.of(Errors.INVALID_TOPIC_EXCEPTION);
        }
        if (!all && !access.allowed(session, request, AclOperation.DESCRIBE, name)) {
            return Optional.of(Errors.TOPIC_AUTHORIZATION_FAILED);
        }
        return view.topic(name).isPresent() ? Optional.empty() : Optional.of(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    private static DescribeTopicPartitionsResponsePartition partition(MetadataView view, String topic,
                                                                      PartitionState state,
                                                                      List<BrokerEndpoint> live,
                                                                      Map<Integer, BrokerEndpoint> direct) {
        KafkaTopics.PartitionView seen = KafkaTopics.PartitionView.of(view, topic, state, live, direct);
        return new DescribeTopicPartitionsResponsePartition()
                .setPartitionIndex(state.partition())
                .setErrorCode(seen.error().code())
                .setLeaderId(seen.leaderId())
                .setLeaderEpoch(state.leaderEpoch())
                .setReplicaNodes(state.replicas())
                .setIsrNodes(state.isr())
                .setEligibleLeaderReplicas(new ArrayList<>())
                .setLastKnownElr(new ArrayList<>())
                .setOfflineReplicas(seen.offlineReplicas());
    }
}
