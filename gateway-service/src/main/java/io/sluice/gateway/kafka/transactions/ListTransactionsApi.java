package io.sluice.gateway.kafka.transactions;

import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBrokers;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.TransactionAccess;
import io.sluice.internal.txn.TransactionApi;
import io.sluice.internal.txn.TransactionDescription;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData.TransactionState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * ListTransactions ({@code kafka-transactions.sh list}): the transactional ids the principal may DESCRIBE, as Kafka
 * lists them, filtered as asked — by state and producer id (v0; a state Kafka does not know is named back in
 * {@code unknown_state_filters} and matches nothing), by how long the open transaction has run (v1's
 * {@code duration_filter} in ms: with a value of 0 or more only transactions open at least that long, so none that is
 * complete), and by a regular expression the whole transactional id matches (v2's {@code transactional_id_pattern};
 * null or empty: all, a pattern that does not compile: INVALID_REGULAR_EXPRESSION). The coordinator is one service,
 * so one broker's answer is the whole list: the controller gateway's; the others answer none
 * ({@link KafkaBrokers#isController}).
 */
@Component
class ListTransactionsApi implements KafkaApi {

    /** Kafka's transaction state names, those Sluice's coordinator has and the two it never shows. */
    private static final Set<String> KAFKA_STATES = Set.of("Empty", "Ongoing", "PrepareCommit", "PrepareAbort",
            "CompleteCommit", "CompleteAbort", "Dead", "PrepareEpochFence");

    private final TransactionApi transactions;
    private final TransactionAccess access;
    private final Clock clock;
    private final KafkaBrokers brokers;

    ListTransactionsApi(TransactionApi transactions, TransactionAccess access, Clock clock, KafkaBrokers brokers) {
        this.transactions = transactions;
        this.brokers = brokers;
        this.access = access;
        this.clock = clock;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        ListTransactionsRequestData data = ((ListTransactionsRequest) request.body()).data();
        Predicate<String> idFilter;
        try {
            idFilter = idFilter(data.transactionalIdPattern());
        } catch (PatternSyntaxException e) {
            return Mono.just(new ListTransactionsResponseData().setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code()));
        }
        List<String> unknownStates = data.stateFilters().stream().filter(state -> !KAFKA_STATES.contains(state))
                .toList();
        if (!brokers.isController()) {
            return Mono.just(new ListTransactionsResponseData().setUnknownStateFilters(unknownStates));
        }
        return transactions.transactions()
                .map(all -> {
                    long now = clock.millis();
                    return (ApiMessage) new ListTransactionsResponseData().setUnknownStateFilters(unknownStates)
                            .setTransactionStates(all.stream()
                                    .filter(txn -> data.stateFilters().isEmpty() || data.stateFilters()
                                            .contains(DescribeTransactionsApi.kafkaState(txn.state())))
                                    .filter(txn -> data.producerIdFilters().isEmpty()
                                            || data.producerIdFilters().contains(txn.producerId()))
                                    .filter(txn -> openAtLeast(txn, data.durationFilter(), now))
                                    .filter(txn -> idFilter.test(txn.transactionalId()))
                                    .filter(txn -> access.describable(session, txn.transactionalId()))
                                    .map(txn -> new TransactionState().setTransactionalId(txn.transactionalId())
                                            .setProducerId(txn.producerId())
                                            .setTransactionState(DescribeTransactionsApi.kafkaState(txn.state())))
                                    .toList());
                })
                .onErrorResume(e -> Mono.just(new ListTransactionsResponseData()
                        .setErrorCode(Errors.forException(KafkaErrors.exception(e)).code())));
    }

    private static Predicate<String> idFilter(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            return id -> true;
        }
        Pattern compiled = Pattern.compile(pattern);
        return id -> compiled.matcher(id).matches();
    }

    /** Below 0 (the default, and what v0 reads as): every transaction. */
    private static boolean openAtLeast(TransactionDescription txn, long durationMs, long nowMs) {
        return durationMs < 0 || txn.startedAtMs() >= 0 && nowMs - txn.startedAtMs() >= durationMs;
    }
}
