package io.sluice.coordinator.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataDelta;
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class MetadataFeedTest {

    List<Long> followersAhead = new java.util.ArrayList<>();
    MetadataFeed feed = new MetadataFeed(3, followersAhead::add);
    ClusterMetadata current;

    @BeforeEach
    void startAtVersion10() {
        current = new ClusterMetadata(10, null, List.of(), List.of());
        feed.reset(current);
    }

    @Test
    void aFollowerJustBehindGetsTheDeltasInOrder() {
        append(11);
        append(12);

        MetadataUpdate update = feed.updateSince(10);

        assertThat(update.snapshot()).isNull();
        assertThat(update.deltas()).extracting(MetadataDelta::version).containsExactly(11L, 12L);
        assertThat(update.applyTo(new ClusterMetadata(10, null, List.of(), List.of())).nodes()).hasSize(2);
    }

    @Test
    void aFollowerBeyondTheHistoryGetsASnapshot() {
        for (long v = 11; v <= 15; v++) {
            append(v);
        }

        assertThat(feed.updateSince(12).deltas()).extracting(MetadataDelta::version).containsExactly(13L, 14L, 15L);
        assertThat(feed.updateSince(11).snapshot()).isEqualTo(current);
        assertThat(feed.updateSince(-1).snapshot()).isEqualTo(current);
    }

    @Test
    void aFollowerAheadOfThisHistoryGetsASnapshotAndRaisesTheAlarm() {
        assertThat(feed.updateSince(99).snapshot()).isEqualTo(current);

        assertThat(followersAhead).containsExactly(99L);
    }

    @Test
    void followersAtOrBehindThisVersionRaiseNoAlarm() {
        append(11);
        feed.updateSince(10);
        feed.updateSince(11);
        feed.updateSince(0);

        assertThat(followersAhead).isEmpty();
    }

    @Test
    void aLongPollWakesOnTheNextVersion() {
        StepVerifier.create(feed.poll(10, Duration.ofSeconds(5)))
                .then(() -> append(11))
                .assertNext(update -> assertThat(update.version()).isEqualTo(11))
                .verifyComplete();
    }

    @Test
    void aLongPollWithNothingNewAnswersEmptyAfterItsWait() {
        // A virtual scheduler of the test's own: withVirtualTime would replace the global one for every timer in the JVM.
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        StepVerifier.create(feed.poll(10, Duration.ofSeconds(30), time))
                .then(() -> time.advanceTimeBy(Duration.ofSeconds(30)))
                .assertNext(update -> {
                    assertThat(update.version()).isEqualTo(10);
                    assertThat(update.deltas()).isEmpty();
                })
                .verifyComplete();
    }

    @Test
    void aStreamDeliversEveryVersionInOrder() {
        StepVerifier.create(feed.stream(10).take(3))
                .then(() -> append(11))
                .assertNext(u -> assertThat(u.version()).isEqualTo(11))
                .then(() -> append(12))
                .assertNext(u -> assertThat(u.version()).isEqualTo(12))
                .then(() -> append(13))
                .assertNext(u -> assertThat(u.deltas()).extracting(MetadataDelta::version).containsExactly(13L))
                .verifyComplete();
    }

    private void append(long version) {
        NodeInfo node = new NodeInfo((int) version, "http://127.0.0.1:" + version, null, NodeStatus.ALIVE);
        MetadataDelta delta = new MetadataDelta(version, List.of(node), List.of(), List.of());
        current = current.apply(delta);
        feed.append(delta, current);
    }
}
