package io.sluice.it.share;

import io.sluice.it.share.ShareHistory.Acknowledgement;
import io.sluice.it.share.ShareHistory.Delivery;
import io.sluice.it.share.ShareHistory.Outcome;
import io.sluice.it.share.ShareHistory.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Judges a share-group run's {@link ShareHistory} against KIP-932's promises, for the records produced
 * ({@code produced}: partition → how many, offsets from 0):
 * <ul>
 *   <li>{@link Kind#NOT_ENDED}: every record ends accepted or archived — accepted (an accept taken), rejected (a reject
 *       taken), or given up at the delivery limit (its last delivery, at the limit, released or left to expire). An
 *       acknowledgement whose outcome is unknown may have ended it and is given the benefit of the doubt.</li>
 *   <li>{@link Kind#ACCEPTED_TWICE}: no record has two accepts taken.</li>
 *   <li>{@link Kind#OVER_DELIVERY_LIMIT}: no record is delivered more often than the limit, nor with a delivery count
 *       above it.</li>
 *   <li>{@link Kind#DELIVERED_AFTER_ACKNOWLEDGED}: after an accept or reject was taken, no delivery of the record has a
 *       higher delivery count (each acquisition counts one more, so the order needs no clock).</li>
 *   <li>{@link Kind#DELIVERED_TWICE}: no two deliveries of one record share a delivery count (two holders at once).</li>
 *   <li>{@link Kind#UNKNOWN_RECORD}: nothing delivered that was not produced.</li>
 * </ul>
 * Pure: no clock, no I/O.
 */
public final class ShareHistoryChecker {

    public enum Kind { NOT_ENDED, ACCEPTED_TWICE, OVER_DELIVERY_LIMIT, DELIVERED_AFTER_ACKNOWLEDGED, DELIVERED_TWICE,
        UNKNOWN_RECORD }

    public record Anomaly(Kind kind, int partition, long offset, String detail) {
    }

    /** The verdict and the run's figures. */
    public record Report(List<Anomaly> anomalies, long records, long deliveries, long redeliveries, long accepted,
                  long archived, long refusedAcknowledgements, long unknownAcknowledgements) {

        public long count(Kind kind) {
            return anomalies.stream().filter(a -> a.kind() == kind).count();
        }

        @Override
        public String toString() {
            return records + " records, " + deliveries + " deliveries (" + redeliveries + " redeliveries), " + accepted
                    + " accepted, " + archived + " archived, " + refusedAcknowledgements + " acknowledgements refused, "
                    + unknownAcknowledgements + " of unknown outcome; " + anomalies.size() + " anomalies"
                    + (anomalies.isEmpty() ? "" : ", first " + anomalies.subList(0, Math.min(10, anomalies.size())));
        }
    }

    private record Key(int partition, long offset) {
    }

    private ShareHistoryChecker() {
    }

    public static Report check(ShareHistory history, Map<Integer, Long> produced, int deliveryLimit) {
        Map<Key, List<Delivery>> deliveries = new HashMap<>();
        for (Delivery delivery : history.deliveries()) {
            deliveries.computeIfAbsent(new Key(delivery.partition(), delivery.offset()), k -> new ArrayList<>())
                    .add(delivery);
        }
        Map<Key, List<Acknowledgement>> acknowledgements = new HashMap<>();
        long refused = 0;
        long unknown = 0;
        for (Acknowledgement acknowledgement : history.acknowledgements()) {
            acknowledgements.computeIfAbsent(new Key(acknowledgement.partition(), acknowledgement.offset()),
                    k -> new ArrayList<>()).add(acknowledgement);
            refused += acknowledgement.outcome() == Outcome.REFUSED ? 1 : 0;
            unknown += acknowledgement.outcome() == Outcome.UNKNOWN ? 1 : 0;
        }
        List<Anomaly> anomalies = new ArrayList<>();
        long records = 0;
        long delivered = 0;
        long accepted = 0;
        long archived = 0;
        Map<Integer, Long> ends = new TreeMap<>(produced);
        for (Key key : deliveries.keySet()) {
            Long end = ends.get(key.partition());
            if (end == null || key.offset() < 0 || key.offset() >= end) {
                anomalies.add(new Anomaly(Kind.UNKNOWN_RECORD, key.partition(), key.offset(), "never produced"));
            }
        }
        for (Map.Entry<Integer, Long> partition : ends.entrySet()) {
            for (long offset = 0; offset < partition.getValue(); offset++) {
                records++;
                Key key = new Key(partition.getKey(), offset);
                List<Delivery> seen = deliveries.getOrDefault(key, List.of());
                List<Acknowledgement> acks = acknowledgements.getOrDefault(key, List.of());
                delivered += seen.size();
                switch (judge(key, seen, acks, deliveryLimit, anomalies)) {
                    case ACCEPTED -> accepted++;
                    case ARCHIVED -> archived++;
                    case OPEN -> { }
                }
            }
        }
        return new Report(List.copyOf(anomalies), records, delivered, delivered - deliveries.size(), accepted,
                archived, refused, unknown);
    }

    private enum End { ACCEPTED, ARCHIVED, OPEN }

    private static End judge(Key key, List<Delivery> seen, List<Acknowledgement> acks, int limit,
                             List<Anomaly> anomalies) {
        int p = key.partition();
        long o = key.offset();
        if (seen.size() > limit) {
            anomalies.add(new Anomaly(Kind.OVER_DELIVERY_LIMIT, p, o, seen.size() + " deliveries, limit " + limit));
        }
        Map<Integer, Delivery> byCount = new HashMap<>();
        int highest = 0;
        for (Delivery delivery : seen) {
            if (delivery.deliveryCount() > limit || delivery.deliveryCount() < 1) {
                anomalies.add(new Anomaly(Kind.OVER_DELIVERY_LIMIT, p, o, "delivered with count "
                        + delivery.deliveryCount() + ", limit " + limit));
            }
            Delivery other = byCount.put(delivery.deliveryCount(), delivery);
            if (other != null) {
                anomalies.add(new Anomaly(Kind.DELIVERED_TWICE, p, o, "delivery " + delivery.deliveryCount()
                        + " to " + other.worker() + " and " + delivery.worker()));
            }
            highest = Math.max(highest, delivery.deliveryCount());
        }
        List<Acknowledgement> accepts = acks.stream()
                .filter(a -> a.type() == Type.ACCEPT && a.outcome() == Outcome.TAKEN).toList();
        if (accepts.size() > 1) {
            anomalies.add(new Anomaly(Kind.ACCEPTED_TWICE, p, o, accepts.size() + " accepts taken: " + accepts));
        }
        Acknowledgement done = null;
        for (Acknowledgement ack : acks) {
            if (ack.outcome() == Outcome.TAKEN && ack.type() != Type.RELEASE) {
                done = done == null || ack.deliveryCount() < done.deliveryCount() ? ack : done;
            }
        }
        if (done != null) {
            for (Delivery delivery : seen) {
                if (delivery.deliveryCount() > done.deliveryCount()) {
                    anomalies.add(new Anomaly(Kind.DELIVERED_AFTER_ACKNOWLEDGED, p, o, "delivery "
                            + delivery.deliveryCount() + " to " + delivery.worker() + " after " + done));
                }
            }
            return done.type() == Type.ACCEPT ? End.ACCEPTED : End.ARCHIVED;
        }
        if (highest >= limit) {
            // The last delivery at the limit ended without an accept taken: released, refused or left to expire.
            int last = highest;
            boolean maybeAccepted = acks.stream().anyMatch(a -> a.deliveryCount() == last && a.type() == Type.ACCEPT
                    && a.outcome() == Outcome.UNKNOWN);
            return maybeAccepted ? End.ACCEPTED : End.ARCHIVED;
        }
        int last = highest;
        Acknowledgement maybe = acks.stream().filter(a -> a.deliveryCount() == last && a.type() != Type.RELEASE
                && a.outcome() == Outcome.UNKNOWN).findFirst().orElse(null);
        if (maybe != null) {
            return maybe.type() == Type.ACCEPT ? End.ACCEPTED : End.ARCHIVED;
        }
        anomalies.add(new Anomaly(Kind.NOT_ENDED, p, o, seen.isEmpty() ? "never delivered"
                : "last delivered with count " + highest + " (limit " + limit + "), never accepted or rejected"));
        return End.OPEN;
    }
}
