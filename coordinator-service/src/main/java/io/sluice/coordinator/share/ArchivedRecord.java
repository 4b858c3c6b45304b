package io.sluice.coordinator.share;

/**
 * A record a call of {@link SharePartition} archived: what the share group's dead-letter topic is told of it.
 *
 * @param deliveryCount how many times the record had been delivered when it was archived
 */
record ArchivedRecord(long offset, int deliveryCount, DeadLetterCause cause) {
}
