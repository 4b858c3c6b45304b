package io.sluice.partition.kafka;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.OffsetLookups;
import io.sluice.partition.fetch.FetchService;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import reactor.core.publisher.Mono;

/**
 * ListOffsets and OffsetsForLeaderEpoch on the direct data path: a Kafka client asks them of the partition's leader,
 * and this node answers from its own logs, through the {@link FetchService} that answers the gateways' internal
 * lookups, by the rules every Kafka listener shares ({@link OffsetLookups}). A partition this node does not lead is
 * NOT_LEADER_OR_FOLLOWER, and the client refreshes its metadata.
 */
final class DirectOffsets {

    private final FetchService fetch;
    private final Supplier<MetadataView> metadata;

    DirectOffsets(FetchService fetch, Supplier<MetadataView> metadata) {
        this.fetch = fetch;
        this.metadata = metadata;
    }

    /** Whether this node answers requests of {@code api} itself. */
    static boolean handles(ApiKeys api) {
        return api == ApiKeys.LIST_OFFSETS || api == ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    /** The answer to {@code request}; a topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED. */
    Mono<ApiMessage> handle(KafkaRequest request, Access access) {
        if (request.apiKey() == ApiKeys.OFFSET_FOR_LEADER_EPOCH) {
            return OffsetLookups.epochEndOffsets(((OffsetsForLeaderEpochRequest) request.body()).data(),
                    topic -> access.topic(request, AclOperation.DESCRIBE, topic),
                    (tp, current, epoch) -> fetch.epochEndOffsets(new EpochEndOffsetsRequest(-1,
                                    List.of(new EpochEndOffsetsRequest.Partition(tp.topic(), tp.partition(),
                                            current, epoch))))
                            .map(answer -> answer.partitions().getFirst())
                            .map(end -> new OffsetLookups.EpochEnd(end.errorCode(), end.leaderEpoch(),
                                    end.endOffset())))
                    .map(ApiMessage.class::cast);
        }
        MetadataView view = metadata.get();
        return OffsetLookups.listOffsets(((org.apache.kafka.common.requests.ListOffsetsRequest) request.body()).data(),
                        topic -> access.topic(request, AclOperation.DESCRIBE, topic),
                        (topic, partition) -> view.partition(new TopicPartition(topic, partition))
                                .map(PartitionState::leaderEpoch).orElse(null),
                        (tp, timestamp, readCommitted) -> fetch.listOffsets(new ListOffsetsRequest(List.of(
                                        new ListOffsetsRequest.Partition(tp.topic(), tp.partition(), timestamp)),
                                        readCommitted))
                                .map(answer -> answer.partitions().getFirst())
                                .flatMap(found -> found.errorCode() != null
                                        ? Mono.error(new SluiceException(found.errorCode(), found.message()))
                                        : Mono.just(new OffsetLookups.Found(found.offset(), found.timestamp()))))
                .map(ApiMessage.class::cast);
    }
}
