package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.readAllValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiered log ({@code remote.storage.enable}): local retention by {@code local.retention.*}, only of what is copied;
 * the sealed segments its leader copies; and a copy of a segment read back as a {@link ReadOnlySegment}.
 */
class TieredRetentionTest {

    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(100 * HOUR);
    @RegisterExtension
    final OpenLogs logs = new OpenLogs(clock);
    private final int batchSize = batch(1, "v00").remaining();

    /** Two single-record batches per segment; record i is stamped {@code 10 - i} hours before now. */
    private PartitionLog logOfFiveSegments(LogConfig config) throws IOException {
        PartitionLog log = logs.open(dir.resolve("t-0"), config.withSegmentBytes(batchSize * 2));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(clock.millis() - (10 - i) * HOUR, "v0" + i), 0);
        }
        log.maybeIncrementHighWatermark(10);
        return log;
    }

    private static LogConfig tiered(Map<String, String> configs) {
        return LogConfig.defaults().withTopicConfigs(configs);
    }

    @Test
    void localRetentionDeletesOnlySegmentsAlreadyCopied() throws IOException {
        PartitionLog log = logOfFiveSegments(tiered(Map.of("remote.storage.enable", "true",
                "local.retention.ms", Long.toString(2 * HOUR), "retention.ms", "-1")));

        // Four sealed segments are past the local limit, but nothing is known copied: all stay.
        assertThat(log.deleteOldSegments()).isZero();

        log.remoteCopiedUpTo(4);
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(4);

        // A copy that ends inside a segment does not let that segment go.
        log.remoteCopiedUpTo(7);
        assertThat(log.deleteOldSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(readAllValues(log)).containsExactly("v06", "v07", "v08", "v09");
    }

    @Test
    void theLocalLimitsReplaceRetentionInATieredLog() throws IOException {
        // retention.ms alone would delete four segments; local.retention.ms = 6 h lets only the two older go.
        PartitionLog log = logOfFiveSegments(tiered(Map.of("remote.storage.enable", "true",
                "retention.ms", Long.toString(2 * HOUR), "local.retention.ms", Long.toString(6 * HOUR))));
        log.remoteCopiedUpTo(10);
        assertThat(log.deleteOldSegments()).isEqualTo(2);

        PartitionLog bySize = logs.open(dir.resolve("s-0"), tiered(Map.of("remote.storage.enable", "true",
                "retention.ms", "-1", "local.retention.bytes", Long.toString(batchSize * 4L)))
                .withSegmentBytes(batchSize * 2));
        for (int i = 0; i < 10; i++) {
            bySize.appendAsLeader(batch(clock.millis(), "v0" + i), 0);
        }
        bySize.maybeIncrementHighWatermark(10);
        bySize.remoteCopiedUpTo(10);
        assertThat(bySize.deleteOldSegments()).isEqualTo(3);
        assertThat(bySize.sizeInBytes()).isEqualTo(batchSize * 4L);
    }

    @Test
    void withoutRemoteStorageTheLocalLimitsAndCopiesMeanNothing() throws IOException {
        PartitionLog log = logOfFiveSegments(tiered(Map.of("local.retention.ms", "0", "retention.ms", "-1")));
        log.remoteCopiedUpTo(10);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void deleteRecordsStillDeletesUncopiedSegmentsOfATieredLog() throws IOException {
        PartitionLog log = logOfFiveSegments(tiered(Map.of("remote.storage.enable", "true")));
        assertThat(log.deleteRecordsBefore(5)).isEqualTo(5);
        assertThat(log.segmentCount()).isEqualTo(3);
    }

    @Test
    void theLeaderCopiesSealedSegmentsBelowTheLastStableOffsetFromTheOneHoldingAnOffset() throws IOException {
        PartitionLog log = logs.open(dir.resolve("c-0"), LogConfig.defaults().withSegmentBytes(batchSize * 2));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(1_000L + i, "v0" + i), 0);
        }
        log.assignEpochStartOffset(3);
        log.maybeIncrementHighWatermark(7);

        // Sealed: [0,1] [2,3] [4,5] [6,7]; the high watermark 7 lets the first three go.
        assertThat(log.sealedSegmentsFrom(0, 10)).extracting(SealedSegment::baseOffset).containsExactly(0L, 2L, 4L);
        assertThat(log.sealedSegmentsFrom(3, 10)).extracting(SealedSegment::baseOffset).containsExactly(2L, 4L);
        assertThat(log.sealedSegmentsFrom(4, 1)).extracting(SealedSegment::baseOffset).containsExactly(4L);
        SealedSegment first = log.sealedSegmentsFrom(0, 1).getFirst();
        assertThat(first.endOffset()).isEqualTo(1);
        assertThat(first.sizeBytes()).isEqualTo(batchSize * 2L);
        assertThat(first.maxTimestamp()).isEqualTo(1_001L);
        assertThat(first.leaderEpochs()).containsExactly(new EpochEntry(0, 0));
        assertThat(Files.size(first.logFile())).isEqualTo(batchSize * 2L);
    }

    @Test
    void aCopyOfASealedSegmentReadsAsTheLogDid() throws IOException {
        PartitionLog log = logs.open(dir.resolve("c-0"), LogConfig.defaults().withSegmentBytes(batchSize * 4)
                .withIndexIntervalBytes(1));
        for (int i = 0; i < 8; i++) {
            log.appendAsLeader(batch(1_000L + i, "v0" + i), 0);
        }
        log.maybeIncrementHighWatermark(8);
        SealedSegment sealed = log.sealedSegmentsFrom(0, 1).getFirst();
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(sealed.logFile(), ReadOnlySegment.logFile(copy, 0));
        Files.copy(sealed.offsetIndex(), ReadOnlySegment.offsetIndexFile(copy, 0));
        Files.copy(sealed.timeIndex(), ReadOnlySegment.timeIndexFile(copy, 0));

        try (ReadOnlySegment segment = ReadOnlySegment.open(copy, 0)) {
            ReadOnlySegment.Read read = segment.read(2, batchSize, 99);
            assertThat(read.nextOffset()).isEqualTo(3);
            assertThat(TestRecords.valuesOf(read.region())).containsExactly("v02");
            ReadOnlySegment.Read rest = segment.read(1, Integer.MAX_VALUE, 99);
            assertThat(TestRecords.valuesOf(rest.region())).containsExactly("v01", "v02", "v03");
            assertThat(segment.read(4, 100, 4).region().isEmpty()).isTrue();
            assertThat(segment.offsetForTimestamp(1_002L, 0)).map(TimestampOffset::offset).contains(2L);
        }
        assertThatThrownBy(() -> ReadOnlySegment.open(copy, 4)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void topicConfigsOfATieredLogAreKafkas() {
        LogConfig config = tiered(Map.of("remote.storage.enable", "TRUE", "local.retention.ms", "5",
                "local.retention.bytes", "-1"));
        assertThat(config.tiered()).isEqualTo(new TieredConfig(true, 5, -1));
        assertThat(LogConfig.defaults().tiered()).isEqualTo(new TieredConfig(false, -2, -2));
        assertThatThrownBy(() -> tiered(Map.of("remote.storage.enable", "yes")))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> tiered(Map.of("local.retention.ms", "-3")))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }
}
