package io.sluice.it.chaos;

import io.sluice.it.share.ShareHistory;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the clients of a chaos run did and were told, as the checker needs it: each acknowledgement (which
 * value, where, when the request was sent and answered), each refusal that promises nothing was written, how many
 * outcomes stayed unknown, each record a consumer read, each record a group member was given and the group's final
 * committed offsets. Values are unique per record, never sent twice, so a
 * value found twice in a log was duplicated by the system, not by a client retry. Thread-safe: producers and
 * consumers append from their own threads.
 */
final class History {

    /**
     * Error codes after which, by the API's contract (docs/api.md, the gateway's BatchRouter), nothing was written:
     * the leader refused before appending, or no leader was reached.
     */
    static final Set<String> NOTHING_WRITTEN = Set.of("NOT_ENOUGH_REPLICAS", "NOT_LEADER", "LEADER_NOT_AVAILABLE",
            "FENCED_LEADER_EPOCH", "UNKNOWN_LEADER_EPOCH");

    /** An acknowledged record. Times are {@link System#nanoTime()}. */
    record Ack(String value, int partition, long offset, long sentNanos, long ackedNanos) {
    }

    /** A record refused with a code that means it was not written. */
    record Refusal(String value, int partition, String errorCode) {
    }

    /** A record a consumer read at an offset. */
    record Seen(int partition, long offset, String value, long atNanos) {
    }

    /** A record a group member ({@code member}: one join of one client) was given at an offset. */
    record GroupRead(String member, int partition, long offset, String value) {
    }

    /** Stands for committed offsets that could not be read (a concurrent map holds no null). */
    private static final Map<Integer, Long> UNKNOWN_COMMITS = Map.of(-1, -1L);

    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> consumerEvents = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<GroupRead> groupReads = new ConcurrentLinkedQueue<>();
    private volatile Map<Integer, Long> groupCommitted;
    /** Per Kafka consumer group that ran ({@link KafkaWorkload}), the records its consumer was given. */
    private final Map<String, ConcurrentLinkedQueue<GroupRead>> kafkaGroupReads = new ConcurrentHashMap<>();
    /** The share group's deliveries and acknowledgements ({@link ShareWorkload}), when one ran. */
    private volatile ShareHistory shareGroup;
    private volatile int shareDeliveryLimit;
    private volatile boolean streamsRan;
    private volatile List<String> streamsOutput;
    /** Per Kafka consumer group that ran, its committed offsets at the end ({@link #UNKNOWN_COMMITS}: unknown). */
    private final Map<String, Map<Integer, Long>> kafkaGroupCommitted = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder unknown = new LongAdder();

    void sent(int records) {
        sent.add(records);
    }

    void acknowledged(Ack ack) {
        acks.add(ack);
    }

    void failed(String value, int partition, String errorCode) {
        errors.computeIfAbsent(errorCode, code -> new LongAdder()).increment();
        failures.put(value, errorCode);
        if (NOTHING_WRITTEN.contains(errorCode)) {
            refusals.add(new Refusal(value, partition, errorCode));
        } else {
            unknown.increment();
        }
    }

    void seen(Seen record) {
        seen.add(record);
    }

    void groupRead(GroupRead record) {
        groupReads.add(record);
    }

    /** A record the consumer of the Kafka consumer group {@code group} ({@link KafkaWorkload}) was given. */
    void kafkaGroupRead(String group, GroupRead record) {
        kafkaGroupReads.computeIfAbsent(group, g -> new ConcurrentLinkedQueue<>()).add(record);
    }

    /** The Kafka consumer group's committed offsets at the end (null: unknown); the group ran. */
    void kafkaGroupCommitted(String group, Map<Integer, Long> committed) {
        kafkaGroupCommitted.put(group, committed == null ? UNKNOWN_COMMITS : Map.copyOf(committed));
    }

    /** The Kafka consumer groups that ran: their reads and commits are judged, and each must have read something. */
    Set<String> kafkaGroups() {
        return new TreeSet<>(kafkaGroupCommitted.keySet());
    }

    List<GroupRead> kafkaGroupReads(String group) {
        ConcurrentLinkedQueue<GroupRead> reads = kafkaGroupReads.get(group);
        return reads == null ? List.of() : List.copyOf(reads);
    }

    /** The group's committed offsets at the end; null when they could not be read. */
    Map<Integer, Long> kafkaGroupCommitted(String group) {
        Map<Integer, Long> committed = kafkaGroupCommitted.get(group);
        return committed == UNKNOWN_COMMITS ? null : committed;
    }

    /**
     * A share group ran, its consumers recording into {@code deliveries}, at {@code deliveryLimit}: it is judged
     * against the final logs (the records it was given are also recorded as reads of the group, with their values).
     */
    void shareGroup(ShareHistory deliveries, int deliveryLimit) {
        shareDeliveryLimit = deliveryLimit;
        shareGroup = deliveries;
    }

    /**
     * The Kafka Streams application's output ({@link StreamsWorkload}), read back read_committed after it closed: its
     * values, each as often as the output holds it; null when it could not be read. Set only when the application ran.
     */
    void streamsOutput(List<String> values) {
        streamsRan = true;
        streamsOutput = values == null ? null : List.copyOf(values);
    }

    boolean streamsRan() {
        return streamsRan;
    }

    List<String> streamsOutput() {
        return streamsOutput;
    }

    /** The share group's history, or null when none ran. */
    ShareHistory shareGroup() {
        return shareGroup;
    }

    int shareDeliveryLimit() {
        return shareDeliveryLimit;
    }

    /** All the Kafka consumer groups' reads. */
    List<GroupRead> kafkaGroupReads() {
        return kafkaGroupReads.values().stream().flatMap(Collection::stream).toList();
    }

    /** The group's committed offsets at the end, once its members read up to the end and left (null: unknown). */
    void groupCommitted(Map<Integer, Long> committed) {
        groupCommitted = committed == null ? null : Map.copyOf(committed);
    }

    /** Something a consumer noticed that the checker's record comparison explains (a position past the log end). */
    void consumerEvent(String description) {
        consumerEvents.add(description);
    }

    /** The error code a failed value was answered with, or null when it did not fail. */
    String failure(String value) {
        return failures.get(value);
    }

    List<Ack> acks() {
        return List.copyOf(acks);
    }

    List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<GroupRead> groupReads() {
        return List.copyOf(groupReads);
    }

    Map<Integer, Long> groupCommitted() {
        return groupCommitted;
    }

    List<String> consumerEvents() {
        return List.copyOf(consumerEvents);
    }

    long sentCount() {
        return sent.sum();
    }

    long unknownCount() {
        return unknown.sum();
    }

    /** Failed records by error code, sorted by code. */
    Map<String, Long> errorsByCode() {
        Map<String, Long> sorted = new TreeMap<>();
        errors.forEach((code, count) -> sorted.put(code, count.sum()));
        return sorted;
    }
}
