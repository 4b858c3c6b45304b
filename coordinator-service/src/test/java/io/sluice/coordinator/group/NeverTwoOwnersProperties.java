package io.sluice.coordinator.group;

import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The state machine's central promise over generated histories: whatever members do — join, heartbeat and release at
 * once, heartbeat but keep reading what was asked back, leave, time out — however the topic grows, and whatever resets
 * are forced under them, no partition
 * is ever read by two members at once, and a group whose members keep releasing settles on a balanced assignment.
 */
class NeverTwoOwnersProperties {

    private static final GroupSettings SETTINGS = new GroupSettings(45_000, 100, 1_800_000, 300_000, 1_800_000, 5_000,
            4096);

    enum Action { JOIN, POLL, POLL_HOLDING, LEAVE, TIME_OUT, GROW, FORCED_RESET }

    record Step(Action action, int member) {
    }

    @Property
    void noPartitionIsEverOwnedByTwoMembers(@ForAll("histories") List<Step> history) {
        Simulation simulation = new Simulation();
        for (Step step : history) {
            simulation.apply(step);
            simulation.assertNoPartitionHasTwoReaders();
        }
        simulation.settle();
        simulation.assertNoPartitionHasTwoReaders();
        simulation.assertBalanced();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Action> actions = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Action.JOIN)),
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Action.POLL)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Action.POLL_HOLDING)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Action.LEAVE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Action.TIME_OUT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Action.GROW)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Action.FORCED_RESET)));
        return net.jqwik.api.Combinators.combine(actions, Arbitraries.integers().between(0, 3)).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(40);
    }

    /** One group, one topic, up to four clients; what each client reads is what it owns locally. */
    private static final class Simulation {

        private ConsumerGroup group;
        private int partitions = 5;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, Client> clients = new HashMap<>();

        void apply(Step step) {
            Client client = clients.get(step.member());
            switch (step.action()) {
                case JOIN -> {
                    if (client == null) {
                        GroupHeartbeatResponse answer = heartbeat(GroupHeartbeatRequest.join(null, List.of("t")));
                        Client joined = new Client(answer.memberId());
                        joined.adopt(answer, true);
                        clients.put(step.member(), joined);
                    }
                }
                case POLL, POLL_HOLDING -> {
                    if (client != null) {
                        client.adopt(heartbeat(GroupHeartbeatRequest.heartbeat(client.id, client.epoch,
                                TestMember.topicPartitions(client.owned))), step.action() == Action.POLL);
                    }
                }
                case LEAVE -> {
                    if (client != null) {
                        heartbeat(GroupHeartbeatRequest.leave(client.id));
                        clients.remove(step.member());
                    }
                }
                case TIME_OUT -> {
                    if (client != null) {
                        // Its session expired: the sweep removes it, and its client stops reading. (A real client
                        // learns it only at its next call, UNKNOWN_MEMBER; until then only its commits are fenced.)
                        group = GroupRules.sweep(group, Set.of(client.id), view(), null).after();
                        clients.remove(step.member());
                    }
                }
                case FORCED_RESET -> {
                    // The reset partitions are taken back from their owners, who read them again once released.
                    List<PartitionOffset> offsets = new ArrayList<>();
                    for (int p = step.member() % 2; p < partitions; p += 2) {
                        offsets.add(PartitionOffset.of("t", p, 0));
                    }
                    group = GroupRules.reset(group, "g", new OffsetResetRequest(offsets, true, false), view(), SETTINGS,
                            0).after();
                }
                case GROW -> {
                    if (partitions < 9) {
                        partitions++;
                        if (group != null) {
                            group = GroupRules.sweep(group, Set.of(), view(), null).after();
                        }
                    }
                }
            }
        }

        void settle() {
            for (int round = 0; round < 6; round++) {
                for (Client client : clients.values()) {
                    client.adopt(heartbeat(GroupHeartbeatRequest.heartbeat(client.id, client.epoch,
                            TestMember.topicPartitions(client.owned))), true);
                    assertNoPartitionHasTwoReaders();
                }
            }
        }

        void assertNoPartitionHasTwoReaders() {
            SimulatedReads.assertNoPartitionHasTwoReaders(clients.values().stream().map(c -> c.owned).toList(), group,
                    clients);
        }

        void assertBalanced() {
            SimulatedReads.assertBalanced(clients.values().stream().map(c -> c.owned).toList(), partitions, clients);
        }

        private GroupHeartbeatResponse heartbeat(GroupHeartbeatRequest request) {
            GroupDecision<GroupHeartbeatResponse> decision = GroupRules.heartbeat(group, "g", request, view(), SETTINGS,
                    () -> "member-" + ids.incrementAndGet());
            group = decision.after();
            return decision.result();
        }

        private MetadataView view() {
            return OneTopic.view(partitions);
        }
    }

    private static final class Client {
        final String id;
        int epoch;
        final Set<TopicPartition> owned = new TreeSet<>();

        Client(String id) {
            this.id = id;
        }

        void adopt(GroupHeartbeatResponse answer, boolean release) {
            epoch = answer.memberEpoch();
            Set<TopicPartition> assigned = TestMember.partitions(answer.assignment());
            if (release) {
                owned.retainAll(assigned);
            }
            owned.addAll(assigned);
        }
    }
}
