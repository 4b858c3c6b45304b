package io.sluice.internal.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a remote log serves once DeleteRecords moved its start, and that a log start only rises as views merge. */
class RemoteLogTest {

    private static final RemoteSegment FIRST = finished("seg-a", 0, 99);
    private static final RemoteSegment SECOND = finished("seg-b", 100, 199);

    private static RemoteSegment finished(String id, long base, long end) {
        return new RemoteSegment(id, base, end, 1_700_000_000_000L, 4096, 1, RemoteSegment.State.COPY_FINISHED);
    }

    @Test
    void belowTheLogStartNothingIsServedAndTheStartIsWithinTheFirstSegmentReachingIt() {
        RemoteLog log = new RemoteLog("id-1", 1, 150, List.of(SECOND, FIRST));

        assertThat(log.startOffset()).contains(150L);
        assertThat(log.segmentHolding(149)).isEmpty();
        assertThat(log.segmentHolding(50)).isEmpty();
        assertThat(log.segmentHolding(150)).contains(SECOND);
        assertThat(log.copiedEndOffset()).isEqualTo(200);
    }

    @Test
    void aLogStartPastEveryRemoteSegmentLeavesNoRemoteStart() {
        assertThat(new RemoteLog("id-1", 1, 200, List.of(FIRST, SECOND)).startOffset()).isEmpty();
        assertThat(new RemoteLog("id-1", 1, List.of(FIRST, SECOND)).startOffset()).contains(0L);
    }

    @Test
    void aViewReadBeforeADeleteRecordsKeepsTheHigherStartWhenMerged() {
        RemoteLog raised = new RemoteLog("id-1", 1, 150, List.of(FIRST, SECOND));
        RemoteLog older = new RemoteLog("id-1", 1, 0, List.of(FIRST, SECOND));

        assertThat(older.withLogStartOf(raised).logStartOffset()).isEqualTo(150);
        assertThat(raised.withLogStartOf(older)).isSameAs(raised);
    }
}
