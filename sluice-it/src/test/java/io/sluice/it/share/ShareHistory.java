package io.sluice.it.share;

import java.util.ArrayList;
import java.util.List;

/**
 * What the workers of a share-group run saw, event by event: each record handed to a worker (a delivery, with the
 * acquisition id and delivery count the take answered) and each acknowledgement's outcome for one record (taken,
 * refused with a code, or unknown: the call failed without an answer, so it may or may not have been applied).
 * Records are named by partition and offset of the run's one topic. Thread-safe: workers record concurrently.
 */
public final class ShareHistory {

    /** How an acknowledgement ended for its record. */
    public enum Outcome { TAKEN, REFUSED, UNKNOWN }

    /** An acknowledgement type, as the API names it. */
    public enum Type { ACCEPT, RELEASE, REJECT }

    public record Delivery(String worker, int partition, long offset, long acquisitionId, int deliveryCount) {
    }

    /** {@code error} is the refusal's code (null unless REFUSED). */
    public record Acknowledgement(String worker, int partition, long offset, long acquisitionId, int deliveryCount,
                           Type type, Outcome outcome, String error) {
    }

    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Acknowledgement> acknowledgements = new ArrayList<>();

    public synchronized void delivered(String worker, int partition, long offset, long acquisitionId,
                                       int deliveryCount) {
        deliveries.add(new Delivery(worker, partition, offset, acquisitionId, deliveryCount));
    }

    public synchronized void acknowledged(String worker, int partition, long offset, long acquisitionId,
                                          int deliveryCount, Type type, Outcome outcome, String error) {
        acknowledgements.add(new Acknowledgement(worker, partition, offset, acquisitionId, deliveryCount, type,
                outcome, error));
    }

    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public synchronized List<Acknowledgement> acknowledgements() {
        return List.copyOf(acknowledgements);
    }
}
