package io.sluice.gateway.produce;

import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TransactionDescription;
import io.sluice.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The transactional ids the coordinator holds, as {@code kafka-transactions list|describe} show them: every id (Kafka
 * clients' and HTTP transactions' alike) with its producer, its state and its open transaction. Listing filters by
 * state and producer id as Kafka's ListTransactions does; which ids a caller may see is the controller's to decide.
 */
@Service
class TransactionalIds {

    /** The states a transactional id can be in, as the coordinator names them. */
    static final List<String> STATES = List.of("EMPTY", "ONGOING", "PREPARE_COMMIT", "PREPARE_ABORT",
            "COMPLETE_COMMIT", "COMPLETE_ABORT");

    private final TransactionApi transactions;

    TransactionalIds(TransactionApi transactions) {
        this.transactions = transactions;
    }

    /**
     * Every transactional id in one of {@code states} and held by one of {@code producerIds}, by id: each parameter
     * as given in a query (repeated, or values separated by commas); none lets all through. A state that does not
     * exist, or a producer id that is not a number, is INVALID_REQUEST.
     */
    Mono<List<TransactionDescription>> list(List<String> states, List<String> producerIds) {
        return Mono.defer(() -> {
            List<String> wanted = values(states);
            wanted.stream().filter(state -> !STATES.contains(state)).findFirst().ifPresent(state -> {
                throw ErrorCode.INVALID_REQUEST.exception("state " + state + " is not one of " + STATES);
            });
            List<Long> producers = values(producerIds).stream().map(TransactionalIds::producerId).toList();
            return transactions.transactions().map(all -> all.stream()
                    .filter(txn -> wanted.isEmpty() || wanted.contains(txn.state()))
                    .filter(txn -> producers.isEmpty() || producers.contains(txn.producerId()))
                    .sorted(Comparator.comparing(TransactionDescription::transactionalId))
                    .toList());
        });
    }

    /** The transactional id as the coordinator holds it; TRANSACTIONAL_ID_NOT_FOUND when it holds none. */
    Mono<TransactionDescription> describe(String transactionalId) {
        return transactions.describeTransaction(transactionalId);
    }

    private static List<String> values(List<String> given) {
        return given == null ? List.of() : given.stream().flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::strip).filter(value -> !value.isEmpty()).toList();
    }

    private static long producerId(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ErrorCode.INVALID_REQUEST.exception("producer_id " + value + " is not a number");
        }
    }
}
