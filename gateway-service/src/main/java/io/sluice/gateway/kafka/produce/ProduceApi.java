package io.sluice.gateway.kafka.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.gateway.kafka.transactions.WhileCompleting;
import io.sluice.gateway.routing.BatchRouter;
import io.sluice.gateway.routing.PartitionOutcome;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.ProduceChecks;
import io.sluice.kafka.TopicIds;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Produce: each partition's record batch goes to the partition's leader as the client wrote it, through the
 * {@link BatchRouter} the HTTP API uses (coalesced per leader, re-routed after a leader change within the request's
 * timeout). A batch with a producer id (an idempotent producer's, with its sequence) is sent as such and may be sent
 * again after any retriable failure, since the leader answers a batch it already has with its first offsets; one
 * without is stamped by the gateway's producer session of the partition, as an HTTP produce is.
 *
 * <p>Checked here, before anything is sent, from the batch header alone ({@link ProduceChecks}): exactly one batch per
 * partition, magic 2, whole, no control batch, and transactional exactly when the request names a transactional id.
 * Under transaction version 1 the producer's AddPartitionsToTxn comes first; under version 2 (Produce
 * v12 and later, which Kafka's clients send only then) the partitions join the transaction here: the coordinator adds
 * them (once per producer epoch and connection, {@link ImplicitAdds}) before the batches are sent, and a partition it
 * refuses gets its error (CONCURRENT_TRANSACTIONS while the last transaction's markers are written, which the client
 * retries; PRODUCER_FENCED, INVALID_PRODUCER_EPOCH …; NOT_ENOUGH_REPLICAS, retried too, when no coordinator answered).
 * Either way the leader verifies a transaction's first batch at each partition with the coordinator (KIP-890 part 1),
 * and keeps the transaction open there until its marker. The leader checks the rest — CRC, sizes against
 * {@code max.message.bytes}, record layout — as for every append.
 * A topic the principal may not WRITE is TOPIC_AUTHORIZATION_FAILED; a request naming a transactional id the
 * principal may not WRITE is TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition, as Kafka answers. A produce
 * with acks=0 gets no response, as in Kafka; it is still sent before the connection's next request is read.
 */
@Component
class ProduceApi implements KafkaApi {

    private final ClusterView cluster;
    private final BatchRouter router;
    private final TopicAccess access;
    private final TransactionAccess transactionAccess;
    private final TransactionApi transactions;
    private final Duration maxTimeout;
    private final boolean transactionVersion2;
    private final Duration addRetryTime;

    ProduceApi(ClusterView cluster, BatchRouter router, TopicAccess access, TransactionAccess transactionAccess,
               TransactionApi transactions, GatewayProperties properties) {
        this.cluster = cluster;
        this.router = router;
        this.access = access;
        this.transactionAccess = transactionAccess;
        this.transactions = transactions;
        this.maxTimeout = properties.produce().maxTimeout();
        this.transactionVersion2 = properties.kafka().transactionVersion2();
        this.addRetryTime = properties.kafka().addPartitionsRetryTime();
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ProduceRequestData data = ((ProduceRequest) request.body()).data();
        Acks acks = ProduceChecks.acks(data.acks());
        Duration timeout = ProduceChecks.timeout(data.timeoutMs(), maxTimeout);
        boolean byId = request.version() >= 13;
        boolean transactionDenied = data.transactionalId() != null
                && !transactionAccess.allowed(session, request, AclOperation.WRITE, data.transactionalId());
        List<Mono<TopicProduceResponse>> topics = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            Optional<TopicMetadata> metadata = byId ? KafkaTopics.byId(cluster.current(), topic.topicId())
                    : cluster.current().topic(topic.name());
            TopicProduceResponse answer = new TopicProduceResponse();
            if (byId) {
                answer.setTopicId(topic.topicId());
            } else {
                answer.setName(topic.name());
            }
            if (acks == null) {
                topics.add(Mono.just(answer.setPartitionResponses(failAll(topic, Errors.INVALID_REQUIRED_ACKS,
                        "acks must be 0, 1 or -1 (all), was " + data.acks()))));
            } else if (transactionDenied) {
                topics.add(Mono.just(answer.setPartitionResponses(failAll(topic,
                        Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
                        "The principal may not WRITE the transactional id"))));
            } else if (!access.allowed(session, request, AclOperation.WRITE,
                    metadata.map(TopicMetadata::name).orElse(String.valueOf(topic.name())))) {
                topics.add(Mono.just(answer.setPartitionResponses(failAll(topic, Errors.TOPIC_AUTHORIZATION_FAILED,
                        "The principal may not WRITE to the topic"))));
            } else if (metadata.isEmpty()) {
                topics.add(Mono.just(answer.setPartitionResponses(failAll(topic, byId ? Errors.UNKNOWN_TOPIC_ID
                        : Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic does not exist"))));
            } else {
                String joinsImplicitly = transactionVersion2 && request.version() >= 12 ? data.transactionalId() : null;
                // Only a transactional produce under version 2 needs the connection's adds.
                ImplicitAdds implicitAdds = joinsImplicitly == null ? null
                        : session.state(ImplicitAdds.class, ImplicitAdds::new);
                topics.add(produce(metadata.get(), topic, acks, timeout, data.transactionalId() != null,
                        joinsImplicitly, implicitAdds).map(answer::setPartitionResponses));
            }
        }
        Mono<List<TopicProduceResponse>> answers = Flux.mergeSequential(topics).collectList();
        if (acks == Acks.NONE) {
            return answers.then(Mono.empty());
        }
        return answers.map(list -> {
            ProduceResponseData.TopicProduceResponseCollection responses =
                    new ProduceResponseData.TopicProduceResponseCollection();
            list.forEach(responses::add);
            return new ProduceResponseData().setResponses(responses);
        });
    }

    /**
     * @param joinsImplicitly the transactional id whose transaction the partitions join here (transaction version 2),
     *                        or null
     * @param added           the connection's implicit adds when {@code joinsImplicitly} is given, else null
     */
    private Mono<List<PartitionProduceResponse>> produce(TopicMetadata topic, ProduceRequestData.TopicProduceData data,
                                                         Acks acks, Duration timeout, boolean transactional,
                                                         String joinsImplicitly, ImplicitAdds added) {
        Map<Integer, PartitionProduceResponse> refused = new HashMap<>();
        Map<Integer, ByteBuffer> plain = new LinkedHashMap<>();
        Map<Integer, ByteBuffer> idempotent = new LinkedHashMap<>();
        for (ProduceRequestData.PartitionProduceData partition : data.partitionData()) {
            int index = partition.index();
            if (index < 0 || index >= topic.partitions().size()) {
                refused.put(index, failed(index, Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic.name()
                        + "' has " + topic.partitions().size() + " partitions"));
                continue;
            }
            ByteBuffer batch = partition.records() instanceof MemoryRecords records ? records.buffer().duplicate()
                    : ByteBuffer.allocate(0);
            ProduceChecks.Refusal problem = ProduceChecks.check(batch, transactional);
            if (problem != null) {
                refused.put(index, failed(index, problem.error(), problem.message()));
            } else if (RecordBatch.producerIdAt(batch) != RecordBatch.NO_PRODUCER_ID) {
                idempotent.put(index, batch);
            } else {
                plain.put(index, batch);
            }
        }
        Mono<Map<Integer, PartitionOutcome>> sentPlain = plain.isEmpty() ? Mono.just(Map.of())
                : router.send(topic.name(), plain, acks, timeout);
        Mono<Map<Integer, PartitionOutcome>> sentIdempotent = idempotent.isEmpty() ? Mono.just(Map.of())
                : joinsImplicitly == null ? router.sendIdempotent(topic.name(), idempotent, acks, timeout)
                : joinThenSend(joinsImplicitly, topic.name(), idempotent, acks, timeout, added);
        return Mono.zip(sentPlain, sentIdempotent).map(sent -> {
            List<PartitionProduceResponse> answers = new ArrayList<>();
            for (ProduceRequestData.PartitionProduceData partition : data.partitionData()) {
                int index = partition.index();
                PartitionOutcome outcome = sent.getT1().containsKey(index) ? sent.getT1().get(index)
                        : sent.getT2().get(index);
                answers.add(outcome == null ? refused.get(index) : answer(index, outcome));
            }
            return answers;
        });
    }

    /** Transaction version 2: the partitions join the transaction, then those the coordinator took are sent. */
    private Mono<Map<Integer, PartitionOutcome>> joinThenSend(String transactionalId, String topic,
                                                              Map<Integer, ByteBuffer> batches, Acks acks,
                                                              Duration timeout, ImplicitAdds added) {
        return join(transactionalId, topic, batches, added).flatMap(refusedByCoordinator -> {
            Map<Integer, ByteBuffer> joined = new LinkedHashMap<>(batches);
            joined.keySet().removeAll(refusedByCoordinator.keySet());
            Mono<Map<Integer, PartitionOutcome>> sent = joined.isEmpty() ? Mono.just(Map.of())
                    : router.sendIdempotent(topic, joined, acks, timeout);
            return sent.map(outcomes -> {
                forgetRefused(joined, outcomes, added);
                Map<Integer, PartitionOutcome> all = new HashMap<>(outcomes);
                all.putAll(refusedByCoordinator);
                return all;
            });
        });
    }

    /**
     * Adds the partitions of {@code batches} to the transaction of {@code transactionalId} at the coordinator, for each
     * producer id and epoch the batches carry (one, from Kafka's clients), waiting for what this connection added or
     * is adding at that epoch instead of adding it again ({@link ImplicitAdds}). The answer is the partitions refused, with why: the coordinator's error, or NOT_ENOUGH_REPLICAS
     * (which producers retry) when no coordinator answered.
     */
    private Mono<Map<Integer, PartitionOutcome>> join(String transactionalId, String topic,
                                                      Map<Integer, ByteBuffer> batches, ImplicitAdds added) {
        Map<ProducerAt, List<Integer>> byProducer = new LinkedHashMap<>();
        batches.forEach((index, batch) -> byProducer.computeIfAbsent(new ProducerAt(RecordBatch.producerIdAt(batch),
                RecordBatch.producerEpochAt(batch)), p -> new ArrayList<>()).add(index));
        return Flux.fromIterable(byProducer.entrySet()).concatMap(entry -> {
            ProducerAt producer = entry.getKey();
            List<TopicPartition> partitions = entry.getValue().stream()
                    .map(index -> new TopicPartition(topic, index)).toList();
            return added.join(producer.id(), producer.epoch(), partitions, missing -> WhileCompleting.retried(
                            () -> transactions.addPartitions(new TxnPartitionsRequest(transactionalId, producer.id(),
                                    producer.epoch(), missing)), addRetryTime))
                    .then(Mono.fromCallable(Map::<Integer, PartitionOutcome>of))
                    .onErrorResume(e -> {
                        PartitionOutcome refused = new PartitionOutcome(null, coordinatorRefusal(e, transactionalId));
                        Map<Integer, PartitionOutcome> all = new HashMap<>();
                        entry.getValue().forEach(index -> all.put(index, refused));
                        return Mono.just(all);
                    });
        }).reduceWith(HashMap<Integer, PartitionOutcome>::new, (all, some) -> {
            all.putAll(some);
            return all;
        }).map(Map::copyOf);
    }

    /**
     * A leader that refused a batch INVALID_TXN_STATE found its partition outside the producer's transaction: what
     * this connection remembers of that producer's adds is wrong (a client that writes Produce v12 but ends its
     * transactions under version 1, keeping its epoch), and is forgotten, so the producer's next attempt adds again.
     */
    private static void forgetRefused(Map<Integer, ByteBuffer> batches, Map<Integer, PartitionOutcome> outcomes,
                                      ImplicitAdds added) {
        outcomes.forEach((index, outcome) -> {
            if (outcome.error() != null && outcome.error().errorCode() == ErrorCode.INVALID_TXN_STATE) {
                added.forget(RecordBatch.producerIdAt(batches.get(index)));
            }
        });
    }

    private static SluiceException coordinatorRefusal(Throwable e, String transactionalId) {
        if (e instanceof SluiceException refused && !unreachable(refused.errorCode())) {
            return refused;
        }
        return ErrorCode.NOT_ENOUGH_REPLICAS.exception("The transaction coordinator did not add the partitions to the"
                + " transaction of " + transactionalId + " (" + e.getMessage() + "); nothing was written, retry");
    }

    private static boolean unreachable(ErrorCode code) {
        return code == ErrorCode.COORDINATOR_NOT_AVAILABLE || code == ErrorCode.NOT_ACTIVE_COORDINATOR
                || code == ErrorCode.FENCED_COORDINATOR || code == ErrorCode.REQUEST_TIMED_OUT;
    }

    private record ProducerAt(long id, short epoch) {
    }

    private static PartitionProduceResponse answer(int index, PartitionOutcome outcome) {
        if (outcome.error() != null) {
            PartitionProduceResponse failed = failed(index, KafkaErrors.of(outcome.error().errorCode()),
                    outcome.error().getMessage());
            outcome.recordErrors().forEach(error -> failed.recordErrors().add(new BatchIndexAndErrorMessage()
                    .setBatchIndex(error.index()).setBatchIndexErrorMessage(error.message())));
            return failed;
        }
        var result = outcome.result();
        return new PartitionProduceResponse().setIndex(index)
                .setBaseOffset(result.baseOffset() == null ? -1 : result.baseOffset())
                .setLogAppendTimeMs(result.logAppendTime() == null ? -1 : result.logAppendTime())
                .setLogStartOffset(result.logStartOffset() == null ? -1 : result.logStartOffset());
    }

    private static List<PartitionProduceResponse> failAll(ProduceRequestData.TopicProduceData topic, Errors error,
                                                          String message) {
        return topic.partitionData().stream().map(p -> failed(p.index(), error, message)).toList();
    }

    private static PartitionProduceResponse failed(int index, Errors error, String message) {
        return new PartitionProduceResponse().setIndex(index).setErrorCode(error.code()).setErrorMessage(message)
                .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
    }
}
