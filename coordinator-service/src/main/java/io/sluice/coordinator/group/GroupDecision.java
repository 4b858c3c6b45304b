package io.sluice.coordinator.group;

/**
 * What a group command decided: the group after it (null when the group is deleted; the same value when nothing
 * changes), whether the group epoch moved (a rebalance), and the answer for the caller once the change is stored.
 */
record GroupDecision<T>(ConsumerGroup after, boolean rebalanced, T result) {

    static <T> GroupDecision<T> of(ConsumerGroup after, T result) {
        return new GroupDecision<>(after, false, result);
    }
}
