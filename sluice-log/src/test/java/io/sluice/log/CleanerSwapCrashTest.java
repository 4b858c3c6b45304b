package io.sluice.log;

import static io.sluice.log.CompactedLogs.TP;
import static io.sluice.log.CompactedLogs.commit;
import static io.sluice.log.CompactedLogs.keyed;
import static io.sluice.log.CompactedLogs.put;
import static io.sluice.log.CompactedLogs.readAll;
import static io.sluice.log.CompactedLogs.text;
import static io.sluice.log.CompactedLogs.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.record.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A crash at every step of the cleaner's segment swap: the log reopens valid (offsets increasing, indexes rebuilt, no
 * leftover files) holding the latest write of every key, either as before the cleaning or as after it, and a later
 * cleaning completes.
 */
class CleanerSwapCrashTest {

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(1_000_000);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);

    private PartitionLog open(LogConfig config) throws IOException {
        return logs.open(dataDir.resolve(TP.toString()), config);
    }

    /** Thrown by the swap hook: the disk failing, or the process dying, at that step. */
    private static final class Crash extends IOException {
        Crash(SwapStep step) {
            super("simulated crash after " + step);
        }
    }

    @ParameterizedTest(name = "crash after {0}")
    @EnumSource(SwapStep.class)
    void aCrashAtAnyStepOfTheSwapRecoversToAValidLogWithEveryLatestWrite(SwapStep crashAt) throws Exception {
        // Small segments merge into one group of three, so the swap replaces several files.
        LogConfig config = CompactedLogs.config(Long.MAX_VALUE);
        PartitionLog log = open(config);
        log.appendAsLeader(keyed(clock.millis(), put("a", "1"), put("b", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2"), put("c", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), tombstone("b"), put("d", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("c", "2")), 0);
        log.updateConfig(config.withSegmentBytes(1 << 20));
        log.appendAsLeader(keyed(clock.millis(), put("a", "3")), 0); // goes in the active segment with c=2
        log.updateConfig(config);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        log.updateConfig(config.withSegmentBytes(1 << 20));
        commit(log);
        Map<String, String> latest = Map.of("a", "3", "b", "<tombstone>", "c", "2", "d", "1", "z", "active");
        long logEnd = log.logEndOffset();

        LogCleaner crashing = CompactedLogs.cleaner(log, dataDir, clock, step -> {
            if (step == crashAt) {
                throw new Crash(step);
            }
        });
        assertThatThrownBy(() -> crashing.clean(TP, log)).satisfies(e -> assertThat(e)
                .hasStackTraceContaining("simulated crash after " + crashAt));
        logs.crash(log);

        PartitionLog recovered = open(config.withSegmentBytes(1 << 20));

        assertThat(lastWrites(recovered)).isEqualTo(latest);
        assertThat(readAll(recovered)).extracting(Record::offset).isSorted().doesNotHaveDuplicates();
        assertThat(recovered.logEndOffset()).isEqualTo(logEnd);
        try (Stream<Path> files = Files.list(recovered.directory())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".cleaned")
                    || name.endsWith(".swap") || name.endsWith(".deleted"));
        }
        // Every segment's indexes serve reads at every offset.
        for (long offset = recovered.logStartOffset(); offset < recovered.logEndOffset(); offset++) {
            assertThat(recovered.read(offset, 4096, FetchIsolation.LOG_END, true).records().isEmpty()).isFalse();
        }

        commit(recovered);
        CompactedLogs.cleaner(recovered, dataDir, clock, SwapSteps.NONE).clean(TP, recovered);
        assertThat(lastWrites(recovered)).isEqualTo(latest);
        assertThat(readAll(recovered)).extracting(r -> text(r.key()))
                .containsExactly("b", "d", "c", "a", "z");
    }

    @Test
    void aCleanedSegmentLeftWithoutASwapMarkerIsDeletedOnOpenAndTheOldSegmentsStay() throws Exception {
        PartitionLog log = open(CompactedLogs.config(Long.MAX_VALUE));
        log.appendAsLeader(keyed(clock.millis(), put("a", "1")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("a", "2")), 0);
        log.appendAsLeader(keyed(clock.millis(), put("z", "active")), 0);
        commit(log);
        // The process died while the cleaner wrote: a cleaned segment (here: of the first segment alone, empty) and
        // no marker.
        LogSegment cleaned = log.createCleanedSegment(0);
        cleaned.flush();
        logs.crash(log);
        cleaned.channel().close();

        PartitionLog recovered = open(CompactedLogs.config(Long.MAX_VALUE));

        assertThat(readAll(recovered)).extracting(r -> text(r.value())).containsExactly("1", "2", "active");
        try (Stream<Path> files = Files.list(recovered.directory())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.endsWith(".cleaned"));
        }
    }

    private static Map<String, String> lastWrites(PartitionLog log) {
        Map<String, String> last = new HashMap<>();
        for (Record record : readAll(log)) {
            last.put(text(record.key()), record.value() == null ? "<tombstone>" : text(record.value()));
        }
        return last;
    }
}
