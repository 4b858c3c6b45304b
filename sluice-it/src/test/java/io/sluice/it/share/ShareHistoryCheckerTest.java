package io.sluice.it.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.share.ShareHistory.Outcome;
import io.sluice.it.share.ShareHistory.Type;
import io.sluice.it.share.ShareHistoryChecker.Kind;
import io.sluice.it.share.ShareHistoryChecker.Report;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each anomaly the share-history checker names is found in a history made to have it; a clean one has none. */
class ShareHistoryCheckerTest {

    private static final int LIMIT = 3;

    private final ShareHistory history = new ShareHistory();
    private long nextAcquisitionId;

    /** Delivers offset {@code offset} of partition 0 with {@code count} and acknowledges it as {@code type}. */
    private void delivery(long offset, int count, Type type, Outcome outcome) {
        long id = nextAcquisitionId++;
        history.delivered("w" + count, 0, offset, id, count);
        if (type != null) {
            history.acknowledged("w" + count, 0, offset, id, count, type, outcome,
                    outcome == Outcome.REFUSED ? "LOCK_EXPIRED" : null);
        }
    }

    private Report check(long records) {
        return ShareHistoryChecker.check(history, Map.of(0, records), LIMIT);
    }

    @Test
    void aCleanHistoryHasNoAnomaly() {
        delivery(0, 1, Type.ACCEPT, Outcome.TAKEN);
        delivery(1, 1, Type.RELEASE, Outcome.TAKEN);
        delivery(1, 2, Type.REJECT, Outcome.TAKEN);
        delivery(2, 1, null, null);
        delivery(2, 2, Type.ACCEPT, Outcome.REFUSED);
        delivery(2, 3, Type.RELEASE, Outcome.TAKEN);
        delivery(3, 1, Type.ACCEPT, Outcome.UNKNOWN);

        Report report = check(4);

        assertThat(report.anomalies()).isEmpty();
        assertThat(report.accepted()).isEqualTo(2);
        assertThat(report.archived()).isEqualTo(2);
        assertThat(report.redeliveries()).isEqualTo(3);
    }

    @Test
    void aRecordAcceptedByTwoAcquisitionsIsAcceptedTwice() {
        delivery(0, 1, Type.ACCEPT, Outcome.TAKEN);
        delivery(0, 2, Type.ACCEPT, Outcome.TAKEN);

        Report report = check(1);

        assertThat(report.count(Kind.ACCEPTED_TWICE)).isEqualTo(1);
        assertThat(report.count(Kind.DELIVERED_AFTER_ACKNOWLEDGED)).isEqualTo(1);
    }

    @Test
    void aRecordDeliveredAfterItsRejectWasTakenIsFound() {
        delivery(0, 1, Type.REJECT, Outcome.TAKEN);
        delivery(0, 2, null, null);

        assertThat(check(1).count(Kind.DELIVERED_AFTER_ACKNOWLEDGED)).isEqualTo(1);
    }

    @Test
    void deliveriesPastTheLimitAreFound() {
        for (int count = 1; count <= LIMIT + 1; count++) {
            delivery(0, count, Type.RELEASE, Outcome.TAKEN);
        }

        assertThat(check(1).count(Kind.OVER_DELIVERY_LIMIT)).isEqualTo(2);
    }

    @Test
    void oneDeliveryCountHandedToTwoWorkersIsFound() {
        history.delivered("a", 0, 0, 0, 1);
        history.delivered("b", 0, 0, 1, 1);
        history.acknowledged("b", 0, 0, 1, 1, Type.ACCEPT, Outcome.TAKEN, null);

        assertThat(check(1).count(Kind.DELIVERED_TWICE)).isEqualTo(1);
    }

    @Test
    void aRecordReleasedBelowTheLimitAndNeverTakenAgainHasNotEnded() {
        delivery(0, 1, Type.ACCEPT, Outcome.TAKEN);
        delivery(1, 1, Type.RELEASE, Outcome.TAKEN);

        Report report = check(3);

        assertThat(report.count(Kind.NOT_ENDED)).as("offset 1 released, offset 2 never delivered").isEqualTo(2);
    }

    @Test
    void aDeliveryOfARecordNeverProducedIsFound() {
        delivery(0, 1, Type.ACCEPT, Outcome.TAKEN);
        delivery(7, 1, Type.ACCEPT, Outcome.TAKEN);

        assertThat(check(1).count(Kind.UNKNOWN_RECORD)).isEqualTo(1);
    }
}
