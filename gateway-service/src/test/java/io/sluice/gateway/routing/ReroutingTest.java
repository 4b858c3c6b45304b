package io.sluice.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.routing.Rerouting.Call;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The re-routing policy: which failures each kind of call tries again after, that the next attempt waits for newer
 * metadata (at most the refresh wait, never past the deadline) and goes to the leader it names, and that the last
 * failure is the answer once the deadline passed — on a virtual clock of the test's own.
 */
class ReroutingTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final GatewayProperties.Rerouting SETTINGS =
            new GatewayProperties.Rerouting(Duration.ofSeconds(10), Duration.ofSeconds(3));

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final Sinks.Many<MetadataView> published = Sinks.many().replay().latest();
    private volatile MetadataView current = view(1, 1);
    private final ClusterView cluster = cluster();
    private final Rerouting rerouting = new Rerouting(cluster, SETTINGS, () -> time.now(TimeUnit.NANOSECONDS));
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicInteger retries = new AtomicInteger();

    /** One attempt of a call: when (virtual ms) and to which leader. */
    private record Attempt(long atMs, int leader) {
    }

    /** A gateway's metadata that changes when the test publishes a view, waiting on the test's virtual clock. */
    private ClusterView cluster() {
        ClusterView view = mock(ClusterView.class);
        when(view.current()).thenAnswer(invocation -> current);
        when(view.awaitNewerThan(anyLong(), any())).thenAnswer(invocation -> {
            long version = invocation.getArgument(0);
            Duration wait = invocation.getArgument(1);
            return published.asFlux().filter(newer -> newer.version() > version).next()
                    .timeout(wait, Mono.fromSupplier(() -> current), time);
        });
        return view;
    }

    private void publish(MetadataView view) {
        current = view;
        published.tryEmitNext(view);
    }

    /** Metadata {@code version} in which node {@code leader} (-1: none) leads partition t-0; nodes 1 to 3. */
    private static MetadataView view(long version, int leader) {
        List<NodeInfo> nodes = List.of(node(1), node(2), node(3));
        TopicMetadata topic = new TopicMetadata("t", "id", 3, Map.of(),
                List.of(new PartitionState(0, List.of(1, 2, 3), leader, List.of(1, 2, 3), (int) version, 0)));
        return new MetadataView(new ClusterMetadata(version, null, nodes, List.of(topic)));
    }

    private static NodeInfo node(int id) {
        return new NodeInfo(id, "http://127.0.0.1:" + id, null, NodeStatus.ALIVE);
    }

    /** A read whose attempt number {@code n} (from 1) is answered {@code answer.apply(n)}: a failure, or null for "ok". */
    private Mono<String> read(Duration wait, Function<Integer, ErrorCode> answer) {
        return rerouting.call(Call.READ, () -> rerouting.forRead(wait), retries::incrementAndGet, view -> {
            int leader = ClusterView.leader(view, TP).id();
            attempts.add(new Attempt(time.now(TimeUnit.MILLISECONDS), leader));
            ErrorCode failure = answer.apply(attempts.size());
            return failure == null ? Mono.just("read at node " + leader)
                    : Mono.error(failure.exception("attempt " + attempts.size() + " at node " + leader));
        });
    }

    /** What a call came to, once the virtual clock has run. */
    private static final class Outcome {
        volatile String value;
        volatile Throwable error;
        Disposable subscription;
    }

    private static Outcome subscribe(Mono<String> call) {
        Outcome outcome = new Outcome();
        outcome.subscription = call.subscribe(value -> outcome.value = value, error -> outcome.error = error);
        return outcome;
    }

    @Test
    void aReadThatFoundTheLeaderMovedGoesToTheLeaderNewerMetadataNamesAsSoonAsItArrives() {
        Outcome outcome = subscribe(read(Duration.ZERO, n -> n == 1 ? ErrorCode.NOT_LEADER : null));
        assertThat(outcome.value).as("waits for newer metadata").isNull();
        verify(cluster).awaitNewerThan(eq(1L), any());

        time.advanceTimeBy(Duration.ofMillis(200));
        publish(view(2, 2));

        assertThat(outcome.value).isEqualTo("read at node 2");
        assertThat(attempts).containsExactly(new Attempt(0, 1), new Attempt(200, 2));
        assertThat(retries).hasValue(1);
    }

    @Test
    void withoutNewerMetadataTheNextAttemptGoesAfterTheRefreshWait() {
        Outcome outcome = subscribe(read(Duration.ZERO, n -> n == 1 ? ErrorCode.LEADER_NOT_AVAILABLE : null));

        time.advanceTimeBy(Duration.ofMillis(2_999));
        assertThat(attempts).hasSize(1);
        time.advanceTimeBy(Duration.ofMillis(1));

        assertThat(outcome.value).isEqualTo("read at node 1");
        assertThat(attempts).containsExactly(new Attempt(0, 1), new Attempt(3_000, 1));
    }

    @Test
    void aPartitionWithoutALeaderInTheMetadataIsReadOnceNewerMetadataNamesOne() {
        current = view(1, PartitionState.NO_LEADER);
        Outcome outcome = subscribe(read(Duration.ZERO, n -> null));
        assertThat(attempts).as("no leader to call").isEmpty();

        publish(view(2, 3));

        assertThat(outcome.value).isEqualTo("read at node 3");
    }

    @Test
    void whenTheReadBudgetRunsOutTheLastFailureIsTheAnswerAtTheDeadlineNotLater() {
        Outcome outcome = subscribe(read(Duration.ofSeconds(1),
                n -> n % 2 == 1 ? ErrorCode.NOT_LEADER : ErrorCode.REQUEST_TIMED_OUT));

        time.advanceTimeBy(Duration.ofMillis(10_999));
        assertThat(outcome.error).as("the read's wait and the read budget: 11 s").isNull();
        time.advanceTimeBy(Duration.ofMillis(1));

        // Refresh waits of 3 s, the last one cut to what was left of the deadline.
        assertThat(attempts).extracting(Attempt::atMs).containsExactly(0L, 3_000L, 6_000L, 9_000L, 11_000L);
        assertThat(outcome.error).isInstanceOf(SluiceException.class).hasMessage("attempt 5 at node 1");
        assertThat(((SluiceException) outcome.error).errorCode()).isEqualTo(ErrorCode.NOT_LEADER);
        time.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(attempts).hasSize(5);
    }

    @Test
    void theDeadlineStartsWhenTheCallIsSubscribedToNotWhenItIsBuilt() {
        Mono<String> call = read(Duration.ZERO, n -> ErrorCode.NOT_LEADER);
        time.advanceTimeBy(Duration.ofMinutes(5));

        Outcome outcome = subscribe(call);
        time.advanceTimeBy(Duration.ofMillis(9_999));

        assertThat(outcome.error).isNull();
        assertThat(attempts).hasSize(4);
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"UNKNOWN_TOPIC", "OFFSET_OUT_OF_RANGE", "NOT_ENOUGH_REPLICAS",
            "TOPIC_AUTHORIZATION_FAILED", "UNKNOWN_SERVER_ERROR"})
    void aFailureThatDoesNotMeanTheLeaderMovedIsTheAnswerAtOnceWithoutARefresh(ErrorCode failure) {
        Outcome outcome = subscribe(read(Duration.ZERO, n -> failure));

        assertThat(((SluiceException) outcome.error).errorCode()).isEqualTo(failure);
        assertThat(attempts).hasSize(1);
        assertThat(retries).hasValue(0);
        verify(cluster, never()).awaitNewerThan(anyLong(), any());
    }

    @Test
    void withoutADeadlineAStreamsFetchReRoutesUntilItIsCancelled() {
        Outcome outcome = subscribe(rerouting.call(Call.READ, rerouting::none, () -> { }, view -> {
            attempts.add(new Attempt(time.now(TimeUnit.MILLISECONDS), ClusterView.leader(view, TP).id()));
            return Mono.error(ErrorCode.LEADER_NOT_AVAILABLE.exception("the leader is down"));
        }));

        time.advanceTimeBy(Duration.ofHours(1));
        assertThat(outcome.error).isNull();
        assertThat(attempts).hasSize(1 + 3600 / 3);

        outcome.subscription.dispose();
        time.advanceTimeBy(Duration.ofHours(1));
        assertThat(attempts).hasSize(1 + 3600 / 3);
    }

    @Test
    void thePauseBeforeAProducesNextAttemptNeverOutlastsItsDeadline() {
        Rerouting.Deadline deadline = rerouting.after(Duration.ofSeconds(4));
        List<Long> resumed = new ArrayList<>();
        Runnable pause = () -> rerouting.awaitNewer(current, deadline)
                .subscribe(view -> resumed.add(time.now(TimeUnit.MILLISECONDS)));

        pause.run();
        time.advanceTimeBy(Duration.ofSeconds(3));
        pause.run();
        time.advanceTimeBy(Duration.ofSeconds(1));
        pause.run();
        time.advanceTimeBy(Duration.ofMillis(1));

        assertThat(resumed).as("the refresh wait, what was left of the deadline, then 1 ms past it")
                .containsExactly(3_000L, 4_000L, 4_001L);
        assertThat(deadline.passed()).isTrue();
    }

    /** The failures each kind of call is made again after; any other failure is its answer. */
    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void eachKindOfCallIsMadeAgainOnlyAfterTheFailuresItsSafetyAllows(ErrorCode code) {
        Set<ErrorCode> leaderMoved = EnumSet.of(ErrorCode.NOT_LEADER, ErrorCode.FENCED_LEADER_EPOCH,
                ErrorCode.UNKNOWN_LEADER_EPOCH, ErrorCode.LEADER_NOT_AVAILABLE);
        Set<ErrorCode> read = union(leaderMoved, ErrorCode.REQUEST_TIMED_OUT, ErrorCode.STORAGE_ERROR);
        Set<ErrorCode> stamped = union(leaderMoved, ErrorCode.REQUEST_TIMED_OUT, ErrorCode.NOT_LEADER_AFTER_APPEND,
                ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        Set<ErrorCode> retriable = EnumSet.noneOf(ErrorCode.class);
        Arrays.stream(ErrorCode.values()).filter(ErrorCode::retriable).forEach(retriable::add);

        assertThat(Call.READ.triesAgainAfter(code)).isEqualTo(read.contains(code));
        assertThat(Call.PRODUCE.triesAgainAfter(code)).isEqualTo(leaderMoved.contains(code));
        assertThat(Call.STAMPED_PRODUCE.triesAgainAfter(code)).isEqualTo(stamped.contains(code));
        assertThat(Call.IDEMPOTENT_PRODUCE.triesAgainAfter(code)).isEqualTo(retriable.contains(code));
    }

    @Test
    void aProducesKindFollowsWhatMayBeReSent() {
        assertThat(Call.produce(false, false)).isEqualTo(Call.PRODUCE);
        assertThat(Call.produce(false, true)).isEqualTo(Call.STAMPED_PRODUCE);
        assertThat(Call.produce(true, false)).isEqualTo(Call.IDEMPOTENT_PRODUCE);
        assertThat(Call.produce(true, true)).isEqualTo(Call.IDEMPOTENT_PRODUCE);
    }

    private static Set<ErrorCode> union(Set<ErrorCode> base, ErrorCode... more) {
        Set<ErrorCode> all = EnumSet.copyOf(base);
        all.addAll(List.of(more));
        return all;
    }
}
