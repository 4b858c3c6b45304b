package io.sluice.internal.txn;

import io.sluice.protocol.TopicPartition;
import java.util.List;

/**
 * A transactional id as the coordinator holds it (Kafka's DescribeTransactions): producer id and epoch, timeout,
 * state (EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, COMPLETE_ABORT), the current transaction's
 * partitions and groups, and when it started (-1 when none is open).
 */
public record TransactionDescription(String transactionalId, long producerId, short producerEpoch, int timeoutMs,
                                     String state, List<TopicPartition> partitions, List<String> groups,
                                     long startedAtMs, long updatedAtMs) {

    public TransactionDescription {
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }
}
