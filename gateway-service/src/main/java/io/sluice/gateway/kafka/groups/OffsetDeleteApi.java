package io.sluice.gateway.kafka.groups;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * OffsetDelete ({@code kafka-consumer-groups --delete-offsets}): some partitions' committed offsets deleted from the
 * coordinator's group, the offsets HTTP members and the admin UI see, with the rules of Kafka's broker and group
 * coordinator, in their order:
 * <ol>
 *   <li>the group needs DELETE, else the whole answer is GROUP_AUTHORIZATION_FAILED;</li>
 *   <li>each topic needs READ (TOPIC_AUTHORIZATION_FAILED on its partitions), and an unknown topic or partition is
 *       UNKNOWN_TOPIC_OR_PARTITION;</li>
 *   <li>a group that does not exist is GROUP_ID_NOT_FOUND, and a classic group with members of a protocol type other
 *       than {@code consumer} (Connect's, say), whose subscriptions nobody can read, is NON_EMPTY_GROUP, both for the
 *       whole answer;</li>
 *   <li>a topic the group's members subscribe to keeps its offsets: GROUP_SUBSCRIBED_TO_TOPIC on its partitions.</li>
 * </ol>
 * The last two are the coordinator's, decided with its group state in the command that deletes (so a member that
 * joined a moment before is seen), one rule for members of every protocol: KIP-848 and HTTP members by their
 * subscriptions and patterns, classic {@code consumer} members by the topics their JoinGroup metadata subscribes to
 * ({@link ConsumerSubscriptions}; metadata that does not parse counts as every topic, as Kafka counts it). The HTTP
 * API's offset delete gets the same answers from the same call.
 */
@Component
class OffsetDeleteApi implements KafkaApi {

    private final CoordinatorApi coordinator;
    private final ClassicGroupApi classic;
    private final ClusterView cluster;
    private final TopicAccess topics;
    private final GroupAccess groups;

    OffsetDeleteApi(CoordinatorApi coordinator, ClassicGroupApi classic, ClusterView cluster, TopicAccess topics,
                    GroupAccess groups) {
        this.coordinator = coordinator;
        this.classic = classic;
        this.cluster = cluster;
        this.topics = topics;
        this.groups = groups;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.OFFSET_DELETE;
    }

    /** A topic whose named partitions all exist and may be read: the ones to delete, answered once it is done. */
    private record Deletion(String topic, List<Integer> partitions, List<OffsetDeleteResponsePartition> answers) {
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        OffsetDeleteRequestData data = ((OffsetDeleteRequest) request.body()).data();
        String group = data.groupId();
        if (!groups.allowed(session, request, AclOperation.DELETE, group)) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED));
        }
        MetadataView view = cluster.current();
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        List<Deletion> deletions = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : data.topics()) {
            OffsetDeleteResponseTopic answer = new OffsetDeleteResponseTopic().setName(topic.name());
            response.topics().add(answer);
            Optional<TopicMetadata> known = view.topic(topic.name());
            Errors refusal = !topics.allowed(session, request, AclOperation.READ, topic.name())
                    ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : known.isEmpty() ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NONE;
            Deletion deletion = new Deletion(topic.name(), new ArrayList<>(), new ArrayList<>());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                int index = partition.partitionIndex();
                OffsetDeleteResponsePartition result = new OffsetDeleteResponsePartition().setPartitionIndex(index);
                answer.partitions().add(result);
                Errors error = refusal == Errors.NONE && (index < 0 || index >= known.get().partitions().size())
                        ? Errors.UNKNOWN_TOPIC_OR_PARTITION : refusal;
                if (error != Errors.NONE) {
                    result.setErrorCode(error.code());
                } else {
                    deletion.partitions().add(index);
                    deletion.answers().add(result);
                }
            }
            if (!deletion.partitions().isEmpty()) {
                deletions.add(deletion);
            }
        }
        Mono<Void> deleted = deletions.isEmpty() ? groupVerdict(group) : Flux.fromIterable(deletions)
                .concatMap(deletion -> delete(group, deletion)).then();
        return deleted.thenReturn((ApiMessage) response)
                .onErrorResume(e -> Mono.just(failed(Errors.forException(KafkaErrors.exception(e)))));
    }

    /**
     * Has the coordinator delete a topic's offsets, which it decides with its group state; its refusals for the whole
     * group (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP) end the request, any other is the topic's answer.
     */
    private Mono<Void> delete(String group, Deletion deletion) {
        return coordinator.deleteGroupOffsets(group, deletion.topic(), deletion.partitions())
                .then(Mono.fromRunnable(() -> answer(deletion, Errors.NONE)))
                .onErrorResume(e -> {
                    Errors error = Errors.forException(KafkaErrors.exception(e));
                    if (error == Errors.GROUP_ID_NOT_FOUND || error == Errors.NON_EMPTY_GROUP) {
                        return Mono.error(e);
                    }
                    answer(deletion, error);
                    return Mono.empty();
                }).then();
    }

    /**
     * With nothing to delete (every topic refused), the group's own answer still comes first, as at Kafka's
     * coordinator: GROUP_ID_NOT_FOUND for a group that does not exist, NON_EMPTY_GROUP for a classic group held by
     * members of another protocol type.
     */
    private Mono<Void> groupVerdict(String group) {
        return classic.describe(group).map(Optional::of)
                .onErrorResume(e -> KafkaErrors.exception(e) instanceof
                        org.apache.kafka.common.errors.GroupIdNotFoundException
                        ? Mono.just(Optional.empty()) : Mono.error(e))
                .flatMap(classicGroup -> classicGroup.isEmpty() ? coordinator.describeGroup(group).then()
                        : classicGroup.get().heldByAnotherProtocolType()
                        ? Mono.error(Errors.NON_EMPTY_GROUP.exception("Group " + group + " has members of protocol "
                                + "type '" + classicGroup.get().protocolType() + "'"))
                        : Mono.empty());
    }

    private static void answer(Deletion deletion, Errors error) {
        deletion.answers().forEach(result -> result.setErrorCode(error.code()));
    }

    private static OffsetDeleteResponseData failed(Errors error) {
        return new OffsetDeleteResponseData().setErrorCode(error.code());
    }
}
