package io.sluice.it.chaos;

import io.sluice.it.chaos.GatewayClient.ReadRecord;
import io.sluice.it.chaos.HistoryChecker.Anomalies;
import io.sluice.it.chaos.HistoryChecker.Kind;
import io.sluice.it.chaos.TransactionHistory.CommittedRead;
import io.sluice.it.chaos.TransactionHistory.Outcome;
import io.sluice.it.chaos.TransactionHistory.Transaction;
import io.sluice.it.chaos.TransactionHistory.TxnRecord;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges the transactional part of a chaos run ({@link TransactionHistory}) against each partition's final log as a
 * read_committed reader sees it, read once every transaction was decided (each leader's last stable offset at its
 * high watermark). The rules, each an anomaly kind of {@link HistoryChecker.Kind}:
 *
 * <ul>
 *   <li>{@link Kind#READ_ABORTED}: a record of an aborted transaction given to a read_committed reader, during the run
 *       or in the final log;</li>
 *   <li>{@link Kind#COMMITTED_NOT_ONCE}: a record of a committed transaction that the final log does not hold exactly
 *       once, at the partition it was sent to and the offset its answer gave;</li>
 *   <li>{@link Kind#PARTLY_VISIBLE}: a transaction whose outcome the client could not know of which the final log
 *       holds some records but not all (all or nothing);</li>
 *   <li>{@link Kind#READ_COMMITTED_VANISHED}: a record a read_committed reader was given that the final log does not
 *       hold at that offset;</li>
 *   <li>{@link Kind#READ_COMMITTED_OUT_OF_ORDER}: a reader given an offset not after the one it was given before
 *       (read_committed delivers a partition in log order);</li>
 *   <li>{@link Kind#READ_COMMITTED_SKIPPED}: a record of the final log below the last offset a reader was given that
 *       the reader never got (a stable offset that ran ahead of an open transaction would do this);</li>
 *   <li>{@link Kind#LSO_ABOVE_HW}: a leader answering a last stable offset above its high watermark, or a
 *       read_committed page that moves past the high watermark it reports (not an empty page at a position a reader
 *       reached under an earlier leader, whose high watermark the new one has not caught up with yet).</li>
 * </ul>
 */
final class ReadCommittedChecker {

    /** A partition's final log as a read_committed reader sees it, from offset 0 to the end. */
    record CommittedLog(String topic, int partition, List<ReadRecord> log) {

        /**
         * Reads {@code topic}'s {@code partition} read_committed through the gateway from offset 0 until a page ends
         * at the high watermark; a partition that cannot be read back is a problem added to {@code problems}.
         */
        static CommittedLog readBack(GatewayClient gateway, String topic, int partition, List<String> problems) {
            List<ReadRecord> log = new ArrayList<>();
            long offset = 0;
            int failures = 0;
            while (true) {
                GatewayClient.ReadAnswer answer = gateway.read(topic, partition, offset, 5000, Duration.ZERO, true);
                if (!answer.ok()) {
                    if (++failures > 50) {
                        problems.add(topic + "-" + partition + " could not be read back read_committed at offset "
                                + offset + ": " + answer.errorCode());
                        break;
                    }
                    Waits.sleep(Duration.ofMillis(200));
                    continue;
                }
                log.addAll(answer.records());
                if (answer.nextOffset() >= answer.highWatermark() || answer.nextOffset() <= offset) {
                    break;
                }
                offset = answer.nextOffset();
            }
            return new CommittedLog(topic, partition, log);
        }
    }

    private record Place(String topic, int partition, long offset) {

        @Override
        public String toString() {
            return topic + "-" + partition + "/" + offset;
        }
    }

    private ReadCommittedChecker() {
    }

    /** Adds every anomaly of {@code history} against {@code logs} to {@code anomalies}. */
    static void check(TransactionHistory history, List<CommittedLog> logs, Anomalies anomalies) {
        Map<String, Transaction> byValue = new HashMap<>();
        history.transactions().forEach(txn -> txn.records().forEach(record -> byValue.put(record.value(), txn)));
        Map<String, List<Place>> stored = new HashMap<>();
        for (CommittedLog log : logs) {
            for (ReadRecord record : log.log()) {
                stored.computeIfAbsent(record.value(), v -> new ArrayList<>(1))
                        .add(new Place(log.topic(), log.partition(), record.offset()));
            }
        }

        Set<String> reported = new HashSet<>();
        stored.forEach((value, places) -> {
            Transaction txn = byValue.get(value);
            if (txn != null && txn.outcome() == Outcome.ABORTED && reported.add(value)) {
                anomalies.add(Kind.READ_ABORTED, value + " of aborted " + describe(txn) + " in the final log at "
                        + places);
            }
        });
        for (CommittedRead read : history.reads()) {
            Transaction txn = byValue.get(read.value());
            if (txn != null && txn.outcome() == Outcome.ABORTED && reported.add(read.value())) {
                anomalies.add(Kind.READ_ABORTED, read.value() + " of aborted " + describe(txn) + " read at "
                        + new Place(read.topic(), read.partition(), read.offset()));
            }
        }

        for (Transaction txn : history.transactions()) {
            if (txn.outcome() == Outcome.ABORTED) {
                continue;
            }
            long visible = txn.records().stream().filter(record -> stored.containsKey(record.value())).count();
            if (txn.outcome() == Outcome.UNKNOWN) {
                if (visible == 0) {
                    continue;
                }
                if (visible < txn.records().size()) {
                    anomalies.add(Kind.PARTLY_VISIBLE, describe(txn) + ": " + visible + " of its "
                            + txn.records().size() + " records in the final log");
                    continue;
                }
            }
            for (TxnRecord record : txn.records()) {
                checkOnce(txn, record, stored.getOrDefault(record.value(), List.of()), anomalies);
            }
        }

        checkReads(history, logs, anomalies);
        history.stableOffsetsAboveHighWatermark().forEach(observed -> anomalies.add(Kind.LSO_ABOVE_HW,
                observed.node() < 0
                        ? observed.topic() + "-" + observed.partition() + ": a read_committed page ended at "
                                + observed.lastStableOffset() + ", past its high watermark " + observed.highWatermark()
                        : observed.topic() + "-" + observed.partition() + " on node " + observed.node()
                                + ": last stable offset " + observed.lastStableOffset() + " above the high watermark "
                                + observed.highWatermark()));
    }

    /** A committed record (or one of a transaction found whole) must be in the final log once, where it was put. */
    private static void checkOnce(Transaction txn, TxnRecord record, List<Place> places, Anomalies anomalies) {
        String problem = null;
        if (places.isEmpty()) {
            problem = "not in the final log";
        } else if (places.size() > 1) {
            problem = "in the final log " + places.size() + " times: " + places;
        } else {
            Place place = places.getFirst();
            if (!place.topic().equals(record.topic()) || place.partition() != record.partition()
                    || (record.offset() >= 0 && place.offset() != record.offset())) {
                problem = "sent to " + record.topic() + "-" + record.partition() + (record.offset() >= 0
                        ? " and answered offset " + record.offset() : "") + ", in the final log at " + place;
            }
        }
        if (problem != null) {
            anomalies.add(Kind.COMMITTED_NOT_ONCE, record.value() + " of " + describe(txn) + ": " + problem);
        }
    }

    /** What each reader was given, against the final log: still there, in log order, nothing skipped. */
    private static void checkReads(TransactionHistory history, List<CommittedLog> logs, Anomalies anomalies) {
        Map<String, List<CommittedRead>> byReader = new LinkedHashMap<>();
        history.reads().forEach(read -> byReader.computeIfAbsent(read.topic() + "-" + read.partition() + " "
                + read.reader(), reader -> new ArrayList<>()).add(read));
        for (CommittedLog log : logs) {
            Map<Long, String> atOffset = new HashMap<>();
            log.log().forEach(record -> atOffset.put(record.offset(), record.value()));
            for (String reader : List.of(TransactionHistory.PAGE_READER, TransactionHistory.SSE_READER)) {
                checkReader(reader, log, atOffset, byReader.getOrDefault(log.topic() + "-" + log.partition() + " "
                        + reader, List.of()), anomalies);
            }
        }
    }

    /** One reader of one partition: everything it was given still in the final log there, in order, no gap. */
    private static void checkReader(String reader, CommittedLog log, Map<Long, String> atOffset,
                                    List<CommittedRead> reads, Anomalies anomalies) {
        long previous = -1;
        Set<Long> given = new HashSet<>();
        for (CommittedRead read : reads) {
            Place at = new Place(read.topic(), read.partition(), read.offset());
            if (!read.value().equals(atOffset.get(read.offset()))) {
                anomalies.add(Kind.READ_COMMITTED_VANISHED, read.value() + " read (" + reader + ") at " + at
                        + "; the final log holds " + atOffset.getOrDefault(read.offset(), "nothing") + " there");
            }
            if (read.offset() <= previous) {
                anomalies.add(Kind.READ_COMMITTED_OUT_OF_ORDER, read.value() + " read (" + reader + ") at " + at
                        + " after offset " + previous);
            }
            previous = Math.max(previous, read.offset());
            given.add(read.offset());
        }
        for (ReadRecord record : log.log()) {
            if (record.offset() < previous && !given.contains(record.offset())) {
                anomalies.add(Kind.READ_COMMITTED_SKIPPED, record.value() + " at " + new Place(log.topic(),
                        log.partition(), record.offset()) + " never reached the " + reader + " reader, which read up "
                        + "to " + previous);
            }
        }
    }

    private static String describe(Transaction txn) {
        return txn.kind().name().toLowerCase() + " transaction " + txn.id() + " (" + txn.outcome() + ": "
                + txn.detail() + ")";
    }
}
