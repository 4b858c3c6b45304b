package io.sluice.gateway.produce;

import io.sluice.gateway.group.member.Commits;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TransactionDescription;
import io.sluice.internal.txn.TxnEndRequest;
import io.sluice.internal.txn.TxnGroupRequest;
import io.sluice.internal.txn.TxnInitRequest;
import io.sluice.internal.txn.TxnOffsetCommitRequest;
import io.sluice.internal.txn.TxnSequences;
import io.sluice.internal.txn.TxnWriteConfirmation;
import io.sluice.internal.txn.TxnWriteRequest;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * HTTP transactions ({@code /v1/transactions}): begin, write records into it (as many calls as needed), add a group's
 * offsets, then commit or abort — each call through any gateway. Nothing lives in a gateway's memory: the client
 * carries the {@link TransactionToken}; the coordinator holds the transaction, and hands out each partition's
 * sequences to every write ({@link TransactionApi#write}), so writes made through different gateways never reuse a
 * sequence (which a leader would take for a re-send of the first, and drop).
 *
 * <p>A write that does not report every record written (a partition that failed, a gateway that stopped mid-call)
 * stays pending at the coordinator, and the transaction can then only be aborted: a commit would otherwise make some
 * of that write's records visible and not others. A transaction open past its timeout is aborted by the coordinator.
 */
@Service
class HttpTransactions {

    /** Generated transactional ids begin with this, so that a listing tells them apart. */
    static final String GENERATED_PREFIX = "sluice-http-txn-";
    private static final Duration BEGIN_WAIT = Duration.ofSeconds(30);

    private final TransactionalWrites writes;
    private final TransactionApi transactions;
    private final Commits commits;

    HttpTransactions(TransactionalWrites writes, TransactionApi transactions, Commits commits) {
        this.writes = writes;
        this.transactions = transactions;
        this.commits = commits;
    }

    /** What a begin answers: the token every later call names, and what it stands for. */
    record Begun(String transaction, String transactionalId, long producerId, short producerEpoch, int timeoutMs) {
    }

    /** What a write answers: where each record landed, in request order (visible to read_committed at commit). */
    record WriteAnswer(List<TransactionalWrites.Written> results) {
    }

    /** A transactional id of its own for a transaction begun without one. */
    String newTransactionalId() {
        return GENERATED_PREFIX + UUID.randomUUID();
    }

    /**
     * Begins a transaction under transactional id {@code id}: the coordinator bumps the id's producer epoch, which
     * fences any earlier begin of it (its open transaction is aborted, its later calls refused).
     */
    Mono<Begun> begin(String id, int timeoutMs) {
        long deadline = System.nanoTime() + BEGIN_WAIT.toNanos();
        return AtomicProduce.retried(() -> transactions.initProducerId(new TxnInitRequest(id, timeoutMs, -1,
                        (short) -1)), deadline)
                .map(producer -> new Begun(new TransactionToken(id, producer.producerId(), producer.producerEpoch())
                        .encode(), id, producer.producerId(), producer.producerEpoch(), timeoutMs));
    }

    /** Writes {@code records} into the transaction; answered once every record is written (acks=all). */
    Mono<WriteAnswer> write(TransactionToken txn, List<TopicRecord> records, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String callId = UUID.randomUUID().toString();
        return writes.checked(records).flatMap(parts -> {
            List<TxnWriteRequest.PartitionRecords> counts = new ArrayList<>();
            parts.forEach(part -> part.counts().forEach((tp, count) ->
                    counts.add(new TxnWriteRequest.PartitionRecords(tp.topic(), tp.partition(), count))));
            return transactions.write(new TxnWriteRequest(txn.transactionalId(), txn.producerId(),
                            txn.producerEpoch(), callId, counts))
                    .flatMap(sequences -> writes.send(txn.producerId(), txn.producerEpoch(), first(sequences), parts,
                            AtomicProduce.left(deadline)))
                    .flatMap(outcome -> {
                        SluiceException failed = outcome.failure();
                        if (failed != null) {
                            return Mono.error(failed.errorCode().exception(failed.getMessage() + ". Transaction "
                                    + txn.transactionalId() + " can now only be aborted"));
                        }
                        return AtomicProduce.retried(() -> transactions.confirmWrite(new TxnWriteConfirmation(
                                        txn.transactionalId(), txn.producerId(), txn.producerEpoch(), callId)),
                                        deadline)
                                .thenReturn(new WriteAnswer(outcome.written(records.size())));
                    });
        });
    }

    /** Adds offsets of {@code group} to the transaction: committed for the group when (and only if) it commits. */
    Mono<Void> commitOffsets(TransactionToken txn, String group, List<PartitionOffset> offsets) {
        GroupIds.validate(group);
        if (offsets == null || offsets.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("offsets must name at least one partition's offset");
        }
        // Checked as a group's own commit is, before the group joins the transaction: refused, it changes nothing.
        return commits.checkInLogs(offsets)
                .then(transactions.addOffsets(new TxnGroupRequest(txn.transactionalId(), txn.producerId(),
                        txn.producerEpoch(), group)))
                .then(transactions.commitOffsets(new TxnOffsetCommitRequest(txn.transactionalId(), txn.producerId(),
                        txn.producerEpoch(), group, offsets)));
    }

    /**
     * Commits or aborts; answered once the coordinator has decided (the markers follow), asked again for
     * {@link AtomicProduce#END_WAIT} while the coordinator is still completing it (an earlier attempt of this call
     * decided it) or cannot answer. A transaction nothing was written into ends at once, as a Kafka producer's empty
     * transaction does.
     */
    Mono<Void> end(TransactionToken txn, boolean commit) {
        return AtomicProduce.retried(() -> transactions.endTxn(new TxnEndRequest(txn.transactionalId(),
                        txn.producerId(), txn.producerEpoch(), commit)).then(),
                        AtomicProduce.endDeadline(System.nanoTime()))
                .onErrorResume(e -> e instanceof SluiceException refused
                                && refused.errorCode() == ErrorCode.INVALID_TXN_STATE,
                        e -> transactions.describeTransaction(txn.transactionalId()).flatMap(now ->
                                now.state().equals("EMPTY") && now.producerId() == txn.producerId()
                                        && now.producerEpoch() == txn.producerEpoch() ? Mono.empty() : Mono.error(e)));
    }

    /** The transaction as the coordinator has it now (its state names whether it committed). */
    Mono<TransactionDescription> describe(TransactionToken txn) {
        return transactions.describeTransaction(txn.transactionalId());
    }

    private static Map<TopicPartition, Integer> first(TxnSequences sequences) {
        Map<TopicPartition, Integer> first = new LinkedHashMap<>();
        sequences.partitions().forEach(partition -> first.put(
                new TopicPartition(partition.topic(), partition.partition()), partition.baseSequence()));
        return first;
    }
}
