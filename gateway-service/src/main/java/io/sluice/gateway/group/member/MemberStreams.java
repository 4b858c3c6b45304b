package io.sluice.gateway.group.member;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.consume.PartitionRecords;
import io.sluice.gateway.consume.StreamedRecord;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.group.admin.GroupActivity;
import io.sluice.gateway.stream.StreamEvent;
import io.sluice.gateway.web.OpenStreams;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.TopicPartitions;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * SSE group members: a connection to {@code GET /v1/groups/{group}/records} is a member of the group for its
 * lifetime. It joins when the stream opens (with a member id of its own, a UUID), streams the records of the partitions
 * assigned to it from their committed offsets (or {@code auto_offset_reset}), heartbeats every interval the
 * coordinator asks for with the partitions it actually streams, announces each assignment change as an
 * {@code assignment} event, and leaves when the connection closes.
 *
 * <p>Events: {@code assignment} ({@link AssignmentEvent}), {@code record} (a record; the id is the
 * {@link MemberCursor} after it, which the commit call takes), {@code error} (a problem; the stream ends: a member the
 * coordinator fenced or removed is served no further). A partition's first record comes after the {@code assignment}
 * event that adds it. Records come through the consume package's partition streams
 * ({@link PartitionRecords}), shared per partition on this gateway, so a group member costs a leader no more than a
 * plain SSE reader.
 *
 * <p>A partition starts at its committed offset, or where {@code auto_offset_reset} resolves, which is committed before
 * its first record is read ({@link Membership#starts}): the group's start never moves later with a partition's next
 * owner. Automatic commits (the default) are of <em>settled</em> positions: every {@code auto_commit_interval_ms}
 * the gateway commits the positions it had handed to the connection at the previous tick, one interval earlier, and
 * notes the current ones for the next tick (a partition started since has its start as its settled position); a
 * partition taken away and a closing stream commit the same settled positions, and a partition taken away is released
 * only once that commit is stored (or refused for good: the member was fenced). An event handed to the connection is
 * not yet received — it may sit in the gateway's or the kernel's buffers, and is lost if the gateway dies or the
 * client goes away — so committing it at once could skip it for the next reader; a full interval later it has
 * reached the client unless the client reads that slowly. The price is repeats: records sent within the last interval
 * before a hand-off or a close are delivered again to the partition's next reader (at least once; docs/api.md states
 * the rule).
 *
 * <p>With manual commits ({@code auto_commit=false}) a partition asked back is stopped and announced at once but
 * released only at the next heartbeat, as Kafka's consumer calls its revocation listener before it lets a partition
 * go: until then the member owns it at its epoch, its record events' cursors still name it, and a commit of one of
 * them is taken. It is never owned by two members: the coordinator hands it on only after the release.
 *
 * <p>Each member's control work (heartbeats, commits) runs one step at a time on its own chain; records flow apart from
 * it. The set of owned partitions and their positions are shared by both, under the member's lock.
 */
@Service
class MemberStreams {

    private static final Logger log = LoggerFactory.getLogger(MemberStreams.class);

    private final Membership membership;
    private final PartitionRecords records;
    private final GroupActivity activity;
    private final GatewayProperties properties;
    private final AtomicInteger openMembers;
    private final OpenStreams closings;

    MemberStreams(Membership membership, PartitionRecords records, GroupActivity activity,
                  GatewayProperties properties, MeterRegistry meters, OpenStreams closings) {
        this.closings = closings;
        this.membership = membership;
        this.records = records;
        this.activity = activity;
        this.properties = properties;
        this.openMembers = meters.gauge("sluice.gateway.group.sse.members", new AtomicInteger());
    }

    /**
     * The events of one SSE member, from its join to its leave. A join the coordinator refuses (UNRELEASED_INSTANCE_ID,
     * a session timeout out of its range, no coordinator) fails the stream before it opens, as a problem with its
     * status; a later refusal is an {@code error} event.
     */
    Flux<StreamEvent> stream(String group, String groupInstanceId, Subscription subscription,
                             boolean autoCommit, Duration autoCommitInterval, OffsetReset reset,
                             boolean readCommitted, Formats formats) {
        return Flux.defer(() -> new Member(group, groupInstanceId, subscription, autoCommit,
                autoCommitInterval == null ? properties.groups().autoCommitInterval() : autoCommitInterval, reset,
                readCommitted, formats).events());
    }

    /** The data of an {@code assignment} event. */
    record AssignmentEvent(String memberId, int memberEpoch, List<TopicPartitions> assignment,
                           List<TopicPartitions> added, List<TopicPartitions> revoked) {
    }

    private final class Member {

        private final String group;
        private final String memberId = UUID.randomUUID().toString();
        private final String groupInstanceId;
        private final Subscription subscription;
        private final boolean autoCommit;
        private final Duration autoCommitInterval;
        private final OffsetReset reset;
        private final boolean readCommitted;
        private final Formats formats;
        /** Owned partition → the next offset to deliver; guarded by this. */
        private final Map<TopicPartition, Long> positions = new TreeMap<>();
        /**
         * The positions at the last commit tick, or the start of a partition started since: committed at the next tick
         * (or at a hand-off); guarded by this.
         */
        private Map<TopicPartition, Long> settled = new TreeMap<>();
        /**
         * Automatic commits: partitions asked back, no longer streamed, whose release waits for the commit of their
         * settled position (a commit that could not reach the coordinator is tried again at the next heartbeat) →
         * that position; guarded by this.
         */
        private final Map<TopicPartition, Long> releasing = new TreeMap<>();
        /**
         * Manual commits: partitions asked back, no longer streamed but not yet released → the position after their
         * last record event; guarded by this.
         */
        private final Map<TopicPartition, Long> revoking = new TreeMap<>();
        /** Manual commits: partitions asked back → when (nanoTime) their assignment event announced it; guarded by this. */
        private final Map<TopicPartition, Long> revokedAt = new HashMap<>();
        /** Owned partition → the signal that stops its stream; guarded by this. */
        private final Map<TopicPartition, Sinks.Empty<Void>> stops = new HashMap<>();
        /**
         * Assignment events not yet handed to the connection → the signal that starts the streams of the partitions
         * they add, so no record of a partition reaches the client before the event that assigns it; guarded by this.
         */
        private final Map<StreamEvent, Sinks.Empty<Void>> announcements = new IdentityHashMap<>();
        private final Sinks.Many<Flux<StreamedRecord>> partitionStreams = Sinks.many().unicast().onBackpressureBuffer();
        private final Sinks.Many<StreamEvent> control = Sinks.many().unicast().onBackpressureBuffer();
        private int epoch;
        private volatile boolean fenced;
        /** The coordinator's heartbeat interval for the member, also how long a connection may take nothing. */
        private volatile Duration heartbeatInterval = Duration.ofSeconds(1);
        /** Events the connection asked for and has not been sent yet; guarded by this. */
        private long demand;
        /** Since when (nanoTime) the connection has asked for nothing more, or null while it asks; guarded by this. */
        private Long demandlessSince;
        private boolean stallLogged;

        Member(String group, String groupInstanceId, Subscription subscription, boolean autoCommit,
               Duration autoCommitInterval, OffsetReset reset, boolean readCommitted, Formats formats) {
            this.group = group;
            this.groupInstanceId = groupInstanceId;
            this.subscription = subscription;
            this.autoCommit = autoCommit;
            this.autoCommitInterval = autoCommitInterval;
            this.reset = reset;
            this.readCommitted = readCommitted;
            this.formats = formats;
        }

        Flux<StreamEvent> events() {
            return membership.join(group, memberId, groupInstanceId, subscription)
                    .flatMapMany(answer -> member(answer)
                            .onErrorResume(SluiceException.class, e -> Flux.just(new StreamEvent.Failed(e))))
                    .doOnSubscribe(s -> openMembers.incrementAndGet())
                    .doFinally(signal -> {
                        openMembers.decrementAndGet();
                        close();
                    });
        }

        /** The events of the member once joined. */
        private Flux<StreamEvent> member(GroupHeartbeatResponse joined) {
            Duration interval = Duration.ofMillis(Math.max(100, joined.heartbeatIntervalMs()));
            heartbeatInterval = interval;
            Flux<Action> ticks = Flux.merge(Flux.interval(interval).map(tick -> Action.HEARTBEAT),
                    autoCommit ? Flux.interval(autoCommitInterval).map(tick -> Action.COMMIT) : Flux.empty());
            Flux<StreamEvent> steps = Mono.defer(() -> assign(joined, Set.of()))
                    .thenMany(ticks.onBackpressureDrop().concatMap(this::step, 1))
                    .then()
                    .onErrorResume(SluiceException.class, e -> {
                        fenced = true;
                        control.tryEmitNext(new StreamEvent.Failed(e));
                        return Mono.empty();
                    })
                    .thenMany(Flux.empty());
            Flux<StreamEvent> recordEvents = partitionStreams.asFlux()
                    .flatMap(stream -> stream, 1024, 1)
                    .<StreamEvent>handle((record, sink) -> {
                        String id = delivered(record);
                        if (id != null) {
                            sink.next(new StreamEvent.Delivered(id, record.json()));
                        }
                    })
                    .onErrorResume(SluiceException.class, e -> Flux.just(new StreamEvent.Failed(e)));
            // One merge, no buffer of a publish between it and the connection: a record counts as handed over
            // (delivered) when the merge takes it, so what sits in between widens what a commit may claim too early.
            // Demand is tracked outside the keep-alives: a client that reads nothing is stalled, keep-alives or not.
            return Flux.merge(Flux.just(new StreamEvent.Opened("member " + memberId + " of group " + group)),
                            control.asFlux(), recordEvents, steps,
                            StreamEvent.keepAlives(properties.consume().sseHeartbeat(), Schedulers.parallel()))
                    .takeUntil(StreamEvent.Failed.class::isInstance)
                    .doOnRequest(this::demanded)
                    .doOnNext(this::sent);
        }

        private synchronized void demanded(long n) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            demandlessSince = null;
            stallLogged = false;
        }

        /**
         * {@code event} was handed to the connection; an assignment starts the streams of the partitions it adds (what
         * they emit at once waits in the merge behind this event).
         */
        private void sent(StreamEvent event) {
            Sinks.Empty<Void> announced;
            synchronized (this) {
                if (demand != Long.MAX_VALUE && --demand == 0) {
                    demandlessSince = System.nanoTime();
                }
                announced = event instanceof StreamEvent.Assigned ? announcements.remove(event) : null;
            }
            if (announced != null) {
                announced.tryEmitEmpty();
            }
        }

        /**
         * Whether the connection has asked for nothing for longer than a heartbeat interval: the client is not reading
         * (paused, hung, or reading more slowly than it is sent to) and what was handed to the connection sits in
         * buffers. Such a member neither heartbeats nor commits until it reads again (as Kafka's consumer stops when it
         * is not polled): a client stalled past its session timeout is removed by the coordinator, its partitions go
         * to other members, and it is told so ({@code error} event) when it reads again.
         */
        private synchronized boolean stalled() {
            boolean stalled = demandlessSince != null
                    && System.nanoTime() - demandlessSince > heartbeatInterval.toNanos();
            if (stalled && !stallLogged) {
                stallLogged = true;
                log.info("Group {} member {}: its client has taken nothing for over {} ms; no heartbeats or commits "
                        + "until it reads again", group, memberId, heartbeatInterval.toMillis());
            }
            return stalled;
        }

        private Mono<Void> step(Action action) {
            if (stalled()) {
                return Mono.empty();
            }
            return action == Action.COMMIT ? commitSettled(true).onErrorResume(SluiceException.class, e -> {
                log.debug("Group {} member {}: commit not taken ({}); the next one carries on", group, memberId,
                        e.getMessage());
                return Mono.empty();
            }) : heartbeat();
        }

        /**
         * One heartbeat. With automatic commits, partitions asked back are stopped, committed and released in the same
         * step. With manual commits they are stopped and announced (the {@code assignment} event's {@code revoked})
         * but held until the next heartbeat, one interval later, or the first one at least the gateway's
         * {@code groups.revocation-hold} after the announcement: meanwhile the member still owns them at its epoch,
         * and the cursors of its record events still name them at the position after their last record event, so a
         * client that commits on that event (with the cursor of the last record it processed) commits them; the
         * heartbeat that leaves them out releases them.
         */
        private Mono<Void> heartbeat() {
            Map<TopicPartition, Long> owned;
            Set<TopicPartition> heldLongEnough = new TreeSet<>();
            Set<TopicPartition> stillHeld = new TreeSet<>();
            int current;
            synchronized (this) {
                owned = new TreeMap<>(positions);
                owned.putAll(this.releasing);
                long now = System.nanoTime();
                long hold = properties.groups().revocationHold().toNanos();
                revoking.keySet().forEach(tp -> (now - revokedAt.get(tp) >= hold ? heldLongEnough : stillHeld).add(tp));
                current = epoch;
            }
            Set<TopicPartition> claimed = new TreeSet<>(owned.keySet());
            claimed.addAll(stillHeld);
            Mono<Membership.Heartbeat> beat = autoCommit
                    ? membership.heartbeat(group, memberId, current, owned, true, this::stop)
                            .doOnNext(released -> released(released.revoked()))
                    : membership.heartbeatHolding(group, memberId, current, claimed).map(held -> {
                        // Those still held were announced already: only the newly asked back are news.
                        Set<TopicPartition> newlyRevoked = new TreeSet<>(held.revoked());
                        newlyRevoked.removeAll(stillHeld);
                        hold(newlyRevoked, heldLongEnough);
                        return new Membership.Heartbeat(held.answer(), newlyRevoked);
                    });
            return beat
                    .doOnNext(answered -> log.debug("Group {} member {} at epoch {} owning {}: answer epoch {}, {}, "
                            + "asked back {}", group, memberId, current, owned.keySet(),
                            answered.answer().memberEpoch(), answered.answer().assignment(), answered.revoked()))
                    .flatMap(answered -> assign(answered.answer(), answered.revoked()))
                    .onErrorResume(SluiceException.class, e -> {
                        if (!e.errorCode().retriable()) {
                            return Mono.error(e);
                        }
                        // The coordinator is away for a moment: the next heartbeat tries again, within the session.
                        log.info("Group {} member {}: heartbeat failed ({}); trying again", group, memberId,
                                e.getMessage());
                        return Mono.empty();
                    });
        }

        /** Takes an answer: starts the newly assigned partitions, announces a change ({@code revoked}: asked back). */
        private Mono<Void> assign(GroupHeartbeatResponse answer, Set<TopicPartition> revoked) {
            Set<TopicPartition> assigned = Membership.partitions(answer.assignment());
            Set<TopicPartition> added;
            boolean changed;
            synchronized (this) {
                changed = answer.memberEpoch() != epoch || !revoked.isEmpty();
                epoch = answer.memberEpoch();
                added = new TreeSet<>(assigned);
                added.removeAll(positions.keySet());
            }
            if (added.isEmpty() && !changed) {
                return Mono.empty();
            }
            return membership.starts(group, memberId, answer.memberEpoch(), added, reset, readCommitted)
                    .doOnNext(starts -> {
                        StreamEvent announcement = new StreamEvent.Assigned(new AssignmentEvent(memberId,
                                answer.memberEpoch(), answer.assignment(), Membership.topicPartitions(starts.keySet()),
                                Membership.topicPartitions(revoked)));
                        Sinks.Empty<Void> announced = Sinks.empty();
                        synchronized (this) {
                            announcements.put(announcement, announced);
                            starts.forEach((tp, offset) -> {
                                Sinks.Empty<Void> stop = Sinks.empty();
                                positions.put(tp, offset);
                                settled.put(tp, offset);
                                stops.put(tp, stop);
                                // A partition's records follow the event that assigns it (the merge alone would
                                // interleave them: the partition's stream may emit before the event is taken).
                                partitionStreams.tryEmitNext(announced.asMono()
                                        .thenMany(records.stream(tp, offset, readCommitted, formats))
                                        .takeUntilOther(stop.asMono()));
                            });
                        }
                        if (!added.isEmpty() || !revoked.isEmpty()) {
                            activity.rebalanced(group);
                        }
                        control.tryEmitNext(announcement);
                }).then();
        }

        /**
         * Manual commits: forgets {@code released} (held since the previous heartbeat, which this one released), and
         * stops delivering {@code revoked}, holding each at the position after its last record event.
         */
        private synchronized void hold(Set<TopicPartition> revoked, Set<TopicPartition> released) {
            revoking.keySet().removeAll(released);
            revokedAt.keySet().removeAll(released);
            long now = System.nanoTime();
            revoked.forEach(tp -> {
                Sinks.Empty<Void> stop = stops.remove(tp);
                if (stop != null) {
                    stop.tryEmitEmpty();
                }
                Long position = positions.remove(tp);
                if (position != null) {
                    revoking.put(tp, position);
                    revokedAt.put(tp, now);
                }
            });
        }

        /**
         * Stops delivering {@code revoked} and holds them until released; answers their settled positions (kept from
         * an earlier try for those held already), for the release commit.
         */
        private synchronized Map<TopicPartition, Long> stop(Set<TopicPartition> revoked) {
            Map<TopicPartition, Long> last = new TreeMap<>();
            revoked.forEach(tp -> {
                Sinks.Empty<Void> stop = stops.remove(tp);
                if (stop != null) {
                    stop.tryEmitEmpty();
                }
                positions.remove(tp);
                Long position = settled.remove(tp);
                if (position != null) {
                    releasing.put(tp, position);
                }
                Long held = releasing.get(tp);
                if (held != null) {
                    last.put(tp, held);
                }
            });
            return last;
        }

        /** Automatic commits: {@code released} were committed (or refused for good) and left out of a heartbeat. */
        private synchronized void released(Set<TopicPartition> released) {
            releasing.keySet().removeAll(released);
        }

        /** Records the delivery of {@code record}; null (drop it) for a partition no longer owned. */
        private synchronized String delivered(StreamedRecord record) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (!positions.containsKey(tp)) {
                return null;
            }
            positions.put(tp, record.offset() + 1);
            if (revoking.isEmpty()) {
                return MemberCursor.of(memberId, groupInstanceId, epoch, autoCommit, reset, readCommitted, positions)
                        .encode();
            }
            Map<TopicPartition, Long> named = new TreeMap<>(revoking);
            named.putAll(positions);
            return MemberCursor.of(memberId, groupInstanceId, epoch, autoCommit, reset, readCommitted, named).encode();
        }

        /**
         * Commits the settled positions of the partitions still owned; on a tick ({@code roll}) the current positions
         * become the settled ones for the next.
         */
        private Mono<Void> commitSettled(boolean roll) {
            Map<TopicPartition, Long> due;
            int current;
            synchronized (this) {
                due = new TreeMap<>(settled);
                due.keySet().retainAll(positions.keySet());
                due.putAll(releasing);
                if (roll) {
                    settled = new TreeMap<>(positions);
                }
                current = epoch;
            }
            return membership.commit(group, memberId, current, due);
        }

        /**
         * On close: commit the settled positions (unless fenced), then leave — a static member for a restart, keeping
         * its partitions until its session times out; nobody waits for it.
         */
        private void close() {
            synchronized (this) {
                stops.values().forEach(Sinks.Empty::tryEmitEmpty);
                stops.clear();
            }
            // A stalled client has not received what was settled: commit nothing for it.
            Mono<Void> commit = autoCommit && !fenced && !stalled() ? commitSettled(false) : Mono.empty();
            closings.closing(commit.onErrorResume(e -> {
                        log.info("Group {} member {}: the closing commit failed: {}", group, memberId, e.toString());
                        return Mono.empty();
                    })
                    .then(fenced ? Mono.empty() : membership.leave(group, memberId, groupInstanceId))
                    .timeout(Duration.ofSeconds(30))
                    .doOnError(e -> log.info("Group {} member {} did not leave cleanly ({}); its session will "
                            + "time out", group, memberId, e.toString()))
                    .onErrorComplete());
        }
    }

    private enum Action { HEARTBEAT, COMMIT }
}
