package io.sluice.coordinator.share;

/**
 * A record handed to a member by an acquire: the member holds it until {@code lockDeadlineMs} and acknowledges it
 * by {@code acquisitionId} (or by its offset).
 *
 * @param deliveryCount how many times the record has been delivered, this time included (1 the first time)
 */
record AcquiredRecord(long offset, long acquisitionId, int deliveryCount, long lockDeadlineMs) {
}
