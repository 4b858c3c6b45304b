package io.sluice.internal.streams;

/**
 * A task's changelog offset as a streams member reports it (KIP-1071's TaskOffset): for TaskOffsets, the sum of the
 * offsets its instance's local state has reached in the task's changelog partitions; for TaskEndOffsets, the sum of
 * their end offsets.
 */
public record TaskOffset(String subtopologyId, Integer partition, Long offset) {
}
