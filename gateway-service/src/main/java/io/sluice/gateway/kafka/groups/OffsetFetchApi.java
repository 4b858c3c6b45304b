package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.group.CommittedOffset;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * OffsetFetch: groups' committed offsets from the coordinator, the ones HTTP members and the console see. A partition
 * without a committed offset is offset -1; a request without topics gets every committed offset the principal may
 * see. The group needs DESCRIBE (else GROUP_AUTHORIZATION_FAILED for the group), each topic DESCRIBE (else
 * TOPIC_AUTHORIZATION_FAILED for its partitions, and left out of an answer for all topics). Versions 8 and up ask for
 * several groups at once, 10 and up by topic id; older ones for one group, the answer's error at the top.
 *
 * <p>From version 7 a reader may ask for stable offsets ({@code require_stable}, KIP-447: Kafka's consumers do when
 * they read committed records, and so Streams under exactly-once): a partition whose offset an open transaction holds
 * for the group is answered UNSTABLE_OFFSET_COMMIT, offset -1, which the client retries until the transaction ends;
 * otherwise a consumer taking the partition over would start from the older offset and process the transaction's
 * input again.
 */
@Component
class OffsetFetchApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final ClusterView cluster;
    private final TopicAccess topics;
    private final GroupAccess groups;

    OffsetFetchApi(CoordinatorApi coordinator, ClusterView cluster, TopicAccess topics, GroupAccess groups) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.topics = topics;
        this.groups = groups;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.OFFSET_FETCH;
    }

    /** One topic asked for: by name or id (null when unknown), and the partitions asked (null: all committed). */
    private record Asked(String name, Uuid id, List<Integer> partitions) {
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        OffsetFetchRequestData data = ((OffsetFetchRequest) request.body()).data();
        boolean byId = request.version() >= 10;
        if (request.version() < 8) {
            List<Asked> asked = data.topics() == null ? null : data.topics().stream()
                    .map(topic -> new Asked(topic.name(), null, topic.partitionIndexes())).toList();
            return fetch(data.groupId(), asked, false, data.requireStable(), request, session).map(group -> {
                List<OffsetFetchResponseTopic> flat = group.topics().stream().map(topic ->
                        new OffsetFetchResponseTopic().setName(topic.name()).setPartitions(topic.partitions()
                                .stream().map(p -> new OffsetFetchResponsePartition()
                                        .setPartitionIndex(p.partitionIndex()).setCommittedOffset(p.committedOffset())
                                        .setCommittedLeaderEpoch(p.committedLeaderEpoch()).setMetadata(p.metadata())
                                        .setErrorCode(p.errorCode())).toList())).toList();
                return new OffsetFetchResponseData().setErrorCode(group.errorCode()).setTopics(flat);
            });
        }
        return Flux.fromIterable(data.groups())
                .concatMap(group -> fetch(group.groupId(), asked(group, byId), byId, data.requireStable(), request,
                        session))
                .collectList()
                .map(answered -> new OffsetFetchResponseData().setGroups(answered));
    }

    private static List<Asked> asked(OffsetFetchRequestGroup group, boolean byId) {
        if (group.topics() == null) {
            return null;
        }
        List<Asked> asked = new ArrayList<>();
        for (OffsetFetchRequestTopics topic : group.topics()) {
            asked.add(new Asked(byId ? null : topic.name(), byId ? topic.topicId() : null, topic.partitionIndexes()));
        }
        return asked;
    }

    private Mono<OffsetFetchResponseGroup> fetch(String group, List<Asked> asked, boolean byId, boolean requireStable,
                                                 KafkaRequest request, KafkaSession session) {
        OffsetFetchResponseGroup answer = new OffsetFetchResponseGroup().setGroupId(group);
        if (!groups.allowed(session, request, AclOperation.DESCRIBE, group)) {
            return Mono.just(answer.setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
        }
        return coordinator.committedOffsets(group)
                .map(stored -> answer.setTopics(topics(stored, asked, byId, requireStable, request, session)))
                .onErrorResume(e -> Mono.just(answer.setErrorCode(
                        Errors.forException(KafkaErrors.exception(e)).code())));
    }

    private List<OffsetFetchResponseTopics> topics(GroupOffsets stored, List<Asked> asked, boolean byId,
                                                   boolean requireStable, KafkaRequest request, KafkaSession session) {
        MetadataView view = cluster.current();
        Set<TopicPartition> pending = Set.copyOf(stored.pending());
        Map<TopicPartition, CommittedOffset> committed = new LinkedHashMap<>();
        stored.offsets().forEach(o -> committed.put(new TopicPartition(o.topic(), o.partition()), o));
        List<Asked> wanted = asked;
        if (wanted == null) {
            Map<String, List<Integer>> all = new LinkedHashMap<>();
            committed.keySet().stream().filter(tp -> topics.describable(session, tp.topic()))
                    .forEach(tp -> all.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
            wanted = all.entrySet().stream().map(e -> new Asked(e.getKey(),
                    view.topic(e.getKey()).map(t -> TopicIds.of(t.id())).orElse(Uuid.ZERO_UUID), e.getValue()))
                    .toList();
        }
        List<OffsetFetchResponseTopics> answers = new ArrayList<>();
        for (Asked topic : wanted) {
            Optional<String> name = topic.name() != null ? Optional.of(topic.name())
                    : KafkaTopics.byId(view, topic.id()).map(TopicMetadata::name);
            OffsetFetchResponseTopics answer = byId
                    ? new OffsetFetchResponseTopics().setTopicId(topic.id() != null ? topic.id()
                            : name.flatMap(view::topic).map(t -> TopicIds.of(t.id())).orElse(Uuid.ZERO_UUID))
                    : new OffsetFetchResponseTopics().setName(topic.name());
            Errors refusal = name.isEmpty() ? Errors.UNKNOWN_TOPIC_ID
                    : asked != null && !topics.allowed(session, request, AclOperation.DESCRIBE, name.get())
                    ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.NONE;
            for (int partition : topic.partitions()) {
                Errors error = refusal == Errors.NONE && requireStable
                        && pending.contains(new TopicPartition(name.get(), partition))
                        ? Errors.UNSTABLE_OFFSET_COMMIT : refusal;
                CommittedOffset offset = error == Errors.NONE
                        ? committed.get(new TopicPartition(name.get(), partition)) : null;
                answer.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition)
                        .setErrorCode(error.code())
                        .setCommittedOffset(offset == null ? -1 : offset.offset())
                        .setCommittedLeaderEpoch(offset == null || offset.leaderEpoch() == null ? -1
                                : offset.leaderEpoch())
                        .setMetadata(offset == null ? "" : offset.metadata() == null ? "" : offset.metadata()));
            }
            answers.add(answer);
        }
        return answers;
    }
}
