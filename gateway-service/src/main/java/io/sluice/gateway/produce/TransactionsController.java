package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.txn.TransactionDescription;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * HTTP transactions ({@link HttpTransactions}): begin, add a group's offsets, commit, abort, describe. Writes into a
 * transaction are {@link JsonProduceRoute}'s ({@code POST /v1/transactions/{transaction}/records}). Each call needs
 * WRITE on the transaction's transactional id (its describe DESCRIBE), as a Kafka producer's calls need, besides
 * WRITE on the topics written and READ on a group whose offsets it commits.
 */
@RestController
class TransactionsController {

    private final HttpTransactions transactions;
    private final Authorizer authorizer;
    private final GatewayProperties.Produce settings;

    TransactionsController(HttpTransactions transactions, Authorizer authorizer, GatewayProperties properties) {
        this.transactions = transactions;
        this.authorizer = authorizer;
        this.settings = properties.produce();
    }

    /** A begin: the transactional id (optional: a new one) and the timeout after which the coordinator aborts. */
    record Begin(String transactionalId, Integer timeoutMs) {
    }

    /** Offsets of a group the transaction commits for it when it commits. */
    record Offsets(String groupId, List<Offset> offsets) {
    }

    /** One partition's offset (the next record the group reads), with optional metadata. */
    record Offset(String topic, Integer partition, Long offset, String metadata) {
    }

    /**
     * A transactional id as the coordinator has it: its state says whether a transaction is open, committing,
     * committed, aborted; {@code startedAt} is when the open one began (null when none is), {@code updatedAt} its last
     * change (7 days after which, idle, the coordinator forgets it).
     */
    record Described(String transactionalId, long producerId, short producerEpoch, int timeoutMs, String state,
                     List<TopicPartition> partitions, List<String> groups, Instant startedAt, Instant updatedAt) {

        static Described of(TransactionDescription txn) {
            return new Described(txn.transactionalId(), txn.producerId(), txn.producerEpoch(), txn.timeoutMs(),
                    txn.state(), txn.partitions(), txn.groups(),
                    txn.startedAtMs() < 0 ? null : Instant.ofEpochMilli(txn.startedAtMs()),
                    Instant.ofEpochMilli(txn.updatedAtMs()));
        }
    }

    @PostMapping("/v1/transactions")
    Mono<ResponseEntity<HttpTransactions.Begun>> begin(@RequestBody(required = false) Begin request,
                                                       ServerWebExchange exchange) {
        return Mono.defer(() -> {
            Begin given = request == null ? new Begin(null, null) : request;
            if (given.transactionalId() != null && (given.transactionalId().isEmpty()
                    || given.transactionalId().length() > 249)) {
                throw ErrorCode.INVALID_REQUEST.exception("transactional_id must be 1 to 249 characters");
            }
            long timeoutMs = given.timeoutMs() == null ? settings.transactionTimeout().toMillis()
                    : given.timeoutMs();
            if (timeoutMs < 1) {
                throw ErrorCode.INVALID_REQUEST.exception("timeout_ms must be positive, was " + timeoutMs);
            }
            String transactionalId = given.transactionalId() != null ? given.transactionalId()
                    : transactions.newTransactionalId();
            authorizer.authorize(exchange, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId);
            return transactions.begin(transactionalId, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
        }).map(begun -> ResponseEntity.created(URI.create("/v1/transactions/" + begun.transaction())).body(begun));
    }

    @GetMapping("/v1/transactions/{transaction}")
    Mono<Described> describe(@PathVariable String transaction, ServerWebExchange exchange) {
        return Mono.defer(() -> transactions.describe(authorized(exchange, AclOperation.DESCRIBE, transaction)))
                .map(Described::of);
    }

    @PostMapping("/v1/transactions/{transaction}/offsets")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> offsets(@PathVariable String transaction, @RequestBody Offsets request, ServerWebExchange exchange) {
        return Mono.defer(() -> {
            TransactionToken txn = authorized(exchange, AclOperation.WRITE, transaction);
            if (request.groupId() == null) {
                throw ErrorCode.INVALID_REQUEST.exception("group_id is needed");
            }
            authorizer.authorize(exchange, AclOperation.READ, ResourceType.GROUP, request.groupId());
            List<PartitionOffset> offsets = request.offsets() == null ? null : request.offsets().stream()
                    .map(offset -> new PartitionOffset(offset.topic(), offset.partition(), offset.offset(), null,
                            offset.metadata()))
                    .toList();
            return transactions.commitOffsets(txn, request.groupId(), offsets);
        });
    }

    @PostMapping("/v1/transactions/{transaction}/commit")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> commit(@PathVariable String transaction, ServerWebExchange exchange) {
        return Mono.defer(() -> transactions.end(authorized(exchange, AclOperation.WRITE, transaction), true));
    }

    @PostMapping("/v1/transactions/{transaction}/abort")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> abort(@PathVariable String transaction, ServerWebExchange exchange) {
        return Mono.defer(() -> transactions.end(authorized(exchange, AclOperation.WRITE, transaction), false));
    }

    /** The transaction a token names, once the principal may perform {@code operation} on its transactional id. */
    private TransactionToken authorized(ServerWebExchange exchange, AclOperation operation, String transaction) {
        TransactionToken txn = TransactionToken.decode(transaction);
        authorizer.authorize(exchange, operation, ResourceType.TRANSACTIONAL_ID, txn.transactionalId());
        return txn;
    }
}
