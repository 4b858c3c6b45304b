package io.sluice.coordinator.group;

import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicProtocol;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * A consumer group holding members of both protocols: consumer-protocol members (KIP-848 heartbeats) and classic
 * consumers, eager and cooperative, which learn of changes only from heartbeat answers and give partitions up only by
 * joining again. Whatever they do — join, heartbeat, rejoin when told, keep reading past a rebalance, leave, time out,
 * and however the topic grows — no partition is read by two clients at once, and once every client follows the
 * protocol the group settles on a balanced assignment that every client reads.
 */
class MixedGroupProperties {

    private static final GroupSettings SETTINGS = new GroupSettings(45_000, 100, 1_800_000, 300_000, 1_800_000, 5_000,
            4096);

    enum Kind { CONSUMER, EAGER, COOPERATIVE }

    enum Action { JOIN, POLL, POLL_LATE, LEAVE, TIME_OUT, GROW }

    record Step(Action action, int client, Kind kind) {
    }

    @Property
    void noPartitionIsReadByTwoClientsAndTheGroupSettles(@ForAll("histories") List<Step> history) {
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
                Tuple.of(3, Arbitraries.just(Action.JOIN)),
                Tuple.of(6, Arbitraries.just(Action.POLL)),
                Tuple.of(3, Arbitraries.just(Action.POLL_LATE)),
                Tuple.of(1, Arbitraries.just(Action.LEAVE)),
                Tuple.of(1, Arbitraries.just(Action.TIME_OUT)),
                Tuple.of(1, Arbitraries.just(Action.GROW)));
        return Combinators.combine(actions, Arbitraries.integers().between(0, 4), Arbitraries.of(Kind.class))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(50);
    }

    /** One group, one topic, up to five clients; what each client reads is what it owns locally. */
    private static final class Simulation {

        private ConsumerGroup group;
        private int partitions = 6;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, Client> clients = new HashMap<>();

        void apply(Step step) {
            Client client = clients.get(step.client());
            switch (step.action()) {
                case JOIN -> {
                    if (client == null) {
                        Client joined = new Client(step.kind());
                        clients.put(step.client(), joined);
                        if (step.kind() == Kind.CONSUMER) {
                            GroupHeartbeatResponse answer = heartbeat(GroupHeartbeatRequest.join(null, List.of("t")));
                            joined.id = answer.memberId();
                            joined.adopt(answer);
                        } else {
                            classicJoin(joined);
                        }
                    }
                }
                // A late poll does what the protocol asks later: a consumer-protocol client keeps reading what was
                // asked back, a classic one does not rejoin yet.
                case POLL, POLL_LATE -> {
                    if (client != null) {
                        poll(step.client(), client, step.action() == Action.POLL);
                    }
                }
                case LEAVE -> {
                    if (client != null) {
                        if (client.kind == Kind.CONSUMER) {
                            heartbeat(GroupHeartbeatRequest.leave(client.id));
                        } else {
                            group = ClassicMemberRules.leave(group, "g", new ClassicLeaveRequest(
                                    List.of(new ClassicLeaveRequest.Leaving(client.id, null))), view()).after();
                        }
                        clients.remove(step.client());
                    }
                }
                case TIME_OUT -> {
                    if (client != null) {
                        group = GroupRules.sweep(group, Set.of(client.id), view(), null).after();
                        clients.remove(step.client());
                    }
                }
                case GROW -> {
                    if (partitions < 10) {
                        partitions++;
                        if (group != null) {
                            group = GroupRules.sweep(group, Set.of(), view(), null).after();
                        }
                    }
                }
            }
        }

        private void poll(int key, Client client, boolean follow) {
            if (client.kind == Kind.CONSUMER) {
                GroupHeartbeatResponse answer = heartbeat(GroupHeartbeatRequest.heartbeat(client.id, client.epoch,
                        TestMember.topicPartitions(client.owned)));
                if (follow) {
                    client.owned.retainAll(TestMember.partitions(answer.assignment()));
                }
                client.owned.addAll(TestMember.partitions(answer.assignment()));
                client.epoch = answer.memberEpoch();
                return;
            }
            if (client.syncing) {
                classicSync(key, client);
                return;
            }
            try {
                ClassicMemberRules.heartbeat(group, "g", new ClassicHeartbeatRequest(client.id, null, client.epoch));
            } catch (SluiceException e) {
                if (e.errorCode() == ErrorCode.UNKNOWN_MEMBER) {
                    clients.remove(key);
                } else if (follow) {
                    classicJoin(client);
                }
            }
        }

        /**
         * A classic client's join: an eager one gives everything up first, a cooperative one names what it still
         * reads. Its sync comes at its next poll; other members act in between.
         */
        private void classicJoin(Client client) {
            if (client.kind == Kind.EAGER) {
                client.owned.clear();
            }
            ClassicJoinRequest join = new ClassicJoinRequest(client.id, null, "consumer", List.of(
                    new ClassicProtocol(client.kind == Kind.EAGER ? "range" : "cooperative-sticky", new byte[0],
                            List.of("t"), TestMember.topicPartitions(client.owned))), 45_000, 60_000, "c", "/h", false);
            GroupDecision<ClassicJoinResponse> joined = ClassicMemberRules.join(group, "g", join, view(), SETTINGS,
                    "classic-" + ids.incrementAndGet());
            group = joined.after();
            client.id = joined.result().memberId();
            client.epoch = joined.result().generationId();
            client.syncing = true;
        }

        /** The sync's answer is what the client reads from then on (a cooperative one drops what it lost). */
        private void classicSync(int key, Client client) {
            try {
                Set<TopicPartition> given = TestMember.partitions(ClassicMemberRules.sync(group, "g",
                        new ClassicSyncRequest(client.id, null, client.epoch, "consumer", null, List.of())).result()
                        .partitions());
                client.owned.clear();
                client.owned.addAll(given);
                client.syncing = false;
            } catch (SluiceException e) {
                if (e.errorCode() == ErrorCode.UNKNOWN_MEMBER) {
                    clients.remove(key);
                } else {
                    classicJoin(client);
                }
            }
        }

        void settle() {
            for (int round = 0; round < 12; round++) {
                for (Map.Entry<Integer, Client> entry : Map.copyOf(clients).entrySet()) {
                    poll(entry.getKey(), entry.getValue(), true);
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
        final Kind kind;
        String id;
        int epoch;
        boolean syncing;
        final Set<TopicPartition> owned = new TreeSet<>();

        Client(Kind kind) {
            this.kind = kind;
        }

        void adopt(GroupHeartbeatResponse answer) {
            epoch = answer.memberEpoch();
            owned.addAll(TestMember.partitions(answer.assignment()));
        }

        @Override
        public String toString() {
            return kind + " " + id + "@" + epoch + " " + owned;
        }
    }
}
