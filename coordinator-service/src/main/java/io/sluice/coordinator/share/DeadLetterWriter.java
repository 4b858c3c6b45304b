package io.sluice.coordinator.share;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.coordinator.CoordinatorProperties;
import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.TopicConfig;
import io.sluice.protocol.config.TopicConfigs;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Drains the dead-letter outbox ({@link DeadLetterOutbox}) on the active coordinator: each run of archived records is
 * written to its group's dead-letter topic ({@link DeadLetterRecords}: the partition is the source partition modulo
 * the topic's partition count) at that partition's leader with acks=all, and removed from the outbox only once the
 * leader acknowledged every record. A run is written at least once: a coordinator that stops between the write and
 * the removal leaves the run for the next active one, which writes it again (Kafka's dead-letter writes make no more
 * promise, and less: theirs are not stored before they are written).
 *
 * <p>When the group copies records, the originals are read from the source partition's leader first; records that are
 * no longer there (retention, the topic deleted) are written with the context headers only, as Kafka does.
 *
 * <p>A run whose topic fails KIP-1191's rules ({@link DeadLetterTargets}) or whose records the leader refuses for good
 * is removed unwritten: its records stay archived, the records are counted
 * ({@code sluice_coordinator_share_dead_letter_errors_total}) and the problem is logged once per group, topic and
 * reason, so a misconfigured group neither retries forever nor floods the log. A missing topic is created first when
 * the cluster allows it ({@code share-groups.dead-letter.auto-create-topics}). A failure that may pass (no leader, a
 * leader that is down, a timeout) leaves the run, and that dead-letter topic is not tried again for a backoff that
 * doubles from one second to 30.
 *
 * <p>Runs are written one at a time, in outbox order, from one timer thread: woken after a write that archived records,
 * and every {@code share-groups.dead-letter.write-interval} otherwise. A standby does nothing.
 */
@Component
class DeadLetterWriter implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    /** Runs read from the outbox per round. */
    static final int RUNS_PER_ROUND = 100;
    /** The most bytes read from a source partition per fetch, when copying records. */
    static final int FETCH_BYTES = 1024 * 1024;
    private static final long BACKOFF_MIN_MS = 1_000;
    /** A leader's answers that writing the same records again would get again. */
    private static final Set<ErrorCode> REFUSED_FOR_GOOD = Set.of(ErrorCode.RECORD_TOO_LARGE,
            ErrorCode.REQUEST_TOO_LARGE, ErrorCode.INVALID_RECORD, ErrorCode.CORRUPT_RECORD, ErrorCode.INVALID_REQUEST,
            ErrorCode.INVALID_TIMESTAMP, ErrorCode.POLICY_VIOLATION, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    private static final long BACKOFF_MAX_MS = 30_000;

    private final DeadLetterOutbox outbox;
    private final MetadataManager metadata;
    private final CoordinatorLease lease;
    private final PartitionDataApi leaders;
    private final DeadLetterTopicCreator topics;
    private final ShareMetrics metrics;
    private final Clock clock;
    private final CoordinatorProperties.ShareGroups.DeadLetter settings;
    private final Scheduler timer = Schedulers.newSingle("share-dead-letters", true);
    private final DeadLetterSignal signal;
    /** Problems logged already, by group, topic and reason: each is logged once. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    /** Per dead-letter topic after a failure that may pass: when it is tried next, and the backoff that led there. */
    private final Map<String, long[]> backoff = new ConcurrentHashMap<>();
    private final AtomicLong waiting = new AtomicLong();
    private Disposable rounds;

    DeadLetterWriter(DeadLetterOutbox outbox, MetadataManager metadata, CoordinatorLease lease,
                     PartitionDataApi leaders, DeadLetterTopicCreator topics, ShareMetrics metrics, Clock clock,
                     CoordinatorProperties properties, MeterRegistry registry, DeadLetterSignal signal) {
        this.outbox = outbox;
        this.signal = signal;
        this.metadata = metadata;
        this.lease = lease;
        this.leaders = leaders;
        this.topics = topics;
        this.metrics = metrics;
        this.clock = clock;
        this.settings = properties.shareGroups().deadLetter();
        Gauge.builder("sluice.coordinator.share.dead.letter.outbox.runs", waiting, AtomicLong::get)
                .description("Runs of archived records waiting in the dead-letter outbox, as last read by the writer")
                .register(registry);
    }

    /** One round: the oldest runs, each written or left; the number of runs removed. */
    Mono<Integer> round() {
        return Mono.defer(() -> {
            if (!lease.status().active() || !metadata.isReady()) {
                return Mono.just(0);
            }
            return outbox.size().doOnNext(waiting::set)
                    .then(outbox.oldest(RUNS_PER_ROUND))
                    .flatMapMany(Flux::fromIterable)
                    .concatMap(run -> write(run.entry()).flatMap(done -> done
                            ? outbox.remove(run).thenReturn(1) : Mono.just(0)))
                    .reduce(0, Integer::sum)
                    .doOnNext(removed -> waiting.addAndGet(-removed));
        });
    }

    /** Writes one run: true when it is done with (written, or given up on and counted), false to try it again. */
    private Mono<Boolean> write(DeadLetterEntry entry) {
        return Mono.defer(() -> {
            long[] wait = backoff.get(entry.dlqTopic());
            if (wait != null && clock.millis() < wait[0]) {
                return Mono.just(false);
            }
            MetadataView view = metadata.view();
            return switch (DeadLetterTargets.resolve(entry.group(), entry.dlqTopic(), settings.topicNamePrefix(),
                    view)) {
                case DeadLetterTargets.Refused(DeadLetterProblem problem) -> Mono.just(givenUp(entry, problem));
                case DeadLetterTargets.Missing missing -> maybeCreate(entry, view);
                case DeadLetterTargets.Ready(TopicMetadata topic) -> writeTo(entry, topic, view);
            };
        }).onErrorResume(error -> Mono.just(mayPass(entry, error)));
    }

    private Mono<Boolean> maybeCreate(DeadLetterEntry entry, MetadataView view) {
        if (!settings.autoCreateTopics()) {
            return Mono.just(givenUp(entry, new DeadLetterProblem(DeadLetterProblem.Reason.TOPIC_NOT_FOUND,
                    "Share group " + entry.group() + "'s dead-letter topic '" + entry.dlqTopic() + "' does not exist,"
                            + " and share-groups.dead-letter.auto-create-topics is false")));
        }
        long live = view.metadata().nodes().stream().filter(n -> n.status() == NodeStatus.ALIVE).count();
        int replicationFactor = (int) Math.max(1, Math.min(settings.autoCreateReplicationFactor(), live));
        LOG.info("Creating share group {}'s dead-letter topic '{}' ({} partitions, replication factor {})",
                entry.group(), entry.dlqTopic(), settings.autoCreatePartitions(), replicationFactor);
        return topics.create(entry.dlqTopic(), settings.autoCreatePartitions(), replicationFactor,
                        Map.of(TopicConfigs.ERRORS_DEADLETTERQUEUE_GROUP_ENABLE, "true",
                                TopicConfigs.MESSAGE_TIMESTAMP_TYPE, "CreateTime"))
                .onErrorResume(e -> e instanceof SluiceException s && s.errorCode() == ErrorCode.TOPIC_ALREADY_EXISTS,
                        e -> Mono.empty())
                // The new topic's leaders are elected with it; the run is written at a later round.
                .thenReturn(false)
                .onErrorResume(error -> error instanceof SluiceException s && !s.errorCode().retriable()
                        ? Mono.just(givenUp(entry, new DeadLetterProblem(DeadLetterProblem.Reason.TOPIC_NOT_FOUND,
                                "Share group " + entry.group() + "'s dead-letter topic '" + entry.dlqTopic()
                                        + "' could not be created: " + s.getMessage())))
                        : Mono.error(error));
    }

    private Mono<Boolean> writeTo(DeadLetterEntry entry, TopicMetadata topic, MetadataView view) {
        TopicPartition target = new TopicPartition(topic.name(),
                DeadLetterRecords.partition(entry.partition(), topic.partitions().size()));
        NodeInfo leader = view.leader(target).orElseThrow(() -> ErrorCode.LEADER_NOT_AVAILABLE.exception(
                "The dead-letter partition " + target + " has no leader"));
        int leaderEpoch = view.partition(target).orElseThrow().leaderEpoch();
        int maxBatchBytes = TopicConfig.of(topic.configs()).maxMessageBytes();
        Mono<Map<Long, Record>> originals = entry.copyRecord() ? originals(entry, view) : Mono.just(Map.of());
        return originals.flatMap(records -> {
            List<ByteBuffer> batches = DeadLetterRecords.batches(entry, records, clock.millis(), maxBatchBytes);
            return Flux.fromIterable(batches)
                    .concatMap(batch -> leaders.produce(leader, List.of(new PartitionBatches(target, leaderEpoch,
                            batch)), Acks.ALL, settings.writeTimeout()))
                    .map(DeadLetterWriter::requireWritten)
                    .then(Mono.fromCallable(() -> {
                        backoff.remove(entry.dlqTopic());
                        metrics.deadLettered(entry.group(), entry.records());
                        return true;
                    }));
        });
    }

    private static ProduceResponse requireWritten(ProduceResponse response) {
        for (ProduceResponse.PartitionResult result : response.partitions()) {
            if (result.errorCode() != null) {
                throw result.errorCode().exception("The dead-letter partition " + result.topic() + "-"
                        + result.partition() + " refused the records: " + result.message());
            }
        }
        return response;
    }

    /**
     * The run's records as the source partition's leader has them now: those still there, by offset. Empty when the
     * source topic or the records are gone (the copy then has the context headers only).
     */
    private Mono<Map<Long, Record>> originals(DeadLetterEntry entry, MetadataView view) {
        TopicPartition source = entry.source();
        if (view.topic(source.topic()).isEmpty()) {
            return Mono.just(Map.of());
        }
        NodeInfo leader = view.leader(source).orElseThrow(() -> ErrorCode.LEADER_NOT_AVAILABLE.exception(
                "The source partition " + source + " has no leader to read the records to copy from"));
        Map<Long, Record> found = new HashMap<>();
        return readFrom(leader, entry, entry.firstOffset(), found).thenReturn(found);
    }

    private Mono<Void> readFrom(NodeInfo leader, DeadLetterEntry entry, long from, Map<Long, Record> found) {
        FetchRequest request = new FetchRequest(0L, 1, FETCH_BYTES, List.of(new FetchRequest.Partition(
                entry.topic(), entry.partition(), from, FETCH_BYTES)));
        return leaders.fetch(leader, request).flatMap(partitions -> {
            FetchResponseCodec.FetchedPartition fetched = partitions.getFirst();
            if (fetched.error() == ErrorCode.OFFSET_OUT_OF_RANGE || fetched.error() == ErrorCode.UNKNOWN_TOPIC
                    || fetched.error() == ErrorCode.UNKNOWN_PARTITION) {
                return Mono.empty();
            }
            if (fetched.error() != null) {
                return Mono.error(fetched.error().exception("Reading " + entry.source() + " at " + from
                        + " to copy archived records failed"));
            }
            long next = from;
            for (RecordBatch batch : BufferBatchIterator.batches(fetched.records())) {
                next = Math.max(next, batch.nextOffset());
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record record : batch.records()) {
                    if (record.offset() >= entry.firstOffset() && record.offset() <= entry.lastOffset()) {
                        found.put(record.offset(), record);
                    }
                }
            }
            return next > from && next <= entry.lastOffset() ? readFrom(leader, entry, next, found) : Mono.empty();
        });
    }

    /** A run given up on: counted, logged once per group, topic and reason; done with. */
    private boolean givenUp(DeadLetterEntry entry, DeadLetterProblem problem) {
        metrics.deadLetterErrors(entry.group(), problem.reason(), entry.records());
        if (logged.add(entry.group() + "|" + entry.dlqTopic() + "|" + problem.reason())) {
            LOG.warn("{}: archived records of share group {} are not copied there (offsets {}..{} of {}); they stay"
                    + " archived. Logged once per group, topic and reason; sluice_coordinator_share_dead_letter"
                    + "_errors_total counts them", problem.message(), entry.group(), entry.firstOffset(),
                    entry.lastOffset(), entry.source());
        }
        return true;
    }

    /**
     * A failed write: a refusal of the records themselves gives the run up; anything else (no leader, a leader that
     * does not know the topic yet, a timeout, a lost connection) leaves it, and backs its topic off. The topic's
     * existence and config were checked in the coordinator's metadata just before, so a leader's UNKNOWN_TOPIC is one
     * that has not caught up with it.
     */
    private boolean mayPass(DeadLetterEntry entry, Throwable error) {
        if (error instanceof SluiceException s && REFUSED_FOR_GOOD.contains(s.errorCode())) {
            return givenUp(entry, new DeadLetterProblem(DeadLetterProblem.Reason.WRITE_FAILED, "Writing to share group "
                    + entry.group() + "'s dead-letter topic '" + entry.dlqTopic() + "' failed: " + s.getMessage()));
        }
        long now = clock.millis();
        long[] next = backoff.compute(entry.dlqTopic(), (topic, previous) -> {
            long delay = previous == null ? BACKOFF_MIN_MS : Math.min(BACKOFF_MAX_MS, previous[1] * 2);
            return new long[] {now + delay, delay};
        });
        if (next[1] == BACKOFF_MIN_MS) {
            LOG.info("Writing archived records of share group {} to its dead-letter topic '{}' failed ({}); trying"
                    + " again in {} ms", entry.group(), entry.dlqTopic(), error.toString(), next[1]);
        }
        return false;
    }

    @Override
    public synchronized void start() {
        Duration interval = settings.writeInterval();
        rounds = Flux.merge(Flux.interval(interval, interval, timer), signal.wakeups())
                .onBackpressureDrop()
                .publishOn(timer, 1)
                .concatMap(tick -> round().onErrorResume(e -> {
                    LOG.warn("A round of the dead-letter writer failed: {}", e.toString());
                    return Mono.just(0);
                }), 1)
                .subscribe();
    }

    @Override
    public synchronized void stop() {
        if (rounds != null) {
            rounds.dispose();
            rounds = null;
        }
        timer.dispose();
    }

    @Override
    public synchronized boolean isRunning() {
        return rounds != null;
    }
}
