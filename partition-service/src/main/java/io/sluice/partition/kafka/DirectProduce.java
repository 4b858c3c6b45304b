package io.sluice.partition.kafka;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.ProduceChecks;
import io.sluice.partition.produce.ProduceService;
import io.sluice.protocol.Acks;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;
import reactor.core.publisher.Mono;

/**
 * Produce on the direct data path: each partition's batch, checked as the gateway checks it ({@link ProduceChecks}),
 * is appended by this node's {@link ProduceService} as a gateway's internal produce is — the leader's rules (leadership,
 * idempotence and sequence, KIP-890 verification of a transaction's first batch at a partition, sizes, acks) are the
 * ones every append follows. A partition this node does not lead is NOT_LEADER_OR_FOLLOWER, and the client refreshes
 * its metadata. A batch without a producer id is appended as the client wrote it, as Kafka does. A produce with
 * acks=0 gets no answer. The connection starts a produce's append only once the one before it is appended
 * ({@link #start}), so its requests keep their order in the log while their waits for acks overlap.
 *
 * <p>A transactional produce of version 12 or later (transaction version 2: the partitions join the transaction by
 * being produced to) is not handled here but forwarded ({@link #handles}): the gateway adds them at the coordinator
 * first.
 */
final class DirectProduce {

    private final ProduceService produce;
    private final Supplier<MetadataView> metadata;
    private final Duration maxTimeout;

    DirectProduce(ProduceService produce, Supplier<MetadataView> metadata, Duration maxTimeout) {
        this.produce = produce;
        this.metadata = metadata;
        this.maxTimeout = maxTimeout;
    }

    /** Whether this node answers {@code request} itself, rather than forwarding it to a gateway. */
    static boolean handles(KafkaRequest request) {
        ProduceRequestData data = ((ProduceRequest) request.body()).data();
        return data.transactionalId() == null || request.version() < 12;
    }

    /**
     * Appends the request's batches: completes once they are appended or refused, with the answer still to come
     * (empty for acks=0), which waits for each batch's acks ({@link ProduceService#append}).
     */
    Mono<Mono<ApiMessage>> start(KafkaRequest request, Access access) {
        ProduceRequestData data = ((ProduceRequest) request.body()).data();
        Acks acks = ProduceChecks.acks(data.acks());
        Duration timeout = ProduceChecks.timeout(data.timeoutMs(), maxTimeout);
        boolean byId = request.version() >= 13;
        boolean transactional = data.transactionalId() != null;
        boolean transactionDenied = transactional && acks != null
                && !access.transactionalId(request, AclOperation.WRITE, data.transactionalId());
        MetadataView view = metadata.get();
        List<TopicProduceResponse> topics = new ArrayList<>();
        // The answer of each appended entry, by its place in the request sent to the log.
        List<PartitionProduceResponse> pending = new ArrayList<>();
        List<PartitionBatches> entries = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            Optional<TopicMetadata> known = byId ? DirectFetch.byId(view, topic.topicId()) : view.topic(topic.name());
            TopicProduceResponse answer = byId ? new TopicProduceResponse().setTopicId(topic.topicId())
                    : new TopicProduceResponse().setName(topic.name());
            topics.add(answer);
            // As at the gateways: the request's acks, then WRITE on the transactional id, then on the topic (asked
            // once per topic, before whether it exists).
            Refusal refused = acks == null ? new Refusal(Errors.INVALID_REQUIRED_ACKS,
                    "acks must be 0, 1 or -1 (all), was " + data.acks())
                    : transactionDenied ? new Refusal(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                    "The principal may not WRITE the transactional id")
                    : !access.topic(request, AclOperation.WRITE, known.map(TopicMetadata::name)
                            .orElse(String.valueOf(topic.name()))) ? new Refusal(Errors.TOPIC_AUTHORIZATION_FAILED,
                    "The principal may not WRITE to the topic") : null;
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                int index = partition.index();
                PartitionProduceResponse result = new PartitionProduceResponse().setIndex(index).setBaseOffset(-1)
                        .setLogAppendTimeMs(-1).setLogStartOffset(-1);
                answer.partitionResponses().add(result);
                if (refused != null) {
                    failed(result, refused.error(), refused.message());
                    continue;
                }
                if (known.isEmpty() || index < 0 || index >= known.get().partitions().size()) {
                    failed(result, known.isEmpty() && byId ? Errors.UNKNOWN_TOPIC_ID
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic or partition does not exist");
                    continue;
                }
                ByteBuffer batch = partition.records() instanceof MemoryRecords records
                        ? records.buffer().duplicate() : ByteBuffer.allocate(0);
                ProduceChecks.Refusal refusal = ProduceChecks.check(batch, transactional);
                if (refusal != null) {
                    failed(result, refusal.error(), refusal.message());
                    continue;
                }
                entries.add(new PartitionBatches(new TopicPartition(known.get().name(), index),
                        PartitionBatches.ANY_EPOCH, batch));
                pending.add(result);
            }
        }
        ProduceResponseData response = new ProduceResponseData();
        topics.forEach(response.responses()::add);
        if (entries.isEmpty()) {
            return Mono.just(acks == Acks.NONE ? Mono.<ApiMessage>empty() : Mono.<ApiMessage>just(response));
        }
        return produce.append(entries, acks, timeout).map(answer -> acks == Acks.NONE
                ? answer.then(Mono.<ApiMessage>empty())
                : answer.<ApiMessage>map(outcome -> answered(response, pending, outcome)));
    }

    /** Why every partition of a topic is refused. */
    private record Refusal(Errors error, String message) {
    }

    private static ApiMessage answered(ProduceResponseData response, List<PartitionProduceResponse> pending,
                                       ProduceResponse outcome) {
        for (int i = 0; i < pending.size(); i++) {
            ProduceResponse.PartitionResult result = outcome.partitions().get(i);
            PartitionProduceResponse answer = pending.get(i);
            if (result.errorCode() != null) {
                failed(answer, KafkaErrors.of(result.errorCode()), result.message());
                result.recordErrors().forEach(error -> answer.recordErrors().add(new BatchIndexAndErrorMessage()
                        .setBatchIndex(error.index()).setBatchIndexErrorMessage(error.message())));
            } else {
                answer.setBaseOffset(orMinusOne(result.baseOffset()))
                        .setLogAppendTimeMs(orMinusOne(result.logAppendTime()))
                        .setLogStartOffset(orMinusOne(result.logStartOffset()));
            }
        }
        return response;
    }

    private static long orMinusOne(Long value) {
        return value == null ? -1 : value;
    }

    private static void failed(PartitionProduceResponse answer, Errors error, String message) {
        answer.setErrorCode(error.code()).setErrorMessage(message);
    }
}
