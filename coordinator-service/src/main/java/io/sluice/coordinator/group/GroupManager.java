package io.sluice.coordinator.group;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.coordinator.groupconfig.GroupConfigs;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.FencedCommands;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.web.TaggedGauges;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The active coordinator's consumer groups: the in-memory groups, the single sequence in which every group change is
 * decided ({@link GroupRules}) and stored ({@link GroupStore}, fenced), and the housekeeping sweep.
 *
 * <p>Commands run one at a time, in submission order, on a sequence callers cannot cancel: each reads its group as
 * stored, decides, and only once Redis has the change does the in-memory group move on and the caller get its answer.
 * A write whose outcome is unknown (a timeout) makes the next command on that group read it back from Redis first. A
 * fenced write means another coordinator took over: this one steps down. Readers get immutable snapshots.
 *
 * <p>Groups need the cluster metadata (topics and partition counts), so they are served only while
 * {@link MetadataManager#isReady()}; {@link #activate()} runs after the metadata is loaded.
 */
@Component
public class GroupManager {

    private static final Logger LOG = LoggerFactory.getLogger(GroupManager.class);

    private final GroupStore store;
    private final MetadataManager metadata;
    private final CoordinatorLease lease;
    private final MemberLiveness liveness;
    private final OwnershipHistory history;
    private final GroupConfigs configs;
    private final Counter rebalances;
    private final TaggedGauges membersPerGroup;
    private final Sinks.Many<Command<?>> commands = Sinks.many().unicast().onBackpressureBuffer();
    private final Set<String> reloadFirst = ConcurrentHashMap.newKeySet();
    private volatile Map<String, ConsumerGroup> groups = Map.of();
    private volatile boolean ready;

    GroupManager(GroupStore store, MetadataManager metadata, CoordinatorLease lease, MemberLiveness liveness,
                 OwnershipHistory history, MeterRegistry meters, GroupConfigs configs) {
        this.store = store;
        this.configs = configs;
        this.metadata = metadata;
        this.lease = lease;
        this.liveness = liveness;
        this.history = history;
        this.rebalances = Counter.builder("sluice.coordinator.group.rebalances")
                .description("Group epoch bumps: joins, leaves, removals, subscription and partition-count changes")
                .register(meters);
        this.membersPerGroup = new TaggedGauges(meters, "sluice.coordinator.group.members",
                "Members of each consumer group", null);
        commands.asFlux().concatMap(this::process).subscribe();
    }

    public boolean isReady() {
        return ready && metadata.isReady();
    }

    Optional<ConsumerGroup> group(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    /**
     * Whether a consumer group of this id exists (with members or committed offsets): Kafka keeps one namespace of
     * group ids, so such an id is not a share group's.
     */
    public boolean hasGroup(String groupId) {
        return group(groupId).isPresent();
    }

    Collection<ConsumerGroup> groups() {
        return groups.values();
    }

    MetadataView metadata() {
        return metadata.view();
    }

    /** Loads the stored groups after this instance took the lease and loaded the metadata. */
    public Mono<Void> activate() {
        return store.load().doOnNext(loaded -> {
            groups = Map.copyOf(loaded);
            liveness.clear();
            reloadFirst.clear();
            ready = true;
            refreshGauge();
            LOG.info("Loaded {} consumer groups", loaded.size());
        }).then();
    }

    public void deactivate() {
        ready = false;
        groups = Map.of();
        refreshGauge();
    }

    /**
     * Runs {@code decide} on the group as it is (null if there is none) in the group sequence; the answer arrives
     * once its change is stored.
     */
    <T> Mono<T> submit(String groupId, BiFunction<ConsumerGroup, MetadataView, GroupDecision<T>> decide) {
        Sinks.One<T> result = Sinks.one();
        synchronized (commands) {
            commands.tryEmitNext(new Command<>(groupId, decide, result)).orThrow();
        }
        return result.asMono();
    }

    /** Stores the offsets a committed transaction kept for {@code groupId} (see {@link GroupRules#commitTransactional}). */
    public Mono<Void> commitTransactional(String groupId, List<PartitionOffset> offsets, long nowMs) {
        return submit(groupId, (group, view) -> GroupRules.commitTransactional(group, groupId, offsets, view, nowMs));
    }

    /**
     * Removes members silent past their session timeout (or holding partitions asked back past their rebalance
     * timeout), drops offsets of deleted topics and rebalances groups whose topics changed. Run by the coordinator's
     * timer.
     */
    public Mono<Void> sweep() {
        if (!isReady()) {
            return Mono.empty();
        }
        refreshGauge();
        return Flux.fromIterable(groups.values())
                .concatMap(group -> streamsSettings(group)
                        .filter(streams -> !GroupRules.sweep(group, liveness.expired(group), metadata.view(), streams)
                                .after().equals(group))
                        .flatMap(streams -> submit(group.groupId(), (current, view) -> {
                            if (current == null) {
                                return GroupDecision.<Void>of(null, null);
                            }
                            Set<String> expired = liveness.expired(current);
                            expired.forEach(memberId -> LOG.warn("Member {} of group {} missed its session or "
                                    + "rebalance timeout: removing it", memberId, current.groupId()));
                            return GroupRules.sweep(current, expired, view, streams);
                        }))
                        .onErrorResume(e -> {
                            LOG.warn("Could not sweep group {}: {}; trying again at the next check", group.groupId(),
                                    e.toString());
                            return Mono.empty();
                        }))
                .then();
    }

    /** A streams group's settings under its {@code streams.*} configs; another group's do not matter to a sweep. */
    private Mono<StreamsSettings> streamsSettings(ConsumerGroup group) {
        return group.isStreams() ? configs.config(group.groupId()).map(StreamsSettings::of)
                : Mono.just(StreamsSettings.of(configs.properties().streamsGroups()));
    }

    private <T> Mono<Void> process(Command<T> command) {
        return FencedCommands.answer(Mono.defer(() -> {
            if (!isReady()) {
                return Mono.error(ErrorCode.NOT_ACTIVE_COORDINATOR.exception(
                        "This coordinator is not the active one"));
            }
            if (!reloadFirst.remove(command.groupId())) {
                return decideAndWrite(command);
            }
            return store.load(command.groupId())
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(stored -> {
                        put(command.groupId(), stored.orElse(null));
                        return decideAndWrite(command);
                    })
                    .doOnError(e -> reloadFirst.add(command.groupId()));
        }), command.result(), lease, this::deactivate, "group");
    }

    private <T> Mono<T> decideAndWrite(Command<T> command) {
        ConsumerGroup before = groups.get(command.groupId());
        GroupDecision<T> decision = command.decide().apply(before, metadata.view());
        ConsumerGroup after = decision.after();
        if (Objects.equals(before, after)) {
            return Mono.justOrEmpty(decision.result());
        }
        long token = lease.fencingToken();
        return store.write(token, command.groupId(), before, after)
                .doOnError(error -> {
                    if (!(error instanceof SluiceException e && e.errorCode() == ErrorCode.FENCED_COORDINATOR)) {
                        // The script is atomic, but a timeout leaves its outcome unknown: read the group back first.
                        LOG.warn("A write of group {} failed ({}): reading it back before its next change",
                                command.groupId(), error.toString());
                        reloadFirst.add(command.groupId());
                    }
                })
                .then(Mono.fromCallable(() -> {
                    put(command.groupId(), after);
                    history.record(command.groupId(), before, after);
                    if (decision.rebalanced()) {
                        rebalances.increment();
                    }
                    if (after == null) {
                        liveness.forget(command.groupId());
                    }
                    return Optional.ofNullable(decision.result());
                }))
                .flatMap(Mono::justOrEmpty);
    }

    private void put(String groupId, ConsumerGroup group) {
        Map<String, ConsumerGroup> next = new TreeMap<>(groups);
        if (group == null) {
            next.remove(groupId);
        } else {
            next.put(groupId, group);
        }
        groups = Map.copyOf(next);
    }

    private void refreshGauge() {
        Map<Tags, Number> members = new HashMap<>();
        groups.values().forEach(group -> members.put(Tags.of("group", group.groupId()), group.members().size()));
        membersPerGroup.replace(members);
    }

    private record Command<T>(String groupId, BiFunction<ConsumerGroup, MetadataView, GroupDecision<T>> decide,
                              Sinks.One<T> result) {
    }
}
