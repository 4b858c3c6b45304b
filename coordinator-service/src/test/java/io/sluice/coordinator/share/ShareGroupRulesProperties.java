package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.RecordState;
import io.sluice.internal.share.SharePartitionDescription;
import io.sluice.internal.share.SharePartitionDescription.DeliveryCount;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetRequest.PartitionStart;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The whole-group rules over generated share-partitions (a dense log of 30 records, three members taking and
 * acknowledging by range while time passes), each checked against the share-partition's own records:
 * <ul>
 *   <li>a description counts every in-flight record once by state and once by delivery count, and its lag is the
 *       records from the start offset to the high watermark that are not accepted or archived;</li>
 *   <li>a reset or a delete is refused exactly when a record is held under a lock that has not ended, and a refused
 *       one leaves the share-partition as it was (its ended locks ended);</li>
 *   <li>an accepted reset starts the share-partition at the offset with nothing in flight, acquisition ids unreused.</li>
 * </ul>
 */
class ShareGroupRulesProperties {

    private static final long LOCK_MS = 1_000;
    private static final int RECORDS = 30;
    private static final ShareLimits LIMITS = new ShareLimits(12, 3, Duration.ofMillis(LOCK_MS));
    private static final TopicPartition TP = new TopicPartition("jobs", 0);

    record Step(int member, int kind, int a, int b) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, RECORDS - 1), Arbitraries.integers().between(0, 5))
                .as(Step::new).list().ofMaxSize(40);
    }

    /** Plays the history on a share-partition starting at 0; returns it and the time it ends at. */
    private static Map.Entry<SharePartition, Long> play(List<Step> history) {
        SharePartition partition = SharePartition.startingAt(0, LIMITS);
        long[] offsets = new long[RECORDS];
        Arrays.setAll(offsets, i -> i);
        long now = 1_000_000;
        for (Step step : history) {
            String member = "m" + step.member();
            switch (step.kind()) {
                case 0, 1 -> {
                    partition.expire(now);
                    long from = partition.endOffset();
                    partition.acquire(member, 1 + step.b(), LogSlice.of(from, RECORDS,
                            Arrays.copyOfRange(offsets, (int) from, RECORDS)), now);
                }
                case 2, 3 -> {
                    long first = Math.max(partition.startOffset(), step.a());
                    long last = Math.min(partition.endOffset() - 1, first + step.b());
                    if (first <= last) {
                        AcknowledgeType type = AcknowledgeType.values()[(step.a() + step.b()) % 4];
                        partition.acknowledge(member, List.of(Acknowledgement.range(first, last, type)), now);
                    }
                }
                default -> now += step.b() * LOCK_MS / 3;
            }
        }
        return Map.entry(partition, now);
    }

    @Property(tries = 300)
    void aDescriptionCountsEveryRecordOnceAndItsLagIsTheRecordsNotDone(@ForAll("histories") List<Step> history,
                                                                      @ForAll @IntRange(max = 3) int ticks) {
        Map.Entry<SharePartition, Long> played = play(history);
        long now = played.getValue() + ticks * LOCK_MS / 2;
        SharePartition expected = copy(played.getKey());
        expected.expire(now);

        SharePartitionDescription description = ShareGroupRules.describe("g", group(played.getKey()), now)
                .partitions().getFirst();

        List<InFlightRecord> window = expected.inFlightRecords();
        assertThat(description.inFlight()).isEqualTo(window.size());
        assertThat(description.deliveryCounts().stream().mapToInt(DeliveryCount::records).sum()).isEqualTo(window.size());
        assertThat(description.acquired()).isEqualTo(expected.acquiredCount());
        long notDone = 0;
        for (long offset = expected.startOffset(); offset < RECORDS; offset++) {
            InFlightRecord record = expected.inFlightRecord(offset);
            notDone += record == null || !record.state().terminal() ? 1 : 0;
        }
        assertThat(description.lag(RECORDS)).isEqualTo(notDone);
    }

    @Property(tries = 300)
    void aResetOrDeleteIsRefusedExactlyWhileALockIsLiveAndThenChangesNothing(@ForAll("histories") List<Step> history,
                                                                           @ForAll @IntRange(max = 3) int ticks,
                                                                           @ForAll @IntRange(max = RECORDS) int to) {
        Map.Entry<SharePartition, Long> played = play(history);
        long now = played.getValue() + ticks * LOCK_MS / 2;
        boolean live = played.getKey().inFlightRecords().stream()
                .anyMatch(r -> r.state() == RecordState.ACQUIRED && r.lockDeadlineMs() > now);
        SharePartition expired = copy(played.getKey());
        expired.expire(now);
        Map<TopicPartition, SharePartition> group = group(copy(played.getKey()));
        ShareResetRequest reset = new ShareResetRequest(List.of(new PartitionStart(TP.topic(), TP.partition(),
                (long) to, 0L, (long) RECORDS)), false);

        if (live) {
            assertRefused(() -> ShareGroupRules.reset("g", group, reset, LIMITS, now));
            assertRefused(() -> ShareGroupRules.delete("g", group, now));
            assertThat(SharePartitionJson.write(group.get(TP))).isEqualTo(SharePartitionJson.write(expired));
        } else {
            SharePartition after = ShareGroupRules.reset("g", group, reset, LIMITS, now).writes().get(TP);
            assertThat(after.startOffset()).isEqualTo(to);
            assertThat(after.inFlightRecords()).isEmpty();
            assertThat(after.nextAcquisitionId()).isEqualTo(played.getKey().nextAcquisitionId());
            assertThat(ShareGroupRules.delete("g", group, now).writes()).containsOnlyKeys(TP);
        }
    }

    private static void assertRefused(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NON_EMPTY_GROUP));
    }

    private static SharePartition copy(SharePartition partition) {
        return SharePartitionJson.read(SharePartitionJson.write(partition), LIMITS);
    }

    private static Map<TopicPartition, SharePartition> group(SharePartition partition) {
        Map<TopicPartition, SharePartition> group = new TreeMap<>();
        group.put(TP, partition);
        return group;
    }
}
