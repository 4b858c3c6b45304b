package io.sluice.log;

import static io.sluice.log.CompactedLogs.TP;
import static io.sluice.log.CompactedLogs.commit;
import static io.sluice.log.CompactedLogs.keyed;
import static io.sluice.log.CompactedLogs.readAll;
import static io.sluice.log.CompactedLogs.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Compaction against a model: any history of keyed writes and tombstones, cleaned at any points, still holds the last
 * write of every key at its original offset, offsets only increase, tombstones stay while their delete retention
 * runs, and after a full cleaning each live key appears exactly once.
 */
class LogCleanerProperties {

    /** One step of a history: a batch of writes (a null value is a tombstone), a clock tick, or a cleaning. */
    sealed interface Step permits Append, Tick, Clean {
    }

    record Append(List<CompactedLogs.Write> writes, boolean gzip) implements Step {
    }

    record Tick(int millis) implements Step {
    }

    record Clean() implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<CompactedLogs.Write> write = Combinators.combine(
                Arbitraries.of("a", "b", "c", "d", "e", "f"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).injectNull(0.2))
                .as(CompactedLogs.Write::new);
        Arbitrary<Step> append = Combinators.combine(write.list().ofMinSize(1).ofMaxSize(4), Arbitraries.of(true, false))
                .as(Append::new);
        Arbitrary<Step> tick = Arbitraries.integers().between(1, 3_000).map(Tick::new);
        Arbitrary<Step> clean = Arbitraries.just(new Clean());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, append), net.jqwik.api.Tuple.of(2, tick), net.jqwik.api.Tuple.of(2, clean))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 150)
    void compactionKeepsTheLastWriteOfEveryKey(@ForAll("histories") List<Step> history,
                                               @ForAll @IntRange(min = 0, max = 5_000) int deleteRetentionMs,
                                               @ForAll @IntRange(min = 200, max = 600) int segmentBytes)
            throws Exception {
        Path dataDir = Files.createTempDirectory("cleaner-props");
        MutableClock clock = new MutableClock(1_000_000);
        LogConfig config = CompactedLogs.config(deleteRetentionMs).withSegmentBytes(segmentBytes);
        PartitionLog log = PartitionLog.open(dataDir.resolve(TP.toString()), config, clock);
        try {
            LogCleaner cleaner = CompactedLogs.cleaner(log, dataDir, clock, SwapSteps.NONE);
            Map<String, Long> lastOffset = new HashMap<>();
            Map<String, String> lastValue = new HashMap<>();
            // Tombstone offset -> the earliest time it may be gone (its first cleaning + delete retention).
            Map<Long, Long> tombstoneDeadline = new LinkedHashMap<>();
            for (Step step : history) {
                switch (step) {
                    case Append append -> {
                        long base = log.appendAsLeader(keyed(append.gzip() ? CompressionType.GZIP
                                : CompressionType.NONE, clock.millis(),
                                append.writes().toArray(CompactedLogs.Write[]::new)), 0).firstOffset();
                        for (int i = 0; i < append.writes().size(); i++) {
                            lastOffset.put(append.writes().get(i).key(), base + i);
                            lastValue.put(append.writes().get(i).key(), append.writes().get(i).value());
                        }
                    }
                    case Tick tick -> clock.advance(tick.millis());
                    case Clean clean -> {
                        commit(log);
                        long cleanable = log.segmentsForCleaning().getLast().baseOffset();
                        for (Map.Entry<String, Long> e : lastOffset.entrySet()) {
                            if (lastValue.get(e.getKey()) == null && e.getValue() < cleanable) {
                                tombstoneDeadline.putIfAbsent(e.getValue(), clock.millis() + deleteRetentionMs);
                            }
                        }
                        cleaner.clean(TP, log);
                    }
                }
                assertHoldsTheLastWrites(log, lastOffset, lastValue, tombstoneDeadline, clock.millis());
            }
            // A full cleaning: roll the active segment with a write of its own key, commit, clean twice (the second
            // removes tombstones whose retention ran out).
            log.appendAsLeader(keyed(clock.millis(), CompactedLogs.put("~end", "x")), 0);
            log.updateConfig(log.config().withSegmentBytes(CompactedLogs.ONE_BATCH_SEGMENT_BYTES));
            log.appendAsLeader(keyed(clock.millis(), CompactedLogs.put("~end", "y")), 0);
            commit(log);
            cleaner.clean(TP, log);
            clock.advance(deleteRetentionMs);
            cleaner.clean(TP, log);

            List<Record> records = readAll(log);
            Map<String, Integer> copies = new HashMap<>();
            for (Record record : records) {
                copies.merge(text(record.key()), 1, Integer::sum);
            }
            for (Map.Entry<String, String> e : lastValue.entrySet()) {
                if (e.getValue() != null) {
                    assertThat(copies.get(e.getKey())).as("copies of live key %s", e.getKey()).isEqualTo(1);
                } else {
                    assertThat(copies.get(e.getKey())).as("copies of deleted key %s", e.getKey()).isNull();
                }
            }
            log.close();
            // Reopened (indexes and all), it reads the same.
            PartitionLog reopened = PartitionLog.open(dataDir.resolve(TP.toString()), config, clock);
            log = reopened;
            assertThat(readAll(reopened)).isEqualTo(records);
        } finally {
            log.close();
            LogManager.deleteRecursively(dataDir);
        }
    }

    static void assertHoldsTheLastWrites(PartitionLog log, Map<String, Long> lastOffset,
                                         Map<String, String> lastValue, Map<Long, Long> tombstoneDeadline, long now) {
        List<Record> records = readAll(log);
        List<Long> offsets = new ArrayList<>();
        Map<String, Record> lastStored = new HashMap<>();
        for (Record record : records) {
            offsets.add(record.offset());
            lastStored.put(text(record.key()), record);
        }
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
        for (Map.Entry<String, Long> e : lastOffset.entrySet()) {
            Record stored = lastStored.get(e.getKey());
            String value = lastValue.get(e.getKey());
            if (value == null) {
                Long deadline = tombstoneDeadline.get(e.getValue());
                if (stored == null) {
                    assertThat(deadline).as("tombstone of %s at %s removed", e.getKey(), e.getValue()).isNotNull();
                    assertThat(now).as("tombstone of %s removed before its delete retention ran out", e.getKey())
                            .isGreaterThanOrEqualTo(deadline);
                    continue;
                }
            }
            assertThat(stored).as("key %s", e.getKey()).isNotNull();
            assertThat(stored.offset()).as("offset of the last write of %s", e.getKey()).isEqualTo(e.getValue());
            assertThat(text(stored.value())).isEqualTo(value);
        }
    }
}
