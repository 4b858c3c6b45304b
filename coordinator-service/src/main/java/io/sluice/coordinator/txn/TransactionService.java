package io.sluice.coordinator.txn;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.group.OffsetChecks;
import io.sluice.coordinator.group.TransactionalCommits;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.txn.TransactionDescription;
import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnGroupRequest;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.internal.txn.TxnOffsetCommitRequest;
import io.sluice.internal.txn.TxnPartitionsRequest;
import io.sluice.internal.txn.TxnProducer;
import io.sluice.internal.txn.TxnSequences;
import io.sluice.internal.txn.TxnVerifyRequest;
import io.sluice.internal.txn.TxnVerifyResponse;
import io.sluice.internal.txn.TxnWriteConfirmation;
import io.sluice.internal.txn.TxnWriteRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The transaction coordinator's internal API: checks each request's shape and names (transactional id, group, topics
 * and partitions that exist), then hands it to the {@link TransactionManager}.
 */
@Service
class TransactionService {

    /** Kafka bounds a transactional id by what its internal topic's key may hold; Sluice by this. */
    static final int MAX_TRANSACTIONAL_ID_LENGTH = 249;

    private final TransactionManager manager;
    private final MetadataManager metadata;
    private final int maxMetadataLength;
    private final TransactionalCommits commits;

    TransactionService(TransactionManager manager, MetadataManager metadata, CoordinatorProperties properties,
                       TransactionalCommits commits) {
        this.manager = manager;
        this.commits = commits;
        this.metadata = metadata;
        this.maxMetadataLength = properties.groups().maxCommitMetadataLength();
    }

    Mono<TxnProducer> initProducerId(TxnInitRequest request) {
        return ready(request.transactionalId())
                .then(Mono.defer(() -> manager.initProducerId(request.transactionalId(), request.timeoutMs(),
                        request.producerId(), request.producerEpoch())))
                .map(answer -> new TxnProducer(answer.producerId(), answer.producerEpoch()));
    }

    Mono<Void> addPartitions(TxnPartitionsRequest request) {
        return ready(request.transactionalId()).then(Mono.defer(() -> {
            if (request.partitions() == null || request.partitions().isEmpty()) {
                throw ErrorCode.INVALID_REQUEST.exception("AddPartitionsToTxn needs at least one partition");
            }
            MetadataView view = metadata.view();
            request.partitions().forEach(tp -> checkExists(view, tp));
            return manager.addPartitions(request.transactionalId(), request.producerId(), request.producerEpoch(),
                    request.partitions());
        }));
    }

    Mono<TxnSequences> write(TxnWriteRequest request) {
        return ready(request.transactionalId()).then(Mono.defer(() -> {
            if (request.callId() == null || request.callId().isEmpty() || request.callId().length() > 64) {
                throw ErrorCode.INVALID_REQUEST.exception("A write needs a call id of 1 to 64 characters");
            }
            if (request.partitions() == null || request.partitions().isEmpty()) {
                throw ErrorCode.INVALID_REQUEST.exception("A write needs at least one partition");
            }
            MetadataView view = metadata.view();
            Map<TopicPartition, Integer> records = new LinkedHashMap<>();
            for (TxnWriteRequest.PartitionRecords given : request.partitions()) {
                TopicPartition tp = new TopicPartition(given.topic(), given.partition());
                checkExists(view, tp);
                if (records.put(tp, given.records()) != null) {
                    throw ErrorCode.INVALID_REQUEST.exception("Partition " + tp + " is named twice in one write");
                }
            }
            return manager.reserve(request.transactionalId(), request.producerId(), request.producerEpoch(),
                    request.callId(), records);
        })).map(first -> new TxnSequences(first.entrySet().stream().map(entry -> new TxnSequences.FirstSequence(
                entry.getKey().topic(), entry.getKey().partition(), entry.getValue())).toList()));
    }

    Mono<Void> confirmWrite(TxnWriteConfirmation request) {
        return ready(request.transactionalId()).then(Mono.defer(() -> manager.confirm(request.transactionalId(),
                request.producerId(), request.producerEpoch(), request.callId())));
    }

    Mono<Void> addOffsets(TxnGroupRequest request) {
        return ready(request.transactionalId()).then(Mono.defer(() -> {
            GroupIds.validate(request.groupId());
            return manager.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                    request.groupId());
        }));
    }

    Mono<Void> commitOffsets(TxnOffsetCommitRequest request) {
        return ready(request.transactionalId()).then(Mono.defer(() -> {
            GroupIds.validate(request.groupId());
            commits.check(request);
            // Checked as a group's own commit is, so that a commit of the transaction cannot store what that refuses.
            List<Transaction.PendingOffset> offsets = OffsetChecks.valid(request.offsets(), metadata.view(),
                    maxMetadataLength).stream().map(offset -> pending(request.groupId(), offset)).toList();
            return manager.commitOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                    request.groupId(), offsets, request.version() >= 2);
        }));
    }

    Mono<TxnProducer> endTxn(TxnEndRequest request) {
        return ready(request.transactionalId()).then(Mono.defer(() -> manager.endTxn(request.transactionalId(),
                        request.producerId(), request.producerEpoch(), request.commit(), request.version() >= 2)))
                .map(next -> new TxnProducer(next.producerId(), next.producerEpoch()));
    }

    Mono<TxnVerifyResponse> verify(TxnVerifyRequest request) {
        return serving().then(Mono.fromSupplier(() -> new TxnVerifyResponse(manager.verify(request.checks()))));
    }

    Mono<TransactionDescription> describe(String transactionalId) {
        return ready(transactionalId).then(Mono.fromSupplier(() -> manager.transaction(transactionalId)
                .map(TransactionService::description)
                .orElseThrow(() -> ErrorCode.TRANSACTIONAL_ID_NOT_FOUND.exception("No transactional id "
                        + transactionalId))));
    }

    Mono<List<TransactionDescription>> list() {
        return serving().then(Mono.fromSupplier(() -> manager.transactions().stream()
                .map(TransactionService::description).toList()));
    }

    static TransactionDescription description(Transaction txn) {
        return new TransactionDescription(txn.transactionalId(), txn.producerId(), txn.producerEpoch(),
                txn.timeoutMs(), txn.state().name(), txn.partitions(), txn.groups(), txn.startedAtMs(),
                txn.updatedAtMs());
    }

    private static void checkExists(MetadataView view, TopicPartition tp) {
        if (view.topic(tp.topic()).isEmpty()) {
            throw ErrorCode.UNKNOWN_TOPIC.exception("Topic " + tp.topic() + " does not exist");
        }
        if (view.partition(tp).isEmpty()) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Partition " + tp + " does not exist");
        }
    }

    private static Transaction.PendingOffset pending(String groupId, PartitionOffset offset) {
        return new Transaction.PendingOffset(groupId, offset.topic(), offset.partition(), offset.offset(),
                offset.leaderEpoch(), offset.metadata());
    }

    /** Fails for a missing or malformed transactional id, or when this coordinator does not serve transactions. */
    private Mono<Void> ready(String transactionalId) {
        return Mono.fromRunnable(() -> {
            if (transactionalId == null || transactionalId.isEmpty()
                    || transactionalId.length() > MAX_TRANSACTIONAL_ID_LENGTH) {
                throw ErrorCode.INVALID_REQUEST.exception("A transactional id has 1 to " + MAX_TRANSACTIONAL_ID_LENGTH
                        + " characters");
            }
        }).then(serving());
    }

    /** Fails when this coordinator does not serve transactions (a standby, or still loading). */
    private Mono<Void> serving() {
        return Mono.fromRunnable(() -> {
            if (!manager.isReady()) {
                throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
            }
        });
    }
}
