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
 * transaction are {@link JsonProduceRoute}'s ({@code POST /v1/transactions/{transaction}/records}).
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

    /** A transaction as the coordinator has it: its state says whether it is open, committing, committed, aborted. */
    record Described(String transactionalId, long producerId, short producerEpoch, int timeoutMs, String state,
                     List<TopicPartition> partitions, List<String> groups) {

        static Described of(TransactionDescription txn) {
            return new Described(txn.transactionalId(), txn.producerId(), txn.producerEpoch(), txn.timeoutMs(),
                    txn.state(), txn.partitions(), txn.groups());
        }
    }

    @PostMapping("/v1/transactions")
    Mono<ResponseEntity<HttpTransactions.Begun>> begin(@RequestBody(required = false) Begin request) {
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
            return transactions.begin(given.transactionalId(), (int) Math.min(timeoutMs, Integer.MAX_VALUE));
        }).map(begun -> ResponseEntity.created(URI.create("/v1/transactions/" + begun.transaction())).body(begun));
    }

    @GetMapping("/v1/transactions/{transaction}")
    Mono<Described> describe(@PathVariable String transaction) {
        return Mono.defer(() -> transactions.describe(TransactionToken.decode(transaction))).map(Described::of);
    }

    @PostMapping("/v1/transactions/{transaction}/offsets")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> offsets(@PathVariable String transaction, @RequestBody Offsets request, ServerWebExchange exchange) {
        return Mono.defer(() -> {
            TransactionToken txn = TransactionToken.decode(transaction);
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
    Mono<Void> commit(@PathVariable String transaction) {
        return Mono.defer(() -> transactions.end(TransactionToken.decode(transaction), true));
    }

    @PostMapping("/v1/transactions/{transaction}/abort")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> abort(@PathVariable String transaction) {
        return Mono.defer(() -> transactions.end(TransactionToken.decode(transaction), false));
    }
}
