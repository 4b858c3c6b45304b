package io.sluice.gateway.kafka.share;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.GroupAccess;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.protocol.TopicPartition;
import java.util.Optional;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ShareAcknowledgeRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * ShareAcknowledge (KIP-932): a share consumer's acknowledgements without a fetch ({@link ShareAckBatches}), in its
 * open share session ({@link ShareSessions}; epoch -1 closes it after the acknowledgements, and what the member still
 * holds in its partitions is released: {@link ShareSessionReleases}). Each partition's answer
 * carries its error: INVALID_RECORD_STATE for records the member did not hold under a live lock. Needs READ on the
 * group and on each topic, as ShareFetch does.
 */
@Component
class ShareAcknowledgeApi implements KafkaApi {

    private final ClusterView cluster;
    private final ShareAckBatches acks;
    private final GroupAccess groupAccess;
    private final TopicAccess topicAccess;
    private final ShareSessionReleases releases;

    ShareAcknowledgeApi(ClusterView cluster, ShareAckBatches acks, GroupAccess groupAccess, TopicAccess topicAccess,
                        ShareSessionReleases releases) {
        this.releases = releases;
        this.cluster = cluster;
        this.acks = acks;
        this.groupAccess = groupAccess;
        this.topicAccess = topicAccess;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.SHARE_ACKNOWLEDGE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ShareAcknowledgeRequestData data = ((ShareAcknowledgeRequest) request.body()).data();
        String group = data.groupId();
        String member = data.memberId();
        if (group == null || group.isBlank() || member == null || member.isBlank()) {
            return Mono.just(failed(Errors.INVALID_REQUEST, "A share acknowledge names its group and member"));
        }
        if (!groupAccess.allowed(session, request, AclOperation.READ, group)) {
            return Mono.just(failed(Errors.GROUP_AUTHORIZATION_FAILED, "The principal may not READ the group"));
        }
        ShareSessions.Opened opened = releases.sessions(session).acknowledge(group, member, data.shareSessionEpoch());
        if (opened.error() != Errors.NONE) {
            return Mono.just(failed(opened.error(), "Share session epoch " + data.shareSessionEpoch()
                    + " does not fit this connection's share session of member " + member));
        }
        MetadataView view = cluster.current();
        ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData();
        return Flux.fromIterable(data.topics())
                .concatMap(topic -> {
                    var answer = new ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse()
                            .setTopicId(topic.topicId());
                    response.responses().add(answer);
                    Optional<TopicMetadata> known = KafkaTopics.byId(view, topic.topicId());
                    return Flux.fromIterable(topic.partitions()).concatMap(partition -> {
                        var result = new ShareAcknowledgeResponseData.PartitionData()
                                .setPartitionIndex(partition.partitionIndex());
                        answer.partitions().add(result);
                        Errors error = known.isEmpty() ? Errors.UNKNOWN_TOPIC_ID
                                : partition.partitionIndex() < 0
                                || partition.partitionIndex() >= known.get().partitions().size()
                                ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                                : !topicAccess.allowed(session, request, AclOperation.READ, known.get().name())
                                ? Errors.TOPIC_AUTHORIZATION_FAILED : Errors.NONE;
                        if (error != Errors.NONE) {
                            result.setErrorCode(error.code()).setErrorMessage(error.message());
                            return Mono.empty();
                        }
                        TopicPartition tp = new TopicPartition(known.get().name(), partition.partitionIndex());
                        return acks.apply(group, member, tp, partition.acknowledgementBatches().stream()
                                        .map(b -> new ShareAckBatches.Batch(b.firstOffset(), b.lastOffset(),
                                                b.acknowledgeTypes())).toList())
                                .onErrorResume(e -> Mono.just(new ShareAckBatches.Outcome(
                                        Errors.forException(KafkaErrors.exception(e)), e.getMessage())))
                                .doOnNext(outcome -> result.setErrorCode(outcome.error().code())
                                        .setErrorMessage(outcome.message()))
                                .then();
                    });
                })
                .then(opened.closed().isEmpty() ? Mono.empty() : releases.release(group, member, opened.closed()))
                .then(Mono.fromSupplier(() -> response.setAcquisitionLockTimeoutMs(ShareFetchApi.DEFAULT_LOCK_MS)));
    }

    private static ShareAcknowledgeResponseData failed(Errors error, String message) {
        return new ShareAcknowledgeResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
