package io.sluice.gateway.produce;

import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.txn.TransactionDescription;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Transactional ids ({@link TransactionalIds}): {@code GET /v1/transactional-ids} lists those the caller may DESCRIBE
 * (the others are left out, as Kafka's ListTransactions leaves them out), filtered by {@code state} and
 * {@code producer_id}; {@code GET /v1/transactional-ids/{transactional_id}} describes one (DESCRIBE on it, checked by
 * the authorization table). Named by transactional id, unlike {@code /v1/transactions/{transaction}}, which takes a
 * begin's token.
 */
@RestController
class TransactionalIdsController {

    private final TransactionalIds transactionalIds;
    private final Authorizer authorizer;

    TransactionalIdsController(TransactionalIds transactionalIds, Authorizer authorizer) {
        this.transactionalIds = transactionalIds;
        this.authorizer = authorizer;
    }

    /** A listing of transactional ids. */
    record TransactionalIdList(List<TransactionsController.Described> transactionalIds) {
    }

    @GetMapping("/v1/transactional-ids")
    Mono<TransactionalIdList> list(@RequestParam(name = "state", required = false) List<String> states,
                                   @RequestParam(name = "producer_id", required = false) List<String> producerIds,
                                   ServerWebExchange exchange) {
        return transactionalIds.list(states, producerIds).map(all -> new TransactionalIdList(authorizer.describable(
                exchange, ResourceType.TRANSACTIONAL_ID, all, TransactionDescription::transactionalId).stream()
                .map(TransactionsController.Described::of).toList()));
    }

    @GetMapping("/v1/transactional-ids/{transactional_id}")
    Mono<TransactionsController.Described> describe(@PathVariable("transactional_id") String transactionalId) {
        return transactionalIds.describe(transactionalId).map(TransactionsController.Described::of);
    }
}
