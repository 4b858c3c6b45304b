package io.sluice.it.chaos;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the transactional clients of a chaos run did and saw: each transaction (an atomic produce, an explicit
 * transaction or a Kafka producer's) with its records and its outcome as the answers decide it, each record a
 * read_committed reader was given, and each last stable offset and high watermark read together from a leader. Every
 * record's value is unique and names its transaction ({@code <transaction>-<n>}), so the checker ties what readers saw
 * to what was decided. Thread-safe: writers and readers append from their own threads.
 */
final class TransactionHistory {

    /** How a transaction was written. */
    enum Kind {
        /** {@code POST /v1/records}. */
        ATOMIC,
        /** {@code /v1/transactions}: begin, writes, then commit or abort. */
        EXPLICIT,
        /** A Kafka transactional producer's ({@link KafkaTransactionWriter}). */
        KAFKA
    }

    /**
     * What the API's answers say of a transaction's records: all visible to read_committed readers, none, or one of
     * the two (docs/api.md).
     */
    enum Outcome {
        /** {@code 200} for an atomic produce, {@code 204} for a commit. */
        COMMITTED,
        /** Never committed: an explicit abort, a failed write, or a failure the API documents as aborted. */
        ABORTED,
        /** No answer, a timeout, or an error that decides nothing: all of the records or none. */
        UNKNOWN
    }

    /**
     * A record of a transaction: where it was sent, its value, and the offset the answer gave it ({@code -1} when the
     * write was not answered with offsets).
     */
    record TxnRecord(String topic, int partition, String value, long offset) {
    }

    /** One transaction: its id (the prefix of its records' values), how it was written, its records and outcome. */
    record Transaction(String id, Kind kind, List<TxnRecord> records, Outcome outcome, String detail) {

        Transaction {
            records = List.copyOf(records);
        }
    }

    /** The reader of read_committed pages ({@link TransactionWorkload}). */
    static final String PAGE_READER = "page";
    /** The read_committed Server-Sent Events reader ({@link SseReader}). */
    static final String SSE_READER = "sse";

    /**
     * A record a read_committed reader ({@link #PAGE_READER} or {@link #SSE_READER} of its partition) was given, in
     * the order it was given within its reader.
     */
    record CommittedRead(String reader, String topic, int partition, long offset, String value) {
    }

    /** A leader's last stable offset and high watermark from one fetch. */
    record StableOffset(String topic, int partition, int node, long lastStableOffset, long highWatermark) {
    }

    private final ConcurrentLinkedQueue<Transaction> transactions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CommittedRead> reads = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<StableOffset> stableOffsets = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> readerEvents = new ConcurrentLinkedQueue<>();
    private final LongAdder stableOffsetProbes = new LongAdder();

    void transaction(Transaction transaction) {
        transactions.add(transaction);
    }

    void read(CommittedRead read) {
        reads.add(read);
    }

    /** A probe's answer: kept only when it breaks the rule (LSO above HW), counted always. */
    void stableOffset(StableOffset observed) {
        stableOffsetProbes.increment();
        if (observed.lastStableOffset() > observed.highWatermark()) {
            stableOffsets.add(observed);
        }
    }

    /** Something a reader noticed that the checks explain (a position past the log end). */
    void readerEvent(String description) {
        readerEvents.add(description);
    }

    List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    List<CommittedRead> reads() {
        return List.copyOf(reads);
    }

    /** Probes that found the last stable offset above the high watermark. */
    List<StableOffset> stableOffsetsAboveHighWatermark() {
        return List.copyOf(stableOffsets);
    }

    long stableOffsetProbes() {
        return stableOffsetProbes.sum();
    }

    List<String> readerEvents() {
        return List.copyOf(readerEvents);
    }

    /** Transactions by kind and outcome, e.g. {@code ATOMIC COMMITTED → 812}. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        transactions.forEach(txn -> counts.merge(txn.kind() + " " + txn.outcome(), 1L, Long::sum));
        return counts;
    }
}
