package io.sluice.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The accumulator under any interleaving of callers arriving, leaving and timing out with the leader answering,
 * refusing entries or failing requests: every caller is answered once with exactly what the leader said of its own
 * entries (or the one error that stopped them); nothing is sent twice, nor after it was refused; one internal request
 * carries one acks and stays within the byte bound (unless one request alone is larger) and the in-flight bound, and
 * none of its partitions is in another one in flight; and for every partition, callers' entries reach the leader in
 * arrival order.
 */
class ProduceAccumulatorProperties {

    private static final Duration GRACE = Duration.ofMillis(10);
    private static final List<Duration> TIMEOUTS = List.of(Duration.ZERO, Duration.ofMillis(50), Duration.ofSeconds(30));

    /** One thing that happens: a caller sends, the leader settles a call, a caller leaves, or time passes. */
    sealed interface Step {
    }

    record Send(Acks acks, List<Integer> partitions, int bytes, int timeout) implements Step {
    }

    /** Settles the {@code which}-th unanswered call: all written, odd partitions refused, or failed as a whole. */
    record Settle(int which, int how) implements Step {
    }

    record Leave(int which) implements Step {
    }

    record Tick() implements Step {
    }

    record Scenario(ProduceAccumulator.Limits limits, List<Step> steps) {
    }

    @Property(tries = 400)
    void everyCallerGetsExactlyTheLeadersAnswerForItsOwnEntriesInOrderAndWithinBounds(
            @ForAll("scenarios") Scenario scenario) {
        ScriptedLeader leader = new ScriptedLeader();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ProduceAccumulator accumulator = new ProduceAccumulator(leader, scenario.limits(), meters,
                ProduceAccumulatorTest.sessions(), time, () -> time.now(TimeUnit.NANOSECONDS));
        List<Sent> sent = new ArrayList<>();
        for (Step step : scenario.steps()) {
            switch (step) {
                case Send send -> sent.add(send(accumulator, send, sent.size()));
                case Settle settle -> settle(leader, settle);
                case Leave leave -> {
                    if (!sent.isEmpty()) {
                        sent.get(leave.which() % sent.size()).caller.cancel();
                    }
                }
                case Tick ignored -> time.advanceTimeBy(Duration.ofMillis(20));
            }
        }
        for (int i = 0; i < leader.calls().size(); i++) {
            if (!leader.settled(i)) {
                leader.answer(i);
            }
        }
        time.advanceTimeBy(Duration.ofMinutes(1));

        Map<ByteBuffer, Sent> owners = new IdentityHashMap<>();
        sent.forEach(s -> s.entries.forEach(entry -> owners.put(entry.batches(), s)));
        Map<TopicPartition, Integer> lastArrival = new HashMap<>();
        for (ScriptedLeader.Call call : leader.calls()) {
            assertThat(call.inFlightBefore()).isLessThan(scenario.limits().maxInFlightPerLeader());
            assertThat(call.partitions()).as("partitions already in flight")
                    .noneMatch(call.partitionsInFlight()::contains);
            List<Sent> carried = call.entries().stream().map(entry -> owners.get(entry.batches())).distinct().toList();
            assertThat(carried).allSatisfy(s -> assertThat(s.acks).isEqualTo(call.acks()));
            if (carried.size() > 1) {
                assertThat(call.bytes()).isLessThanOrEqualTo(scenario.limits().maxRequestBytes());
            }
            for (PartitionBatches entry : call.entries()) {
                int arrival = owners.get(entry.batches()).arrival;
                Integer before = lastArrival.put(entry.partition(), arrival);
                assertThat(before == null || before < arrival).as("%s: caller %d after %d", entry.partition(), arrival,
                        before).isTrue();
            }
        }
        Set<ByteBuffer> sentOnce = Collections.newSetFromMap(new IdentityHashMap<>());
        leader.calls().forEach(call -> call.entries().forEach(entry ->
                assertThat(sentOnce.add(entry.batches())).as("no entry sent twice").isTrue()));
        for (Sent s : sent) {
            check(s, leader);
        }
        for (String gauge : List.of("queue.requests", "queue.bytes", "in.flight")) {
            assertThat(meters.find("sluice.gateway.produce." + gauge).gauges()).allSatisfy(g ->
                    assertThat(g.value()).as(gauge).isZero());
        }
    }

    private static void check(Sent s, ScriptedLeader leader) {
        ProduceAccumulatorTest.Caller caller = s.caller;
        if (caller.subscription.isDisposed() && !caller.done()) {
            return; // left before its answer
        }
        List<Object> outcomes = s.entries.stream().map(entry -> leader.outcome(entry.batches())).toList();
        assertThat(caller.done()).as("caller %d answered", s.arrival).isTrue();
        if (caller.error == null) {
            assertThat(caller.results).as("caller %d: the leader's own results for its entries", s.arrival)
                    .hasSize(outcomes.size());
            for (int i = 0; i < outcomes.size(); i++) {
                assertThat(caller.results.get(i)).isSameAs(outcomes.get(i));
            }
            return;
        }
        ErrorCode code = ((SluiceException) caller.error).errorCode();
        boolean sentAtAll = outcomes.stream().anyMatch(o -> o != null);
        switch (code) {
            case THROTTLED -> assertThat(sentAtAll).as("a refused request is never sent").isFalse();
            case REQUEST_TIMED_OUT -> {
                if (caller.error.getMessage().contains("not sent")) {
                    assertThat(sentAtAll).as("an expired waiting request is never sent").isFalse();
                } else {
                    assertThat(sentAtAll).as("timed out in flight, or the leader's own time-out").isTrue();
                }
            }
            default -> assertThat(outcomes).as("caller %d: the error of the request that carried it", s.arrival)
                    .allSatisfy(o -> assertThat(o).isSameAs(caller.error));
        }
    }

    private static Sent send(ProduceAccumulator accumulator, Send send, int arrival) {
        List<PartitionBatches> entries = send.partitions().stream()
                .map(p -> new PartitionBatches(new TopicPartition("t", p), 0, ByteBuffer.allocate(send.bytes())))
                .toList();
        ProduceAccumulatorTest.Caller caller = new ProduceAccumulatorTest.Caller();
        caller.subscription = accumulator.produce(ScriptedLeader.NODE, entries, send.acks(),
                        TIMEOUTS.get(send.timeout()))
                .subscribe(results -> caller.results = results, error -> caller.error = error);
        return new Sent(arrival, send.acks(), entries, caller);
    }

    private static void settle(ScriptedLeader leader, Settle settle) {
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < leader.calls().size(); i++) {
            if (!leader.settled(i)) {
                open.add(i);
            }
        }
        if (open.isEmpty()) {
            return;
        }
        int call = open.get(settle.which() % open.size());
        switch (settle.how()) {
            case 0 -> leader.answer(call, entry -> entry.partition().partition() % 2 == 1 ? ErrorCode.NOT_LEADER : null);
            case 1 -> leader.fail(call, ErrorCode.REQUEST_TIMED_OUT.exception("no answer"));
            default -> leader.answer(call);
        }
    }

    private record Sent(int arrival, Acks acks, List<PartitionBatches> entries, ProduceAccumulatorTest.Caller caller) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<ProduceAccumulator.Limits> limits = Combinators.combine(Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(50, 500), Arbitraries.integers().between(1, 8),
                        Arbitraries.integers().between(100, 2000))
                .as((inFlight, requestBytes, queuedRequests, queuedBytes) -> new ProduceAccumulator.Limits(inFlight,
                        requestBytes, queuedRequests, queuedBytes, GRACE));
        Arbitrary<Step> send = Combinators.combine(Arbitraries.of(Acks.class),
                        Arbitraries.integers().between(0, 3).set().ofMinSize(1).ofMaxSize(2)
                                .map(set -> set.stream().sorted().toList()),
                        Arbitraries.integers().between(1, 300), Arbitraries.integers().between(0, TIMEOUTS.size() - 1))
                .as(Send::new);
        Arbitrary<Step> settle = Combinators.combine(Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 5)).as(Settle::new);
        Arbitrary<Step> leave = Arbitraries.integers().between(0, 50).map(Leave::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(6, send), Tuple.of(4, settle), Tuple.of(1, leave), Tuple.of(1, Arbitraries.just(new Tick())));
        return Combinators.combine(limits, step.list().ofMaxSize(60)).as(Scenario::new);
    }
}
