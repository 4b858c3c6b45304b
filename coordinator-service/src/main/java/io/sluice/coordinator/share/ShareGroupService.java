package io.sluice.coordinator.share;

import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.groupconfig.GroupConfig;
import io.sluice.coordinator.groupconfig.GroupConfigRules;
import io.sluice.coordinator.groupconfig.GroupConfigs;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.FencedCommands;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.internal.share.ShareOffsetsDeleteRequest;
import io.sluice.internal.share.ShareOffsetsDeleteResponse;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetResponse;
import io.sluice.internal.share.ShareHeldRequest;
import io.sluice.internal.share.ShareHeldResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Share groups on the active coordinator: every acquire and acknowledge of a share-partition is one command of one
 * sequence, which reads the share-partition's state, applies the call ({@link SharePartition}), and stores the new
 * state under the fencing token ({@link SharePartitionStore}) before it answers. A call that changes nothing writes
 * nothing; a refused one (bad input) changes nothing.
 *
 * <p>What is in memory is only what Redis holds: the document of each share-partition as this instance last read or
 * wrote it, kept with the fencing token it was read or written under. A command under another token (this instance
 * lost the lease and took it again, maybe after another coordinator wrote) reads the state from Redis again, and so
 * does one after a write whose outcome is unknown. Nothing is loaded when the lease is taken: a share-partition is read
 * when it is first used.
 *
 * <p>Locks past their deadline are ended at each acquire before records are taken, so an abandoned record is delivered
 * again as soon as it is asked for after its lock expires, with no timer.
 *
 * <p>Each command runs under its group's config ({@link GroupConfigs}): its limits (lock duration, delivery
 * limit, in-flight window) and where a new share-partition starts. A config change is a command of the sequence too,
 * so every command after it sees the new values. A change holds from then on, for what happens from then on, as at
 * Kafka: a lock already taken keeps its deadline (a renew or a new acquisition takes the new duration); a delivery
 * limit is checked when a lock ends and at acquisition, so a record at or over a lowered limit is archived when its
 * lock ends or, if available, when next met; a window over a lowered size takes no new record until it drains below
 * it; a new {@code share.auto.offset.reset} only moves share-partitions that start after it.
 */
@Component
class ShareGroupService {

    private static final Logger LOG = LoggerFactory.getLogger(ShareGroupService.class);

    private final SharePartitionStore store;
    private final GroupConfigs configs;
    private final CoordinatorLease lease;
    private final Clock clock;
    private final ShareMetrics metrics;
    /** The most runs the dead-letter outbox holds ({@code share-groups.dead-letter.outbox-max-entries}). */
    private final int outboxMaxEntries;
    private final DeadLetterSignal deadLetterSignal;
    private final Sinks.Many<Step> commands = Sinks.many().unicast().onBackpressureBuffer();
    /** Only the sequence reads and writes it (one command at a time); a step-down clears it from the sequence too. */
    private final Map<Key, Cached> documents = new HashMap<>();

    ShareGroupService(SharePartitionStore store, GroupConfigs configs, CoordinatorLease lease, Clock clock,
                      ShareMetrics metrics, CoordinatorProperties properties, DeadLetterSignal deadLetterSignal) {
        this.store = store;
        this.configs = configs;
        this.outboxMaxEntries = properties.shareGroups().deadLetter().outboxMaxEntries();
        this.deadLetterSignal = deadLetterSignal;
        this.lease = lease;
        this.clock = clock;
        this.metrics = metrics;
        commands.asFlux().concatMap(step -> switch (step) {
            case Command<?> command -> process(command);
            case GroupCommand<?> command -> processGroups(command);
            case ConfigCommand command -> processConfigs(command);
        }).subscribe();
    }

    /** Locks records of one share-partition for the member; creates the share-partition on first use. */
    Mono<ShareAcquireResponse> acquire(ShareAcquireRequest request) {
        return Mono.defer(() -> submitAcquire(request));
    }

    private Mono<ShareAcquireResponse> submitAcquire(ShareAcquireRequest request) {
        Key key = key(request.groupId(), request.topic(), request.partition());
        if (request.logStartOffset() < 0 || request.highWatermark() < request.logStartOffset()) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("The log must have 0 <= log start offset <= high"
                    + " watermark, not " + request.logStartOffset() + " and " + request.highWatermark()));
        }
        if (request.offsets().stream().anyMatch(Objects::isNull)) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("The offsets read must not contain null"));
        }
        LogSlice log = LogSlice.of(request.readFrom(), request.readTo(),
                request.offsets().stream().mapToLong(Long::longValue).toArray());
        AtomicReference<Runnable> count = new AtomicReference<>(() -> { });
        return submit(key, (current, config, nowMs) -> {
            SharePartition partition = current != null ? current : SharePartition.startingAt(
                    config.autoOffsetReset() == CoordinatorProperties.ShareGroups.AutoOffsetReset.LATEST
                            ? request.highWatermark() : request.logStartOffset(), config.limits());
            List<ExpiredLock> expired = partition.expire(nowMs);
            List<AcquiredRecord> acquired = partition.acquire(request.memberId(), request.maxRecords(), log, nowMs);
            count.set(() -> metrics.acquired(key.groupId(), expired, acquired));
            List<ShareAcquireResponse.AcquiredRecord> records = acquired.stream()
                    .map(r -> new ShareAcquireResponse.AcquiredRecord(r.offset(), r.acquisitionId(),
                            r.deliveryCount(), r.lockDeadlineMs()))
                    .toList();
            boolean full = partition.windowFull();
            return new Decision<>(partition, new ShareAcquireResponse(partition.startOffset(), partition.endOffset(),
                    records, full, full ? partition.nextLockDeadlineMs() : -1));
        }).doOnNext(stored -> count.get().run());
    }

    /**
     * Applies the member's acknowledgements. A share-partition the group does not have is not created: its
     * acquisition ids are unknown and its ranges outside the (empty) window.
     */
    Mono<ShareAcknowledgeResponse> acknowledge(ShareAcknowledgeRequest request) {
        return Mono.defer(() -> submitAcknowledge(request));
    }

    private Mono<ShareAcknowledgeResponse> submitAcknowledge(ShareAcknowledgeRequest request) {
        Key key = key(request.groupId(), request.topic(), request.partition());
        if (request.items() == null || request.items().isEmpty()) {
            return Mono.error(ErrorCode.INVALID_REQUEST.exception("An acknowledgement needs at least one item"));
        }
        List<Acknowledgement> acknowledgements = new ArrayList<>();
        for (ShareAcknowledgeRequest.Item item : request.items()) {
            acknowledgements.add(acknowledgement(item));
        }
        AtomicReference<Runnable> count = new AtomicReference<>(() -> { });
        return submit(key, (current, config, nowMs) -> {
            SharePartition partition = current != null ? current : SharePartition.startingAt(0, config.limits());
            List<AckResult> results = partition.acknowledge(request.memberId(), acknowledgements, nowMs);
            count.set(() -> metrics.acknowledged(key.groupId(), results));
            List<ShareAcknowledgeResponse.ItemResult> items = results.stream()
                    .map(result -> new ShareAcknowledgeResponse.ItemResult(result.error(), result.records().stream()
                            .map(r -> new ShareAcknowledgeResponse.RecordOutcome(r.offset(), r.error(), r.state(),
                                    r.lockDeadlineMs()))
                            .toList()))
                    .toList();
            return new Decision<>(current != null ? partition : null,
                    new ShareAcknowledgeResponse(partition.startOffset(), items));
        }).doOnNext(stored -> count.get().run());
    }

    /**
     * Ends every lock {@code memberId} holds in the group's share-partitions ({@link SharePartition#releaseHeldBy}):
     * the member left the group or expired, and its records are delivered again now. One command per stored
     * share-partition, in the sequence of acquisitions, so no acquire sees a half-released group.
     *
     * @return how many records were released
     */
    Mono<Integer> releaseHeldBy(String groupId, String memberId) {
        return shareConfig(groupId)
                .flatMap(config -> store.load(groupId, config.limits()))
                .flatMapMany(partitions -> Flux.fromIterable(partitions.keySet()))
                .concatMap(tp -> submit(new Key(groupId, tp), (current, config, nowMs) -> {
                    if (current == null) {
                        return new Decision<>(null, 0);
                    }
                    int released = current.releaseHeldBy(memberId).size();
                    return new Decision<>(current, released);
                }))
                .reduce(0, Integer::sum);
    }

    /**
     * Ends the locks {@code memberId} holds in the named share-partitions only (a share session of the member closed,
     * or its connection dropped): one command per share-partition, as {@link #releaseHeldBy(String, String)}. A
     * share-partition the group does not have releases nothing and is not created.
     *
     * @return how many records were released
     */
    Mono<Integer> releaseHeldBy(String groupId, String memberId, List<TopicPartition> partitions) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            if (memberId == null || memberId.isBlank()) {
                return Mono.error(ErrorCode.INVALID_REQUEST.exception("A release names the member"));
            }
            return Flux.fromIterable(partitions)
                    .concatMap(tp -> submit(new Key(groupId, tp), (current, config, nowMs) -> {
                        if (current == null) {
                            return new Decision<>(null, 0);
                        }
                        int released = current.releaseHeldBy(memberId).size();
                        return new Decision<>(released > 0 ? current : null, released);
                    }))
                    .reduce(0, Integer::sum);
        });
    }

    /**
     * The records of one share-partition the member holds now. A command of the sequence like the others, so it sees
     * every acquire and acknowledge before it; it decides nothing and so writes nothing.
     */
    Mono<ShareHeldResponse> held(ShareHeldRequest request) {
        return Mono.defer(() -> {
            Key key = key(request.groupId(), request.topic(), request.partition());
            return submit(key, (current, config, nowMs) -> new Decision<>(null, new ShareHeldResponse(current == null
                    ? List.of() : current.heldBy(request.memberId(), nowMs).stream()
                    .map(r -> new ShareHeldResponse.HeldRecord(r.offset(), r.acquisitionId(), r.lockDeadlineMs()))
                    .toList())));
        });
    }

    private static Acknowledgement acknowledgement(ShareAcknowledgeRequest.Item item) {
        if (item == null || item.type() == null) {
            throw ErrorCode.INVALID_REQUEST.exception("Every acknowledgement item needs a type");
        }
        boolean byId = item.acquisitionId() != null;
        boolean byRange = item.firstOffset() != null && item.lastOffset() != null;
        boolean partRange = item.firstOffset() != null || item.lastOffset() != null;
        if (byId == partRange || partRange && !byRange) {
            throw ErrorCode.INVALID_REQUEST.exception("An acknowledgement item names an acquisition_id or a range"
                    + " (first_offset and last_offset), exactly one of the two: " + item);
        }
        return byId ? Acknowledgement.of(item.acquisitionId(), item.type())
                : Acknowledgement.range(item.firstOffset(), item.lastOffset(), item.type());
    }

    // ---------------------------------------------------------------- administration (ShareGroupRules)

    /** Every share group, by group id. */
    Mono<List<ShareGroupListing>> list() {
        return submitGroups(null, (groups, nowMs) -> new GroupDecision<>(Map.of(), Set.of(),
                groups.entrySet().stream()
                        .map(group -> ShareGroupRules.listing(group.getKey(), group.getValue().partitions(), nowMs))
                        .toList()));
    }

    Mono<ShareGroupDescription> describe(String groupId) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            return submitGroups(groupId, (groups, nowMs) -> new GroupDecision<>(Map.of(), Set.of(),
                    ShareGroupRules.describe(groupId, groups.get(groupId).partitions(), nowMs)));
        });
    }

    Mono<ShareResetResponse> reset(String groupId, ShareResetRequest request) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            return submitGroups(groupId, (groups, nowMs) -> written(groupId,
                    ShareGroupRules.reset(groupId, groups.get(groupId).partitions(), request,
                            groups.get(groupId).config().limits(), nowMs)));
        });
    }

    /** Forgets the share group: its share-partitions and its configs, in one fenced write. */
    Mono<Void> delete(String groupId) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            return submitGroups(groupId, (groups, nowMs) -> {
                GroupDecision<Void> decision = written(groupId,
                        ShareGroupRules.delete(groupId, groups.get(groupId).partitions(), nowMs));
                return new GroupDecision<>(decision.writes(), Set.of(groupId), decision.result());
            });
        });
    }

    /** Forgets the group's share-partitions of some topics ({@link ShareGroupRules#deleteTopics}). */
    Mono<ShareOffsetsDeleteResponse> deleteOffsets(String groupId, ShareOffsetsDeleteRequest request) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            return submitGroups(groupId, (groups, nowMs) -> written(groupId, ShareGroupRules.deleteTopics(groupId,
                    groups.get(groupId).partitions(), request == null ? null : request.topics(), nowMs)));
        });
    }

    /** Whether the group has any share-partition stored (a read of Redis, outside the sequence). */
    Mono<Boolean> exists(String groupId) {
        return Mono.defer(() -> store.exists(groupId));
    }

    /** Forgets the share-partitions of a deleted topic in every share group. */
    Mono<Void> deleteTopic(String topic) {
        return submitGroups(null, (groups, nowMs) -> {
            Map<String, Map<TopicPartition, SharePartition>> writes = new TreeMap<>();
            groups.forEach((groupId, group) -> {
                Map<TopicPartition, SharePartition> removed = ShareGroupRules.deleteTopic(group.partitions(), topic)
                        .writes();
                if (!removed.isEmpty()) {
                    writes.put(groupId, removed);
                }
            });
            return new GroupDecision<Void>(writes, Set.of(), null);
        });
    }

    // ---------------------------------------------------------------- configs (GroupConfigRules)

    /** The group's configs: every key with the group's value or the cluster default. */
    Mono<ShareGroupConfigList> describeConfigs(String groupId) {
        return configs.config(groupId).map(GroupConfigRules::describe);
    }

    /**
     * Changes the group's configs, all or nothing, in the sequence: a command after it runs under the new values
     * (locks already taken keep their deadlines; see {@link GroupConfigs}).
     */
    Mono<ShareGroupConfigList> alterConfigs(String groupId, ShareGroupConfigChange change) {
        return Mono.defer(() -> {
            GroupIds.validate(groupId);
            Sinks.One<ShareGroupConfigList> result = Sinks.one();
            synchronized (commands) {
                commands.tryEmitNext(new ConfigCommand(groupId, change, result)).orThrow();
            }
            return result.asMono();
        });
    }

    private Mono<Void> processConfigs(ConfigCommand command) {
        return FencedCommands.answer(Mono.defer(() -> {
            long token = lease.fencingToken();
            return configs.config(command.groupId()).flatMap(current -> {
                SortedMap<String, String> after = GroupConfigRules.apply(command.groupId(), current.overrides(),
                        command.change(), configs.properties());
                Mono<GroupConfig> stored = command.change().validateOnly() || after.equals(current.overrides())
                        ? Mono.just(GroupConfig.of(command.groupId(), after, configs.properties()))
                        : configs.write(token, command.groupId(), after);
                return stored.map(GroupConfigRules::describe);
            });
        }), command.result(), lease, documents::clear, "group config");
    }

    /** The share group configs of {@code groupId} as they hold now. */
    private Mono<ShareGroupConfig> shareConfig(String groupId) {
        return configs.config(groupId).map(ShareGroupConfig::of);
    }

    private static <T> GroupDecision<T> written(String groupId, ShareGroupRules.Change<T> change) {
        return new GroupDecision<>(change.writes().isEmpty() ? Map.of() : Map.of(groupId, change.writes()),
                Set.of(), change.result());
    }

    private static Key key(String groupId, String topic, int partition) {
        GroupIds.validate(groupId);
        return new Key(groupId, new TopicPartition(topic, partition));
    }

    // ---------------------------------------------------------------- sequence

    private <T> Mono<T> submit(Key key, Decide<T> decide) {
        Sinks.One<T> result = Sinks.one();
        synchronized (commands) {
            commands.tryEmitNext(new Command<>(key, decide, result)).orThrow();
        }
        return result.asMono();
    }

    /**
     * A command over whole share groups (one, or every group when {@code groupId} is null), read from Redis — under one
     * token the documents held here are what Redis holds — and written one group per fenced script, each group's
     * share-partitions all at once.
     */
    private <T> Mono<T> submitGroups(String groupId, BiFunction<Map<String, Group>, Long, GroupDecision<T>> decide) {
        Sinks.One<T> result = Sinks.one();
        synchronized (commands) {
            commands.tryEmitNext(new GroupCommand<>(groupId, decide, result)).orThrow();
        }
        return result.asMono();
    }

    private <T> Mono<Void> processGroups(GroupCommand<T> command) {
        return FencedCommands.answer(Mono.defer(() -> {
            long token = lease.fencingToken();
            Mono<List<String>> groupIds = command.groupId() != null ? Mono.just(List.of(command.groupId()))
                    : store.groupIds();
            return groupIds.flatMapMany(Flux::fromIterable)
                    .concatMap(groupId -> shareConfig(groupId).flatMap(config -> store.load(groupId,
                            config.limits()).map(partitions -> Map.entry(groupId, new Group(config, partitions)))))
                    .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                    .flatMap(groups -> {
                        GroupDecision<T> decision = command.decide().apply(groups, clock.millis());
                        return Flux.fromIterable(decision.writes().entrySet())
                                .concatMap(group -> writeGroup(token, group.getKey(), group.getValue(),
                                        decision.configsDropped().contains(group.getKey())))
                                .then(Mono.fromCallable(decision::result));
                    });
        }), command.result(), lease, documents::clear, "share-partition");
    }

    private Mono<Void> writeGroup(long token, String groupId, Map<TopicPartition, SharePartition> states,
                                  boolean dropConfigs) {
        return store.write(token, groupId, states, dropConfigs)
                .doOnError(error -> states.keySet().forEach(tp -> documents.remove(new Key(groupId, tp))))
                .then(Mono.fromRunnable(() -> {
                    if (dropConfigs) {
                        configs.written(token, groupId, new TreeMap<>());
                    }
                }))
                .then(Mono.fromRunnable(() -> states.forEach((tp, state) -> {
                    documents.put(new Key(groupId, tp),
                            new Cached(token, state == null ? null : SharePartitionJson.write(state)));
                    metrics.window(groupId, tp, state);
                })));
    }

    private <T> Mono<Void> process(Command<T> command) {
        return FencedCommands.answer(Mono.defer(() -> {
            long token = lease.fencingToken();
            return shareConfig(command.key().groupId()).flatMap(config -> {
                Cached cached = documents.get(command.key());
                Mono<Optional<String>> before = cached != null && cached.fencingToken() == token
                        ? Mono.just(Optional.ofNullable(cached.document()))
                        : store.load(command.key().groupId(), command.key().partition(), config.limits())
                                .map(stored -> Optional.of(SharePartitionJson.write(stored)))
                                .defaultIfEmpty(Optional.empty());
                return before.flatMap(document -> decideAndWrite(command, token, config, document.orElse(null)));
            });
        }), command.result(), lease, documents::clear, "share-partition");
    }

    private <T> Mono<T> decideAndWrite(Command<T> command, long token, ShareGroupConfig config, String before) {
        Key key = command.key();
        SharePartition current = before == null ? null : SharePartitionJson.read(before, config.limits());
        Decision<T> decision = command.decide().apply(current, config, clock.millis());
        String after = decision.after() == null ? before : SharePartitionJson.write(decision.after());
        if (Objects.equals(before, after)) {
            documents.put(key, new Cached(token, before));
            return Mono.just(decision.result());
        }
        // The records this call archived go to the outbox with the state when the group names a dead-letter topic.
        List<DeadLetterEntry> runs = decision.after() == null ? List.of() : DeadLetterEntry.runs(key.groupId(),
                key.partition(), decision.after().takeArchived(),
                new DeadLetterSettings(config.deadLetterTopic(), config.copyRecord()));
        return store.write(token, key.groupId(), key.partition(), decision.after(), runs, outboxMaxEntries)
                .doOnNext(dropped -> outboxed(key, runs, dropped))
                .doOnError(error -> {
                    documents.remove(key);
                    if (!(error instanceof SluiceException e && e.errorCode() == ErrorCode.FENCED_COORDINATOR)) {
                        LOG.warn("A write of share-partition {} of share group {} failed ({}): reading it back before"
                                + " its next change", key.partition(), key.groupId(), error.toString());
                    }
                })
                .then(Mono.fromCallable(() -> {
                    documents.put(key, new Cached(token, after));
                    metrics.window(key.groupId(), key.partition(), decision.after());
                    return decision.result();
                }));
    }

    /** After a write that archived records: wakes the writer, or says which runs the full outbox did not take. */
    private void outboxed(Key key, List<DeadLetterEntry> runs, int dropped) {
        if (runs.isEmpty()) {
            return;
        }
        if (dropped > 0) {
            long records = runs.subList(runs.size() - dropped, runs.size()).stream()
                    .mapToLong(DeadLetterEntry::records).sum();
            metrics.deadLetterErrors(key.groupId(), DeadLetterProblem.Reason.OUTBOX_FULL, records);
            LOG.warn("The dead-letter outbox holds {} runs, its limit (share-groups.dead-letter.outbox-max-entries):"
                    + " {} archived records of {} in share group {} are archived without a dead-letter copy",
                    outboxMaxEntries, records, key.partition(), key.groupId());
        }
        deadLetterSignal.wake();
    }

    private record Key(String groupId, TopicPartition partition) {
    }

    /** A share-partition's document (null: none stored) as read or written under {@code fencingToken}. */
    private record Cached(long fencingToken, String document) {
    }

    /** The state after a call (null: the call stores nothing) and its answer. */
    private record Decision<T>(SharePartition after, T result) {
    }

    /** What a command on one share-partition decides, from its state (null: none stored) under the group's config. */
    @FunctionalInterface
    private interface Decide<T> {
        Decision<T> apply(SharePartition current, ShareGroupConfig config, long nowMs);
    }

    /** One step of the sequence: a command on one share-partition, one over whole share groups, or a config change. */
    private sealed interface Step permits Command, GroupCommand, ConfigCommand {
    }

    private record Command<T>(Key key, Decide<T> decide, Sinks.One<T> result) implements Step {
    }

    /** {@code groupId} null: every share group. */
    private record GroupCommand<T>(String groupId, BiFunction<Map<String, Group>, Long, GroupDecision<T>> decide,
                                   Sinks.One<T> result) implements Step {
    }

    private record ConfigCommand(String groupId, ShareGroupConfigChange change, Sinks.One<ShareGroupConfigList> result)
            implements Step {
    }

    /** A share group as a group command sees it: its config and its stored share-partitions. */
    private record Group(ShareGroupConfig config, Map<TopicPartition, SharePartition> partitions) {
    }

    /**
     * What to store after a group command, by group id (a null share-partition is removed), the groups whose configs
     * go with their share-partitions (deleted groups), and its answer.
     */
    private record GroupDecision<T>(Map<String, Map<TopicPartition, SharePartition>> writes, Set<String> configsDropped,
                                    T result) {
    }
}
