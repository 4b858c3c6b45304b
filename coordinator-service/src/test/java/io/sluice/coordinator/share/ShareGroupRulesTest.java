package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.internal.share.ShareOffsetsDeleteResponse;
import io.sluice.internal.share.SharePartitionDescription;
import io.sluice.internal.share.SharePartitionDescription.DeliveryCount;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetRequest.PartitionStart;
import io.sluice.internal.share.ShareResetResponse.StartChange;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The whole-group rules: what a description shows, and when a reset or a delete is refused (changing nothing). */
class ShareGroupRulesTest {

    private static final ShareLimits LIMITS = new ShareLimits(100, 3, Duration.ofSeconds(30));
    private static final long NOW = 1_700_000_000_000L;
    private static final long LOCK_ENDED = NOW + LIMITS.lockDurationMs();
    private static final TopicPartition JOBS_0 = new TopicPartition("jobs", 0);
    private static final TopicPartition JOBS_1 = new TopicPartition("jobs", 1);
    private static final TopicPartition MAIL_0 = new TopicPartition("mail", 0);

    /** jobs-0 at 10: w1 holds 10 and 11, 12 accepted, 13 released once (available, delivered once), all from NOW. */
    private static Map<TopicPartition, SharePartition> group() {
        SharePartition jobs = SharePartition.startingAt(10, LIMITS);
        List<AcquiredRecord> taken = jobs.acquire("w1", 4, slice(10, 14), NOW);
        jobs.acknowledge("w1", List.of(Acknowledgement.of(taken.get(2).acquisitionId(), AcknowledgeType.ACCEPT),
                Acknowledgement.of(taken.get(3).acquisitionId(), AcknowledgeType.RELEASE)), NOW);
        Map<TopicPartition, SharePartition> group = new TreeMap<>();
        group.put(JOBS_0, jobs);
        group.put(MAIL_0, SharePartition.startingAt(3, LIMITS));
        return group;
    }

    private static LogSlice slice(long from, long to) {
        long[] offsets = new long[(int) (to - from)];
        Arrays.setAll(offsets, i -> from + i);
        return LogSlice.of(from, to, offsets);
    }

    private static Map<TopicPartition, SharePartition> idle() {
        Map<TopicPartition, SharePartition> group = group();
        SharePartition jobs = group.get(JOBS_0);
        jobs.acknowledge("w1", List.of(Acknowledgement.range(10, 11, AcknowledgeType.REJECT)), NOW);
        return group;
    }

    private static ShareResetRequest resetTo(long offset, TopicPartition... partitions) {
        return new ShareResetRequest(Arrays.stream(partitions)
                .map(tp -> new PartitionStart(tp.topic(), tp.partition(), offset, 0L, 50L)).toList(), false);
    }

    private static void assertRefused(Runnable call, ErrorCode expected) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SluiceException.class,
                e -> assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(expected));
    }

    @Test
    void aDescriptionCountsRecordsByStateAndDeliveryCountAndNamesTheHolders() {
        ShareGroupDescription description = ShareGroupRules.describe("g", group(), NOW);

        SharePartitionDescription jobs = description.partitions().getFirst();
        assertThat(jobs.topic()).isEqualTo("jobs");
        assertThat(jobs.startOffset()).isEqualTo(10);
        assertThat(jobs.endOffset()).isEqualTo(14);
        assertThat(List.of(jobs.available(), jobs.acquired(), jobs.acknowledged(), jobs.archived()))
                .containsExactly(1, 2, 1, 0);
        assertThat(jobs.deliveryCounts()).containsExactly(new DeliveryCount(1, 4));
        assertThat(jobs.maxDeliveryCount()).isEqualTo(1);
        // Kafka's lag: records from the start offset to the high watermark, less those already done in the window.
        assertThat(jobs.lag(20)).isEqualTo(20 - 10 - 1);
        assertThat(description.partitions().get(1).inFlight()).isZero();
        assertThat(description.lockHolders()).containsExactly(new ShareGroupDescription.LockHolder("w1", 2));
    }

    @Test
    void aDescriptionCountsALockPastItsDeadlineAsEnded() {
        ShareGroupDescription description = ShareGroupRules.describe("g", group(), LOCK_ENDED);

        assertThat(description.partitions().getFirst().acquired()).isZero();
        assertThat(description.partitions().getFirst().available()).isEqualTo(3);
        assertThat(description.lockHolders()).isEmpty();
    }

    @Test
    void describingOrDeletingAGroupWithoutShareStateIsUnknownGroup() {
        assertRefused(() -> ShareGroupRules.describe("none", Map.of(), NOW), ErrorCode.UNKNOWN_GROUP);
        assertRefused(() -> ShareGroupRules.delete("none", Map.of(), NOW), ErrorCode.UNKNOWN_GROUP);
    }

    @Test
    void aResetWhileAnyRecordIsAcquiredIsRefusedAndChangesNothing() {
        Map<TopicPartition, SharePartition> group = group();
        String before = SharePartitionJson.write(group.get(JOBS_0));

        // The acquired records are in jobs-0; resetting mail-0 alone is refused too: the group is not empty.
        assertRefused(() -> ShareGroupRules.reset("g", group, resetTo(0, MAIL_0), LIMITS, NOW),
                ErrorCode.NON_EMPTY_GROUP);
        assertRefused(() -> ShareGroupRules.reset("g", group, resetTo(0, JOBS_0), LIMITS, NOW + 1000),
                ErrorCode.NON_EMPTY_GROUP);

        assertThat(SharePartitionJson.write(group.get(JOBS_0))).isEqualTo(before);
    }

    @Test
    void aResetMovesTheStartOffsetsOnceTheLocksEndedAndCreatesTheShareGroupsItNames() {
        ShareGroupRules.Change<io.sluice.internal.share.ShareResetResponse> change =
                ShareGroupRules.reset("g", group(), resetTo(40, JOBS_0, JOBS_1), LIMITS, LOCK_ENDED);

        assertThat(change.result().changes()).containsExactly(new StartChange("jobs", 0, 10L, 40),
                new StartChange("jobs", 1, null, 40));
        assertThat(change.writes()).containsOnlyKeys(JOBS_0, JOBS_1);
        SharePartition jobs = change.writes().get(JOBS_0);
        assertThat(jobs.startOffset()).isEqualTo(40);
        assertThat(jobs.inFlightRecords()).isEmpty();
        assertThat(jobs.nextAcquisitionId()).as("acquisition ids are never reused").isEqualTo(4);
    }

    @Test
    void aDryRunAnswersThePlanAndStoresNothing() {
        ShareGroupRules.Change<io.sluice.internal.share.ShareResetResponse> change = ShareGroupRules.reset("g",
                idle(), new ShareResetRequest(List.of(new PartitionStart("jobs", 0, 50L, 0L, 50L)), true), LIMITS, NOW);

        assertThat(change.writes()).isEmpty();
        assertThat(change.result().dryRun()).isTrue();
        assertThat(change.result().changes()).containsExactly(new StartChange("jobs", 0, 13L, 50));
    }

    @Test
    void aMalformedResetOrOneOutsideTheLogIsRefusedAsSuchEvenWhileRecordsAreAcquired() {
        Map<TopicPartition, SharePartition> group = group();
        assertRefused(() -> ShareGroupRules.reset("g", group, new ShareResetRequest(List.of(), false), LIMITS, NOW),
                ErrorCode.INVALID_REQUEST);
        assertRefused(() -> ShareGroupRules.reset("g", group, new ShareResetRequest(List.of(
                new PartitionStart("jobs", 0, null, 0L, 50L)), false), LIMITS, NOW), ErrorCode.INVALID_REQUEST);
        assertRefused(() -> ShareGroupRules.reset("g", group, resetTo(1, JOBS_0, JOBS_0), LIMITS, NOW),
                ErrorCode.INVALID_REQUEST);
        assertRefused(() -> ShareGroupRules.reset("g", group, resetTo(51, JOBS_0), LIMITS, NOW),
                ErrorCode.INVALID_OFFSET);
    }

    @Test
    void aDeleteIsRefusedWhileARecordIsAcquiredAndRemovesEveryShareGroupPartitionOnceTheLocksEnded() {
        assertRefused(() -> ShareGroupRules.delete("g", group(), NOW), ErrorCode.NON_EMPTY_GROUP);

        Map<TopicPartition, SharePartition> writes = ShareGroupRules.delete("g", group(), LOCK_ENDED).writes();

        assertThat(writes).containsOnlyKeys(JOBS_0, MAIL_0);
        assertThat(writes.values()).containsOnlyNulls();
    }

    @Test
    void aDeletedTopicTakesOnlyItsOwnShareGroupPartitions() {
        assertThat(ShareGroupRules.deleteTopic(group(), "jobs").writes()).containsOnlyKeys(JOBS_0);
        assertThat(ShareGroupRules.deleteTopic(group(), "other").writes()).isEmpty();
    }

    /** Kafka's DeleteShareGroupOffsets: the named topics' share-partitions go, the others stay; a missing one is no error. */
    @Test
    void deletingTopicOffsetsRemovesOnlyThoseTopicsShareGroupPartitions() {
        ShareGroupRules.Change<ShareOffsetsDeleteResponse> change = ShareGroupRules.deleteTopics("g", group(),
                List.of("mail", "absent"), NOW);

        assertThat(change.writes()).containsOnlyKeys(MAIL_0);
        assertThat(change.writes().get(MAIL_0)).isNull();
        assertThat(change.result().deletedTopics()).containsExactly("mail");
    }

    @Test
    void deletingTopicOffsetsIsRefusedWhileARecordOfThemIsAcquiredOrForAnUnknownGroupOrNoTopic() {
        assertRefused(() -> ShareGroupRules.deleteTopics("g", group(), List.of("jobs"), NOW),
                ErrorCode.NON_EMPTY_GROUP);
        assertThat(ShareGroupRules.deleteTopics("g", group(), List.of("jobs"), LOCK_ENDED).writes())
                .containsOnlyKeys(JOBS_0);
        assertRefused(() -> ShareGroupRules.deleteTopics("g", Map.of(), List.of("jobs"), NOW),
                ErrorCode.UNKNOWN_GROUP);
        assertRefused(() -> ShareGroupRules.deleteTopics("g", group(), List.of(), NOW), ErrorCode.INVALID_REQUEST);
        assertRefused(() -> ShareGroupRules.deleteTopics("g", group(), List.of("bad name!"), NOW),
                ErrorCode.INVALID_TOPIC_NAME);
    }

    @Test
    void whenAGroupHasMembersButNoShareStateShouldBeListedWithNothingInFlight() {
        ShareGroupListing stored = new ShareGroupListing("b", 2, 4, 1);
        assertThat(ShareGroupRules.withMemberGroups(List.of(stored), List.of("c", "a", "b")))
                .containsExactly(new ShareGroupListing("a", 0, 0, 0), stored, new ShareGroupListing("c", 0, 0, 0));
    }
}
