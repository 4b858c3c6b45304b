package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The hand-off order over generated histories (issue 40): members that follow the gateway's member rules
 * (io.sluice.gateway.group.member.Membership) against the coordinator's real state machine ({@link GroupRules}), on a
 * topic whose partitions keep growing. The rules modelled: a partition without a committed offset starts where
 * {@code auto_offset_reset} resolves and that start is committed before it is read; a partition asked back is committed
 * at its position and released only then; a commit the coordinator refuses releases it all the same. Members read,
 * commit, heartbeat (releasing at once, or holding what was asked back), leave, crash (removed at their session
 * timeout, commits after that refused), and resets are forced under them.
 *
 * <p>The promise checked, per partition: every offset from the group's first stored start up to the end of the log
 * reached some member once the members caught up — nothing is skipped — and the stored commit never passes what some
 * member was given. {@link #aMemberThatReadsAStartItDidNotStoreLetsTheNextOwnerSkipRecords} is the positive control:
 * the checker finds the skip of a member that does not store its start (the gateway before issue 40).
 */
class HandOffProperties {

    private static final GroupSettings SETTINGS = new GroupSettings(45_000, 100, 1_800_000, 300_000, 1_800_000, 5_000,
            4096);

    enum Action { JOIN, READ, COMMIT, POLL, POLL_HOLDING, LEAVE, CRASH, ZOMBIE_COMMIT, APPEND, GROW, FORCED_RESET }

    record Step(Action action, int member) {
    }

    @Property
    void aPartitionChangingHandsSkipsNoRecordWithEarliest(@ForAll("histories") List<Step> history) {
        runAndCheck(history, false);
    }

    @Property
    void aPartitionChangingHandsSkipsNoRecordWithLatest(@ForAll("histories") List<Step> history) {
        runAndCheck(history, true);
    }

    private static void runAndCheck(List<Step> history, boolean latest) {
        Simulation simulation = new Simulation(latest, true);
        history.forEach(simulation::apply);
        simulation.catchUp();
        assertThat(simulation.skipped()).as("offsets that reached no member").isEmpty();
        assertThat(simulation.commitsPastDelivered()).as("commits past what any member was given").isEmpty();
    }

    @Example
    void aMemberThatReadsAStartItDidNotStoreLetsTheNextOwnerSkipRecords() {
        Simulation simulation = new Simulation(true, false);
        simulation.apply(new Step(Action.APPEND, 0));
        simulation.apply(new Step(Action.JOIN, 0));
        simulation.apply(new Step(Action.APPEND, 0));
        simulation.apply(new Step(Action.READ, 0));
        simulation.apply(new Step(Action.JOIN, 1));
        simulation.apply(new Step(Action.APPEND, 0));
        // Member 0 releases what member 1 is to have, with nothing stored for it; member 1 starts at the log end.
        simulation.apply(new Step(Action.POLL, 0));
        simulation.apply(new Step(Action.POLL, 1));
        simulation.catchUp();
        assertThat(simulation.skipped()).as("the records between the two latest starts").isNotEmpty();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Action> actions = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Action.JOIN)),
                Tuple.of(6, Arbitraries.just(Action.READ)),
                Tuple.of(2, Arbitraries.just(Action.COMMIT)),
                Tuple.of(5, Arbitraries.just(Action.POLL)),
                Tuple.of(2, Arbitraries.just(Action.POLL_HOLDING)),
                Tuple.of(1, Arbitraries.just(Action.LEAVE)),
                Tuple.of(1, Arbitraries.just(Action.CRASH)),
                Tuple.of(1, Arbitraries.just(Action.ZOMBIE_COMMIT)),
                Tuple.of(4, Arbitraries.just(Action.APPEND)),
                Tuple.of(1, Arbitraries.just(Action.GROW)),
                Tuple.of(1, Arbitraries.just(Action.FORCED_RESET)));
        return Combinators.combine(actions, Arbitraries.integers().between(0, 3)).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(60);
    }

    /** One group on topic {@code t}, up to four clients, the log end of each partition, and who was given what. */
    private static final class Simulation {

        private final boolean latest;
        private final boolean storeStarts;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, Client> clients = new HashMap<>();
        private final List<Client> zombies = new ArrayList<>();
        private final Map<TopicPartition, Long> logEnds = new TreeMap<>();
        private final Map<TopicPartition, Set<Long>> delivered = new TreeMap<>();
        private final Map<TopicPartition, Long> firstStart = new TreeMap<>();
        private final List<String> commitsPastDelivered = new ArrayList<>();
        private ConsumerGroup group;
        private int partitions = 4;
        private long now;

        Simulation(boolean latest, boolean storeStarts) {
            this.latest = latest;
            this.storeStarts = storeStarts;
            for (int p = 0; p < partitions; p++) {
                logEnds.put(new TopicPartition("t", p), 0L);
            }
        }

        void apply(Step step) {
            Client client = clients.get(step.member());
            switch (step.action()) {
                case JOIN -> {
                    if (client == null) {
                        Client joined = new Client();
                        clients.put(step.member(), joined);
                        joined.adopt(heartbeat(GroupHeartbeatRequest.join(null, List.of("t"))), true);
                    }
                }
                case READ -> {
                    if (client != null) {
                        client.read(1 + step.member());
                    }
                }
                case COMMIT -> {
                    if (client != null) {
                        client.commitTick();
                    }
                }
                case POLL, POLL_HOLDING -> {
                    if (client != null) {
                        client.poll(step.action() == Action.POLL);
                    }
                }
                case LEAVE -> {
                    if (client != null) {
                        client.commit(client.settled());
                        heartbeat(GroupHeartbeatRequest.leave(client.id));
                        clients.remove(step.member());
                    }
                }
                case CRASH -> {
                    if (client != null) {
                        // Silent past its session: the sweep removes it; the client lives on as a zombie.
                        group = GroupRules.sweep(group, Set.of(client.id), view(), null).after();
                        clients.remove(step.member());
                        zombies.add(client);
                    }
                }
                case ZOMBIE_COMMIT -> {
                    if (!zombies.isEmpty()) {
                        Client zombie = zombies.get(step.member() % zombies.size());
                        zombie.read(2);
                        zombie.commitTick();
                    }
                }
                case APPEND -> logEnds.replaceAll((tp, end) -> end + 1 + (tp.partition() + step.member()) % 3);
                case GROW -> {
                    if (partitions < 8) {
                        logEnds.put(new TopicPartition("t", partitions++), 0L);
                        if (group != null) {
                            group = GroupRules.sweep(group, Set.of(), view(), null).after();
                        }
                    }
                }
                case FORCED_RESET -> {
                    // Back to the start of what the group was given: a reset may repeat records, never skip them.
                    List<PartitionOffset> offsets = new ArrayList<>();
                    firstStart.forEach((tp, start) -> {
                        if (tp.partition() % 2 == step.member() % 2) {
                            offsets.add(PartitionOffset.of(tp.topic(), tp.partition(), start));
                        }
                    });
                    if (group != null && !offsets.isEmpty()) {
                        group = GroupRules.reset(group, "g", new OffsetResetRequest(offsets, true, false), view(),
                                SETTINGS, now).after();
                    }
                }
            }
        }

        /** Every member heartbeats until the group is settled, then reads to the end of every log. */
        void catchUp() {
            for (int round = 0; round < 8; round++) {
                for (Client client : List.copyOf(clients.values())) {
                    client.poll(true);
                }
            }
            if (clients.isEmpty()) {
                Client last = new Client();
                clients.put(99, last);
                last.adopt(heartbeat(GroupHeartbeatRequest.join(null, List.of("t"))), true);
                for (int round = 0; round < 4; round++) {
                    last.poll(true);
                }
            }
            clients.values().forEach(client -> client.read(Integer.MAX_VALUE));
        }

        /** Offsets from the group's first stored start to the log end that no member was given. */
        List<String> skipped() {
            List<String> skipped = new ArrayList<>();
            firstStart.forEach((tp, start) -> {
                Set<Long> given = delivered.getOrDefault(tp, Set.of());
                for (long offset = start; offset < logEnds.get(tp); offset++) {
                    if (!given.contains(offset)) {
                        skipped.add(tp + "@" + offset);
                    }
                }
            });
            return skipped;
        }

        List<String> commitsPastDelivered() {
            return commitsPastDelivered;
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

        /** A member as a gateway plays it: what it reads (started partitions and positions) and what it owns. */
        private final class Client {

            String id;
            int epoch;
            /** Started partitions → the next offset to give the client. */
            final Map<TopicPartition, Long> positions = new TreeMap<>();
            /** Assigned, not started yet (its start could not be stored). */
            final Set<TopicPartition> waiting = new TreeSet<>();
            /**
             * The positions at the last commit tick, or the start of a partition started since (with stored starts):
             * what an SSE member's automatic commits and releases commit, one interval behind what it sent.
             */
            Map<TopicPartition, Long> settled = new TreeMap<>();

            void adopt(GroupHeartbeatResponse answer, boolean release) {
                id = answer.memberId();
                epoch = answer.memberEpoch();
                Set<TopicPartition> assigned = TestMember.partitions(answer.assignment());
                waiting.retainAll(assigned);
                Set<TopicPartition> revoked = new TreeSet<>(positions.keySet());
                revoked.removeAll(assigned);
                if (release && !revoked.isEmpty()) {
                    Map<TopicPartition, Long> last = new TreeMap<>(settled);
                    last.keySet().retainAll(revoked);
                    // Committed first; refused for good (fenced, reset) releases all the same.
                    commit(last);
                    positions.keySet().removeAll(revoked);
                    settled.keySet().removeAll(revoked);
                    adopt(heartbeat(GroupHeartbeatRequest.heartbeat(id, epoch, TestMember.topicPartitions(
                            positions.keySet()))), false);
                    return;
                }
                for (TopicPartition tp : assigned) {
                    if (!positions.containsKey(tp)) {
                        start(tp);
                    }
                }
            }

            void poll(boolean release) {
                try {
                    adopt(heartbeat(GroupHeartbeatRequest.heartbeat(id, epoch, TestMember.topicPartitions(
                            positions.keySet()))), release);
                } catch (SluiceException e) {
                    // Fenced or removed: it stops reading, as a gateway ends the member's stream.
                    positions.clear();
                    waiting.clear();
                    settled.clear();
                }
            }

            private void start(TopicPartition tp) {
                StoredOffset committed = group.offsets().get(tp);
                if (committed != null) {
                    positions.put(tp, committed.offset());
                    if (storeStarts) {
                        settled.put(tp, committed.offset());
                    }
                    return;
                }
                long resolved = latest ? logEnds.get(tp) : 0;
                if (storeStarts && !commit(Map.of(tp, resolved))) {
                    waiting.add(tp);
                    return;
                }
                firstStart.putIfAbsent(tp, resolved);
                positions.put(tp, resolved);
                if (storeStarts) {
                    settled.put(tp, resolved);
                }
            }

            /** What is settled of the partitions it reads. */
            Map<TopicPartition, Long> settled() {
                Map<TopicPartition, Long> due = new TreeMap<>(settled);
                due.keySet().retainAll(positions.keySet());
                return due;
            }

            /** An automatic commit: the settled positions are committed, the current ones settle for the next. */
            void commitTick() {
                commit(settled());
                settled = new TreeMap<>(positions);
            }

            void read(int max) {
                positions.replaceAll((tp, position) -> {
                    long end = Math.min(logEnds.get(tp), position + Math.min(max, 1_000_000));
                    for (long offset = position; offset < end; offset++) {
                        delivered.computeIfAbsent(tp, k -> new TreeSet<>()).add(offset);
                    }
                    return end;
                });
            }

            /** Commits {@code offsets} at the member's epoch; false if the coordinator refused. */
            boolean commit(Map<TopicPartition, Long> offsets) {
                if (offsets.isEmpty()) {
                    return true;
                }
                List<PartitionOffset> list = offsets.entrySet().stream().map(e -> PartitionOffset.of(e.getKey().topic(),
                        e.getKey().partition(), e.getValue())).toList();
                try {
                    group = GroupRules.commit(group, "g", new OffsetCommitRequest(id, epoch, list), view(), SETTINGS,
                            ++now).after();
                } catch (SluiceException e) {
                    return false;
                }
                offsets.forEach((tp, offset) -> {
                    long start = firstStart.getOrDefault(tp, offset);
                    Set<Long> given = delivered.getOrDefault(tp, Set.of());
                    for (long o = start; o < offset; o++) {
                        if (!given.contains(o)) {
                            commitsPastDelivered.add(tp + "@" + offset + " by " + id + ", " + o + " never given");
                            return;
                        }
                    }
                });
                return true;
            }
        }
    }
}
