package io.sluice.coordinator.share;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.share.AckResult.RecordResult;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.RecordState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * A share-partition's promises over generated histories: a log that grows with gaps, three members that take records
 * (from partial reads too), accept, release, reject and renew them — by acquisition id, also stale ones, or by range,
 * also over others' records — while time passes and locks expire. Every answer is checked against a model built only
 * from earlier answers:
 * <ul>
 *   <li>no record is acknowledged (accepted) twice, and an accepted or archived record is never delivered again;</li>
 *   <li>no record is held by two members at once: a record is handed out only when no lock on it is live;</li>
 *   <li>a record's delivery count never exceeds the limit, and counts its deliveries;</li>
 *   <li>an acknowledgement takes effect exactly when the member holds a live lock on the record;</li>
 *   <li>every record below the start offset is accepted or archived, and the window stays within its limit;</li>
 *   <li>a record released or expired is acquirable again: an acquire that returns fewer records than asked left none
 *       available;</li>
 *   <li>the stored form reads back as the same state at every step;</li>
 *   <li>in the end, with one member accepting everything, every record of the log is accepted or archived.</li>
 * </ul>
 */
class SharePartitionProperties {

    private static final long LOCK_MS = 10_000;
    private static final int DELIVERY_LIMIT = 3;
    private static final ShareLimits LIMITS = new ShareLimits(8, DELIVERY_LIMIT, Duration.ofMillis(LOCK_MS));
    private static final List<String> MEMBERS = List.of("m0", "m1", "m2");

    enum Action { GROW, ACQUIRE, ACK_BY_ID, ACK_BY_RANGE, ACK_TWO, TICK, EXPIRE }

    record Step(Action action, int member, int a, int b) {
    }

    @Property(tries = 500)
    void everyRecordIsAcceptedOrArchivedAndNeverTwiceOrByTwo(@ForAll("histories") List<Step> history) {
        Simulation simulation = new Simulation();
        for (Step step : history) {
            simulation.apply(step);
            simulation.checkInvariants();
        }
        simulation.drain();
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Action> actions = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Action.GROW)),
                Tuple.of(5, Arbitraries.just(Action.ACQUIRE)),
                Tuple.of(5, Arbitraries.just(Action.ACK_BY_ID)),
                Tuple.of(3, Arbitraries.just(Action.ACK_BY_RANGE)),
                Tuple.of(1, Arbitraries.just(Action.ACK_TWO)),
                Tuple.of(3, Arbitraries.just(Action.TICK)),
                Tuple.of(2, Arbitraries.just(Action.EXPIRE)));
        return Combinators.combine(actions, Arbitraries.integers().between(0, MEMBERS.size() - 1),
                        Arbitraries.integers().between(0, 1_000), Arbitraries.integers().between(0, 1_000))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(100);
    }

    private record Lock(String member, long acquisitionId, long deadline) {
    }

    private record Delivery(long offset, long acquisitionId) {
    }

    /** The share-partition, the log it reads, and what its answers so far say must hold. */
    private static final class Simulation {

        private final SharePartition partition = SharePartition.startingAt(0, LIMITS);
        private final TreeSet<Long> log = new TreeSet<>();
        private long highWatermark;
        private long now = 1_000_000;
        private int growth;
        private boolean draining;

        Simulation() {
            grow(6, 0);
            grow(6, 0b100100);
        }

        private final Map<Long, Lock> live = new HashMap<>();
        private final Map<Long, Integer> deliveries = new HashMap<>();
        private final Set<Long> accepted = new HashSet<>();
        private final Set<Long> archived = new HashSet<>();
        private final Set<Long> available = new HashSet<>();
        private final List<Delivery> handedOut = new ArrayList<>();

        void apply(Step step) {
            String member = MEMBERS.get(step.member());
            switch (step.action()) {
                case GROW -> grow(1 + step.a() % 6, step.b());
                case ACQUIRE -> acquire(member, 1 + step.a() % 5, step.b());
                case ACK_BY_ID -> acknowledge(member, List.of(byId(member, step.a(), step.b())));
                case ACK_BY_RANGE -> acknowledge(member, List.of(byRange(step.a(), step.b())));
                case ACK_TWO -> acknowledge(member, List.of(byRange(step.a(), step.b()),
                        byId(member, step.b(), step.a())));
                case TICK -> now += (long) step.a() * 25;
                case EXPIRE -> expire();
            }
        }

        /** Appends {@code count} offsets to the log; each has a record unless its bit in {@code gaps} is set. */
        private void grow(int count, int gaps) {
            for (int i = 0; i < count; i++) {
                if ((gaps >> i & 1) == 0 || (growth++ % 3 != 0)) {
                    log.add(highWatermark);
                }
                highWatermark++;
            }
        }

        /** Reads the log from the partition's end offset, to the high watermark or short of it, and acquires. */
        private void acquire(String member, int max, int readShort) {
            long from = partition.endOffset();
            long to = Math.max(from, highWatermark - readShort % 3);
            List<AcquiredRecord> taken = partition.acquire(member, max, slice(from, to), now);
            for (AcquiredRecord record : taken) {
                long offset = record.offset();
                assertThat(log).as("only records the log has are delivered").contains(offset);
                assertThat(accepted).as("an accepted record is delivered again: %s", offset).doesNotContain(offset);
                assertThat(archived).as("an archived record is delivered again: %s", offset).doesNotContain(offset);
                assertThat(live).as("record %s handed to %s while another lock on it is live", offset, member)
                        .doesNotContainKey(offset);
                int count = deliveries.merge(offset, 1, Integer::sum);
                assertThat(record.deliveryCount()).as("delivery count of %s", offset).isEqualTo(count)
                        .isLessThanOrEqualTo(DELIVERY_LIMIT);
                assertThat(record.lockDeadlineMs()).isEqualTo(now + LOCK_MS);
                live.put(offset, new Lock(member, record.acquisitionId(), record.lockDeadlineMs()));
                available.remove(offset);
                handedOut.add(new Delivery(offset, record.acquisitionId()));
            }
            if (taken.size() < max) {
                assertThat(available).as("records released or expired but not acquirable again").isEmpty();
            }
        }

        private LogSlice slice(long from, long to) {
            return LogSlice.of(from, to, log.subSet(from, to).stream().mapToLong(Long::longValue).toArray());
        }

        /**
         * Mostly a lock the member holds (maybe past its deadline); else an id handed out at some point (maybe stale,
         * maybe another member's), or, now and then, one never handed out.
         */
        private Acknowledgement byId(String member, int pick, int kind) {
            AcknowledgeType type = AcknowledgeType.values()[kind % 4];
            List<Lock> own = live.values().stream().filter(l -> l.member().equals(member)).toList();
            if (!own.isEmpty() && pick % 2 == 0) {
                return Acknowledgement.of(own.get(pick / 2 % own.size()).acquisitionId(), type);
            }
            if (handedOut.isEmpty() || pick % 17 == 1) {
                return Acknowledgement.of(partition.nextAcquisitionId() + pick % 3, type);
            }
            Delivery recent = handedOut.get(handedOut.size() - 1 - pick % Math.min(handedOut.size(), 12));
            return Acknowledgement.of(recent.acquisitionId(), type);
        }

        /** A range near the window, sometimes malformed or reaching out of it. */
        private Acknowledgement byRange(int start, int kind) {
            AcknowledgeType type = AcknowledgeType.values()[kind % 4];
            long first = partition.startOffset() + start % 9 - 1;
            long last = first + kind % 5 - 1;
            return Acknowledgement.range(first, last, type);
        }

        private void acknowledge(String member, List<Acknowledgement> items) {
            List<AckResult> results = partition.acknowledge(member, items, now);
            assertThat(results).hasSize(items.size());
            for (AckResult result : results) {
                AcknowledgeType type = result.acknowledgement().type();
                if (result.error() != null && !draining) {
                    Statistics.label("acknowledgements").collect(result.error().name());
                }
                for (RecordResult record : result.records()) {
                    long offset = record.offset();
                    Lock lock = live.get(offset);
                    boolean held = lock != null && lock.member().equals(member) && now < lock.deadline();
                    assertThat(record.succeeded()).as("%s of %s by %s at %s, lock %s: %s", type, offset, member, now,
                            lock, record.error()).isEqualTo(held);
                    if (result.acknowledgement().target() instanceof Acknowledgement.ByAcquisitionId(long id)) {
                        assertThat(lock != null && lock.acquisitionId() == id || !record.succeeded()).isTrue();
                    }
                    if (!draining) {
                        Statistics.label("acknowledgements").collect(record.succeeded() ? type.name()
                                : record.error().name());
                    }
                    if (record.succeeded()) {
                        applied(offset, type, record, lock);
                    }
                }
            }
        }

        private void applied(long offset, AcknowledgeType type, RecordResult record, Lock lock) {
            switch (type) {
                case ACCEPT -> {
                    assertThat(accepted.add(offset)).as("%s accepted twice", offset).isTrue();
                    live.remove(offset);
                }
                case REJECT -> {
                    archived.add(offset);
                    live.remove(offset);
                }
                case RELEASE -> {
                    live.remove(offset);
                    lockEnded(offset, record.state());
                }
                case RENEW -> live.put(offset, new Lock(lock.member(), lock.acquisitionId(), record.lockDeadlineMs()));
            }
        }

        private void lockEnded(long offset, RecordState state) {
            boolean atLimit = deliveries.get(offset) >= DELIVERY_LIMIT;
            assertThat(state).as("state of %s after %s deliveries", offset, deliveries.get(offset))
                    .isEqualTo(atLimit ? RecordState.ARCHIVED : RecordState.AVAILABLE);
            (atLimit ? archived : available).add(offset);
        }

        private void expire() {
            for (ExpiredLock expired : partition.expire(now)) {
                Lock lock = live.remove(expired.offset());
                assertThat(lock).as("expired a lock not live: %s", expired).isNotNull();
                assertThat(lock.deadline()).isLessThanOrEqualTo(now);
                assertThat(expired.acquisitionId()).isEqualTo(lock.acquisitionId());
                lockEnded(expired.offset(), expired.state());
                Statistics.label("expired locks").collect(expired.state().name());
            }
            assertThat(live.values()).as("locks past their deadline after expiry").allMatch(l -> l.deadline() > now);
        }

        void checkInvariants() {
            assertThat(log.headSet(partition.startOffset())).as("records below the start offset %s",
                    partition.startOffset()).allMatch(o -> accepted.contains(o) || archived.contains(o));
            assertThat(partition.inFlightRecords().size()).isLessThanOrEqualTo(LIMITS.maxInFlightRecords());
            assertThat(partition.endOffset()).isLessThanOrEqualTo(highWatermark);
            for (Map.Entry<Long, Lock> entry : live.entrySet()) {
                assertThat(partition.inFlightRecord(entry.getKey()).holder()).isEqualTo(entry.getValue().member());
            }
            for (InFlightRecord record : partition.inFlightRecords()) {
                assertThat(record.deliveryCount()).isLessThanOrEqualTo(DELIVERY_LIMIT);
            }
            String stored = SharePartitionJson.write(partition);
            assertThat(SharePartitionJson.write(SharePartitionJson.read(stored, LIMITS))).isEqualTo(stored);
        }

        /** Time runs out every lock; then one member takes and accepts all there is until the log is consumed. */
        void drain() {
            draining = true;
            now += LOCK_MS;
            expire();
            for (int round = 0; round < 1_000; round++) {
                acquire("drainer", 5, 0);
                for (Map.Entry<Long, Lock> entry : List.copyOf(live.entrySet())) {
                    acknowledge("drainer", List.of(Acknowledgement.of(entry.getValue().acquisitionId(),
                            AcknowledgeType.ACCEPT)));
                }
                checkInvariants();
                if (partition.startOffset() == highWatermark) {
                    break;
                }
            }
            assertThat(partition.startOffset()).isEqualTo(highWatermark);
            assertThat(log).allMatch(o -> accepted.contains(o) || archived.contains(o));
        }
    }
}
