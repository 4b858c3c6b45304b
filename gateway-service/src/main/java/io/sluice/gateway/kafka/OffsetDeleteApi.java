package io.sluice.gateway.kafka;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.classic.ClassicGroupApi;
import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
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
 *   <li>a topic the group's members subscribe to keeps its offsets: GROUP_SUBSCRIBED_TO_TOPIC on its partitions. For
 *       members of the consumer protocol (and HTTP members) the coordinator decides, with their subscriptions and
 *       patterns; for classic {@code consumer} members their subscription metadata says it, and metadata that does not
 *       parse counts as subscribed to every topic, as Kafka counts it.</li>
 * </ol>
 */
@Component
class OffsetDeleteApi implements KafkaApi {

    private static final String CONSUMER_PROTOCOL_TYPE = "consumer";

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
        return classic.describe(group).map(Optional::of)
                .onErrorResume(e -> KafkaErrors.exception(e) instanceof
                        org.apache.kafka.common.errors.GroupIdNotFoundException
                        ? Mono.just(Optional.empty()) : Mono.error(e))
                .flatMap(classicGroup -> classicGroup.isPresent()
                        ? deleteInClassic(group, classicGroup.get(), deletions)
                        : coordinator.describeGroup(group).then(delete(group, deletions, Set.of(), false)))
                .thenReturn((ApiMessage) response)
                .onErrorResume(e -> Mono.just(failed(Errors.forException(KafkaErrors.exception(e)))));
    }

    private Mono<Void> deleteInClassic(String group, ClassicGroupDescription description, List<Deletion> deletions) {
        if (description.members().isEmpty()) {
            return delete(group, deletions, Set.of(), true);
        }
        if (!CONSUMER_PROTOCOL_TYPE.equals(description.protocolType())) {
            return Mono.error(Errors.NON_EMPTY_GROUP.exception("Group " + group + " has members of protocol type '"
                    + description.protocolType() + "'"));
        }
        Optional<Set<String>> subscribed = subscribedTopics(description);
        return delete(group, deletions, subscribed.orElse(null), true);
    }

    /**
     * Deletes each topic's offsets unless {@code subscribed} (null: every topic) holds it; a topic the coordinator finds
     * subscribed is GROUP_SUBSCRIBED_TO_TOPIC. A classic group ({@code classicLive}) may have no stored group yet: there
     * is nothing to delete then.
     */
    private Mono<Void> delete(String group, List<Deletion> deletions, Set<String> subscribed, boolean classicLive) {
        return Flux.fromIterable(deletions).concatMap(deletion -> {
            if (subscribed == null || subscribed.contains(deletion.topic())) {
                answer(deletion, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                return Mono.empty();
            }
            return coordinator.deleteGroupOffsets(group, deletion.topic(), deletion.partitions())
                    .then(Mono.fromRunnable(() -> answer(deletion, Errors.NONE)))
                    .onErrorResume(e -> {
                        Errors error = Errors.forException(KafkaErrors.exception(e));
                        if (error == Errors.GROUP_ID_NOT_FOUND && !classicLive) {
                            return Mono.error(e);
                        }
                        answer(deletion, error == Errors.NON_EMPTY_GROUP ? Errors.GROUP_SUBSCRIBED_TO_TOPIC
                                : error == Errors.GROUP_ID_NOT_FOUND ? Errors.NONE : error);
                        return Mono.empty();
                    });
        }).then();
    }

    private static void answer(Deletion deletion, Errors error) {
        deletion.answers().forEach(result -> result.setErrorCode(error.code()));
    }

    /**
     * The topics a classic {@code consumer} group's members subscribe to, from their subscription metadata (Kafka's
     * ConsumerProtocolSubscription, a version then the fields); empty when a member's does not parse.
     */
    static Optional<Set<String>> subscribedTopics(ClassicGroupDescription group) {
        Set<String> topics = new HashSet<>();
        for (ClassicGroupDescription.Member member : group.members()) {
            try {
                ByteBuffer buffer = ByteBuffer.wrap(member.metadata());
                short version = buffer.getShort();
                if (version < ConsumerProtocolSubscription.LOWEST_SUPPORTED_VERSION) {
                    return Optional.empty();
                }
                topics.addAll(new ConsumerProtocolSubscription(new ByteBufferAccessor(buffer),
                        (short) Math.min(version, ConsumerProtocolSubscription.HIGHEST_SUPPORTED_VERSION)).topics());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.of(topics);
    }

    private static OffsetDeleteResponseData failed(Errors error) {
        return new OffsetDeleteResponseData().setErrorCode(error.code());
    }
}
