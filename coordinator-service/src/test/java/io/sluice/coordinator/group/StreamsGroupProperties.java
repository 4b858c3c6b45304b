package io.sluice.coordinator.group;

import static io.sluice.coordinator.group.StreamsTestTopology.CHANGELOG;
import static io.sluice.coordinator.group.StreamsTestTopology.LIMITS;
import static io.sluice.coordinator.group.StreamsTestTopology.REPARTITION;
import static io.sluice.coordinator.group.StreamsTestTopology.SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The streams group's promises over generated histories of up to four members (threads) on two or three instances,
 * with one standby replica per stateful task: whatever members do — join, heartbeat and give up at once, heartbeat
 * but keep what was asked back, leave, go silent — no active task is ever held by two members, and no instance ever
 * holds one task twice (its threads share one state directory). A group whose members keep heartbeating settles with
 * every task active exactly once, active counts within one of each other (in total and per subtopology), and each
 * standby on another instance than its active task.
 */
class StreamsGroupProperties {

    private static final StreamsSettings ONE_STANDBY = new StreamsSettings(45_000, 5_000, 1, 60_000, 10_000);
    private static final MetadataView VIEW = StreamsTestTopology.view(Map.of(SOURCE, 5, REPARTITION, 5,
            CHANGELOG, 5));

    enum Action { JOIN, POLL, POLL_HOLDING, LEAVE, TIME_OUT }

    record Step(Action action, int member) {
    }

    @Property
    void noTaskIsEverHeldTwice(@ForAll("histories") List<Step> history) {
        Simulation simulation = new Simulation();
        for (Step step : history) {
            simulation.apply(step);
            simulation.assertNothingHeldTwice();
        }
        simulation.settle();
        simulation.assertNothingHeldTwice();
        simulation.assertSettled();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Action> actions = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Action.JOIN)),
                Tuple.of(6, Arbitraries.just(Action.POLL)),
                Tuple.of(3, Arbitraries.just(Action.POLL_HOLDING)),
                Tuple.of(1, Arbitraries.just(Action.LEAVE)),
                Tuple.of(1, Arbitraries.just(Action.TIME_OUT)));
        return Combinators.combine(actions, Arbitraries.integers().between(0, 3)).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(40);
    }

    private static final class Simulation {

        private ConsumerGroup group;
        private int incarnations;
        private final Map<Integer, Client> clients = new TreeMap<>();

        void apply(Step step) {
            Client client = clients.get(step.member());
            switch (step.action()) {
                case JOIN -> {
                    if (client == null) {
                        // Members 0 and 2 are threads of one instance; 1 and 3 each an instance of their own.
                        String process = step.member() % 2 == 0 ? "process-0" : "process-" + step.member();
                        Client joined = new Client("member-" + step.member() + "-" + incarnations++, process);
                        joined.adopt(heartbeat(StreamsTestTopology.join(joined.id, process)), true);
                        clients.put(step.member(), joined);
                    }
                }
                case POLL, POLL_HOLDING -> {
                    if (client != null) {
                        client.adopt(heartbeat(StreamsTestTopology.heartbeat(client.id, client.epoch,
                                client.held())), step.action() == Action.POLL);
                    }
                }
                case LEAVE -> {
                    if (client != null) {
                        heartbeat(StreamsTestTopology.leave(client.id));
                        clients.remove(step.member());
                    }
                }
                case TIME_OUT -> {
                    if (client != null) {
                        group = GroupRules.sweep(group, Set.of(client.id), VIEW, ONE_STANDBY).after();
                        clients.remove(step.member());
                    }
                }
            }
        }

        void settle() {
            for (int round = 0; round < 6; round++) {
                for (Client client : clients.values()) {
                    client.adopt(heartbeat(StreamsTestTopology.heartbeat(client.id, client.epoch, client.held())),
                            true);
                    assertNothingHeldTwice();
                }
            }
        }

        void assertNothingHeldTwice() {
            Map<TaskId, String> activeHolders = new HashMap<>();
            Map<String, Set<TaskId>> perInstance = new HashMap<>();
            for (Client client : clients.values()) {
                for (TaskId task : client.active) {
                    String other = activeHolders.put(task, client.id);
                    assertThat(other).as("active task " + task + " held by " + other + " and " + client.id).isNull();
                }
                Set<TaskId> instance = perInstance.computeIfAbsent(client.process, p -> new TreeSet<>());
                for (TaskId task : client.held().all()) {
                    assertThat(instance.add(task)).as("instance " + client.process + " holds " + task + " twice")
                            .isTrue();
                }
                Set<TaskId> both = new TreeSet<>(client.active);
                both.retainAll(client.standby);
                assertThat(both).as(client.id + "'s tasks both active and standby").isEmpty();
            }
        }

        void assertSettled() {
            if (clients.isEmpty()) {
                return;
            }
            List<TaskId> active = new ArrayList<>();
            clients.values().forEach(client -> active.addAll(client.active));
            assertThat(active).as("every task active exactly once").hasSize(10).doesNotHaveDuplicates();
            IntSummaryStatistics counts = clients.values().stream().mapToInt(client -> client.active.size())
                    .summaryStatistics();
            assertThat(counts.getMax() - counts.getMin()).as("active tasks balanced").isLessThanOrEqualTo(1);
            for (String subtopology : List.of("0", "1")) {
                IntSummaryStatistics share = clients.values().stream().mapToInt(client -> (int) client.active.stream()
                        .filter(task -> task.subtopology().equals(subtopology)).count()).summaryStatistics();
                assertThat(share.getMax() - share.getMin()).as("subtopology " + subtopology + "'s tasks balanced")
                        .isLessThanOrEqualTo(1);
            }
            Map<TaskId, String> activeInstance = new HashMap<>();
            clients.values().forEach(client -> client.active.forEach(task -> activeInstance.put(task,
                    client.process)));
            long instances = clients.values().stream().map(client -> client.process).distinct().count();
            int standbys = 0;
            for (Client client : clients.values()) {
                for (TaskId task : client.standby) {
                    assertThat(activeInstance.get(task)).as("the standby of " + task).isNotEqualTo(client.process);
                    assertThat(task.subtopology()).as("a standby of a stateful task (subtopology 1's)")
                            .isEqualTo("1");
                    standbys++;
                }
            }
            assertThat(standbys).as("one standby per stateful task when there is another instance")
                    .isEqualTo(instances > 1 ? 5 : 0);
        }

        private StreamsHeartbeatResponse heartbeat(StreamsHeartbeatRequest request) {
            GroupDecision<StreamsRules.Outcome> decision = StreamsRules.heartbeat(group, "app", request, VIEW,
                    ONE_STANDBY, LIMITS);
            group = decision.after();
            return decision.result().response();
        }
    }

    /** A member as its client sees itself: what it holds is what it runs. */
    private static final class Client {
        final String id;
        final String process;
        int epoch;
        final Set<TaskId> active = new TreeSet<>();
        final Set<TaskId> standby = new TreeSet<>();

        Client(String id, String process) {
            this.id = id;
            this.process = process;
        }

        Tasks held() {
            return new Tasks(active, standby, Set.of());
        }

        /** Takes the answer's tasks; gives up what it no longer has only when {@code release}. */
        void adopt(StreamsHeartbeatResponse answer, boolean release) {
            epoch = answer.memberEpoch();
            Tasks assigned = StreamsTestTopology.tasks(answer);
            if (release) {
                active.retainAll(assigned.active());
                standby.retainAll(assigned.standby());
            }
            active.addAll(assigned.active());
            standby.addAll(assigned.standby());
        }
    }
}
