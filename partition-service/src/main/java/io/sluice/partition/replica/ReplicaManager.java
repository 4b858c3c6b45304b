package io.sluice.partition.replica;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.coordinator.AlterPartitionRequest;
import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.log.LogConfig;
import io.sluice.log.TieredConfig;
import io.sluice.log.LogManager;
import io.sluice.log.PartitionLog;
import io.sluice.partition.PartitionProperties;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.SchemaValidation;
import io.sluice.protocol.config.TopicConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * The partitions this node hosts, kept in line with the coordinator's metadata: a partition this node is a replica
 * of gets a log and becomes leader or follower as the metadata says, at the metadata's leader epoch. Leaders keep
 * their ISR honest through the coordinator.
 *
 * <p>Leader epochs only move forward here: a state with an older leader epoch than the replica's, or another leader
 * in the same epoch, comes from a coordinator or a Redis that lost writes; it is refused, logged and counted
 * ({@code sluice.partition.metadata.epoch.regressions}), and the replica keeps its role. Data is deleted only on an
 * explicit decision the node has seen made: the topic gone in the very next metadata version, or re-created under the
 * same name (recognised by its topic id); or a partition move (KIP-455) that ends without this node — the previous
 * version listed the replica as being added or removed, and the very next version of the same topic no longer lists
 * it among the replicas, at a leader epoch no older than the one the replica knows and a newer partition epoch (the
 * move completed, was cancelled, or was replaced by one that drops it). A replica that vanishes from the metadata any
 * other way — a snapshot that skipped versions, a view whose epochs went back, a replica list changed without a
 * move — is set aside as a stray directory and kept.
 *
 * <p>A node a move adds is a follower like any other: it creates an empty log and fetches from the leader, and
 * joins the ISR only when the leader finds it caught up.
 *
 * <p>Metadata is applied on the metadata watcher's thread, one version at a time; lookups from request threads are
 * lock-free.
 */
public final class ReplicaManager {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);
    static final String TOPIC_ID_FILE = "partition.metadata";

    private final LogManager logs;
    private final CoordinatorApi coordinator;
    private final Scheduler completions;
    private final FollowerFetching fetchers;
    private final PartitionProperties properties;
    private final Clock clock;
    private final int localNode;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final Counter isrShrinks;
    private final Counter isrExpands;
    private final Counter epochRegressions;
    private volatile MetadataView metadata = MetadataView.empty();
    /** Liveness by the metadata as it stands when asked (a fetch asks only when it may add a follower). */
    private final Partition.LiveReplicas liveNow =
            (node, incarnation) -> liveReplicas(metadata).isAlive(node, incarnation);

    public ReplicaManager(LogManager logs, CoordinatorApi coordinator, FollowerFetching fetchers,
                          PartitionProperties properties, Clock clock, MeterRegistry meters, Scheduler completions) {
        this.isrShrinks = Counter.builder("sluice.partition.isr.shrinks")
                .description("ISR changes this node made as leader that removed replicas").register(meters);
        this.isrExpands = Counter.builder("sluice.partition.isr.expands")
                .description("ISR changes this node made as leader that added replicas").register(meters);
        this.epochRegressions = Counter.builder("sluice.partition.metadata.epoch.regressions")
                .description("Partition states refused because their leader epoch was older than the replica's")
                .register(meters);
        this.logs = logs;
        this.coordinator = coordinator;
        this.completions = completions;
        this.fetchers = fetchers;
        this.properties = properties;
        this.clock = clock;
        this.localNode = properties.nodeId();
    }

    public int localNode() {
        return localNode;
    }

    public MetadataView metadata() {
        return metadata;
    }

    public Collection<Partition> partitions() {
        return partitions.values();
    }

    public Optional<Partition> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    /**
     * The partition if this node leads it at {@code leaderEpoch}; else the error a router acts on. A caller naming a
     * leader epoch for a partition this node's metadata does not know yet (it just started, or the topic is new) has
     * newer metadata than this node: UNKNOWN_LEADER_EPOCH, which it retries — not UNKNOWN_TOPIC, which would tell a
     * client its topic does not exist.
     */
    public Partition leaderPartition(TopicPartition tp, int leaderEpoch) {
        Partition partition = hostedPartition(tp, leaderEpoch);
        partition.ensureLeader(leaderEpoch);
        return partition;
    }

    /**
     * The partition if this node hosts a replica of it, leader or follower; else the error {@link #leaderPartition}
     * answers for a partition not hosted here. No leader epoch is checked: a caller that names one checks it.
     */
    public Partition hostedPartition(TopicPartition tp, int leaderEpoch) {
        Partition partition = partitions.get(tp);
        if (partition == null) {
            Optional<PartitionState> known = metadata.partition(tp);
            if (known.isEmpty() && leaderEpoch != PartitionBatches.ANY_EPOCH) {
                throw ErrorCode.UNKNOWN_LEADER_EPOCH.exception("Node " + localNode + " has not seen metadata naming "
                        + tp + " at leader epoch " + leaderEpoch + " yet");
            }
            if (known.isEmpty()) {
                throw metadata.topic(tp.topic()).isPresent()
                        ? ErrorCode.UNKNOWN_PARTITION.exception("Topic " + tp.topic() + " has no partition " + tp.partition())
                        : ErrorCode.UNKNOWN_TOPIC.exception("Topic " + tp.topic() + " does not exist");
            }
            throw ErrorCode.NOT_LEADER.exception("Node " + localNode + " does not host " + tp + "; node "
                    + known.get().leader() + " leads it");
        }
        return partition;
    }

    /** Brings hosted partitions in line with {@code view}. */
    public synchronized void applyMetadata(MetadataView view) {
        MetadataView previous = metadata;
        metadata = view;
        long now = clock.millis();
        Set<TopicPartition> assigned = new HashSet<>();
        for (TopicMetadata topic : view.metadata().topics()) {
            for (PartitionState state : topic.partitions()) {
                if (!state.replicas().contains(localNode)) {
                    continue;
                }
                TopicPartition tp = new TopicPartition(topic.name(), state.partition());
                assigned.add(tp);
                try {
                    apply(topic, tp, state, view.version(), now);
                } catch (IOException | RuntimeException e) {
                    LOG.error("Could not take up {} as metadata version {} asks", tp, view.version(), e);
                }
            }
        }
        boolean nextVersion = view.version() == previous.version() + 1;
        for (TopicPartition tp : List.copyOf(partitions.keySet())) {
            if (assigned.contains(tp)) {
                continue;
            }
            String topicId = partitions.get(tp).topicId();
            boolean deleted = nextVersion && view.topic(tp.topic()).isEmpty()
                    && previous.topic(tp.topic()).map(t -> t.id().equals(topicId)).orElse(false);
            if (deleted) {
                remove(tp, "topic " + tp.topic() + " was deleted in metadata version " + view.version());
            } else if (nextVersion && movedOff(previous, view, tp, partitions.get(tp))) {
                remove(tp, "metadata version " + view.version() + " ended a partition move without node " + localNode);
            } else {
                setAside(tp, "metadata version " + view.version() + " no longer assigns it to node " + localNode);
            }
        }
    }

    private void apply(TopicMetadata topic, TopicPartition tp, PartitionState state, long version, long now)
            throws IOException {
        Partition partition = partitions.get(tp);
        if (partition != null && !topic.id().equals(partition.topicId())) {
            remove(tp, "topic " + topic.name() + " was deleted and created again");
            partition = null;
        }
        if (partition != null && isRegression(partition.state(), state)) {
            epochRegressions.increment();
            LOG.error("Refusing metadata version {} for {}: it has leader {} at leader epoch {}, but this replica is at "
                            + "leader epoch {} with leader {}. Leader epochs only move forward; the coordinator's state "
                            + "is older than what the cluster has seen (a lost Redis write?)", version, tp,
                    state.leader(), state.leaderEpoch(), partition.leaderEpoch(), partition.state().leader());
            return;
        }
        LogConfig config = LogConfig.defaults().withTopicConfigs(topic.configs());
        if (!properties.remoteStorage().enabled() && config.tiered().remoteStorageEnable()) {
            // A node without remote storage keeps such a topic as an untiered one: retention.* deletes its segments
            // (the coordinator refuses remote.storage.enable where remote storage is not configured).
            config = config.withTiered(TieredConfig.defaults());
        }
        if (partition == null) {
            partition = host(tp, topic.id(), config);
        } else {
            partition.log().updateConfig(config);
        }
        partition.minInsyncReplicas(TopicConfig.of(topic.configs()).minInsyncReplicas());
        partition.schemaValidation(SchemaValidation.of(topic.configs()));
        if (state.leader() == localNode) {
            if (partition.role() != Role.LEADER || partition.leaderEpoch() < state.leaderEpoch()) {
                fetchers.removePartition(tp);
                LOG.info("Leading {} at leader epoch {}", tp, state.leaderEpoch());
            }
            partition.becomeLeader(state, now);
        } else if (partition.role() != Role.FOLLOWER || partition.leaderEpoch() < state.leaderEpoch()) {
            partition.becomeFollower(state);
            NodeInfo leader = state.hasLeader() ? metadata.node(state.leader()).orElse(null) : null;
            if (leader != null) {
                LOG.info("Following {} from node {} at leader epoch {}", tp, leader.id(), state.leaderEpoch());
                fetchers.addPartition(partition, leader);
            } else {
                fetchers.removePartition(tp);
            }
        } else {
            partition.updateState(state);
        }
    }

    /**
     * Whether {@code next}, the version right after {@code previous}, ends a move that took {@code partition} off this
     * node: {@code previous} listed this node as being added or removed, and {@code next} has the same topic (same id)
     * without this node among the partition's replicas, at a leader epoch no older than the replica's and
     * {@code previous}'s and a newer partition epoch.
     */
    private boolean movedOff(MetadataView previous, MetadataView next, TopicPartition tp, Partition partition) {
        PartitionState before = previous.partition(tp).orElse(null);
        PartitionState after = next.partition(tp).orElse(null);
        if (before == null || after == null || partition == null
                || !(before.addingReplicas().contains(localNode) || before.removingReplicas().contains(localNode))) {
            return false;
        }
        boolean sameTopic = next.topic(tp.topic()).map(t -> t.id().equals(partition.topicId())).orElse(false)
                && previous.topic(tp.topic()).map(t -> t.id().equals(partition.topicId())).orElse(false);
        return sameTopic && !after.replicas().contains(localNode)
                && after.leaderEpoch() >= before.leaderEpoch() && after.leaderEpoch() >= partition.leaderEpoch()
                && after.partitionEpoch() > before.partitionEpoch();
    }

    /** An older leader epoch than the replica's, or the same epoch with another leader. */
    private static boolean isRegression(PartitionState current, PartitionState next) {
        return current != null && (next.leaderEpoch() < current.leaderEpoch()
                || next.leaderEpoch() == current.leaderEpoch() && next.leader() != current.leader());
    }

    private Partition host(TopicPartition tp, String topicId, LogConfig config) throws IOException {
        PartitionLog log = logs.log(tp).orElse(null);
        if (log != null) {
            String stored = storedTopicId(log.directory());
            if (stored != null && !stored.equals(topicId)) {
                LOG.info("Deleting {}: its data belongs to an earlier topic of the same name", tp);
                logs.deleteLog(tp);
                log = null;
            }
        }
        if (log == null) {
            log = logs.getOrCreateLog(tp, config);
        } else {
            log.updateConfig(config);
        }
        Files.writeString(log.directory().resolve(TOPIC_ID_FILE), "topic_id=" + topicId + "\n");
        Partition partition = new Partition(tp, topicId, log, localNode);
        partitions.put(tp, partition);
        return partition;
    }

    private void remove(TopicPartition tp, String reason) {
        Partition partition = stopHosting(tp);
        try {
            if (logs.deleteLog(tp)) {
                LOG.info("Deleted the replica of {}: {}", tp, reason);
            }
        } catch (IOException e) {
            LOG.error("Could not delete the replica of {}", tp, e);
        }
        if (partition != null) {
            partition.becomeFollower(partition.state());
        }
    }

    private void setAside(TopicPartition tp, String reason) {
        Partition partition = stopHosting(tp);
        try {
            logs.setAsideLog(tp).ifPresent(dir -> LOG.warn("Set the replica of {} aside in {}: {}. Its data is kept; "
                    + "only an explicit topic deletion deletes data", tp, dir, reason));
        } catch (IOException e) {
            LOG.error("Could not set the replica of {} aside", tp, e);
        }
        if (partition != null) {
            partition.becomeFollower(partition.state());
        }
    }

    private Partition stopHosting(TopicPartition tp) {
        Partition partition = partitions.remove(tp);
        fetchers.removePartition(tp);
        return partition;
    }

    /**
     * Sets aside replicas left on disk that the metadata does not assign here (a topic deleted while this node was
     * down looks the same as one a Redis lost). Called once a complete metadata view has arrived, never before.
     */
    public synchronized void setAsideStrayLogs() {
        for (TopicPartition tp : Set.copyOf(logs.logs().keySet())) {
            if (!partitions.containsKey(tp)) {
                setAside(tp, "the cluster metadata does not assign it to node " + localNode);
            }
        }
    }

    /**
     * A follower's process {@code incarnation} fetched {@code tp} from {@code fetchOffset} in {@code fetchEpoch}, its log
     * starting at {@code logStartOffset}: if
     * this node leads it, the leader takes the fetch into its follower state, ISR and high watermark
     * ({@link Partition#recordFollowerFetch}), judging liveness by the metadata as it stands now.
     */
    public void recordFollowerFetch(TopicPartition tp, int follower, String incarnation, long fetchOffset,
            long logStartOffset, int fetchEpoch, long now) {
        Partition partition = partitions.get(tp);
        if (partition != null && partition.isLeader()) {
            partition.recordFollowerFetch(follower, incarnation, fetchOffset, logStartOffset, fetchEpoch, now, liveNow);
        }
    }

    /** A node counts as live in {@code view} only while it is alive there under the incarnation asked about. */
    static Partition.LiveReplicas liveReplicas(MetadataView view) {
        return (nodeId, incarnation) -> incarnation != null && view.node(nodeId)
                .map(node -> node.isAlive() && incarnation.equals(node.incarnation()))
                .orElse(false);
    }

    /**
     * Sends the ISR changes leaders want to the coordinator (Kafka's AlterPartition) without waiting for the answers;
     * each partition adopts its answer on the log scheduler. A partition has at most one change pending, so a slow
     * coordinator delays changes but never piles them up; one left unanswered is sent again on a later call.
     */
    public void maybeUpdateIsrs() {
        long now = clock.millis();
        long lagTimeMax = properties.replication().lagTimeMax().toMillis();
        Partition.LiveReplicas live = liveReplicas(metadata);
        for (Partition partition : partitions.values()) {
            Partition.IsrProposal proposal = partition.proposedIsr(now, lagTimeMax, live);
            if (proposal == null) {
                continue;
            }
            List<Integer> before = partition.state().isr();
            TopicPartition tp = partition.topicPartition();
            if (proposal.outOfSync() != null) {
                LOG.info("Shrinking the ISR of {} from {} to {}: {}", tp, before, proposal.isr(), proposal.outOfSync());
            }
            coordinator.alterPartition(tp, new AlterPartitionRequest(localNode, proposal.leaderEpoch(),
                            proposal.partitionEpoch(), proposal.isr(), proposal.joinerIncarnations()))
                    .publishOn(completions)
                    .doOnNext(accepted -> {
                        LOG.info("ISR of {} changed from {} to {}", tp, before, accepted.isr());
                        if (!accepted.isr().containsAll(before)) {
                            isrShrinks.increment();
                        }
                        if (!before.containsAll(accepted.isr())) {
                            isrExpands.increment();
                        }
                        partition.isrChangeCompleted(accepted);
                    })
                    .doOnError(e -> {
                        ErrorCode refusal = e instanceof SluiceException se ? se.errorCode() : null;
                        LOG.info("ISR change of {} to {} not accepted: {}", tp, proposal.isr(), e.toString());
                        partition.isrChangeFailed(refusal);
                    })
                    .subscribe(accepted -> { }, e -> { });
        }
    }

    private static String storedTopicId(Path dir) throws IOException {
        Path file = dir.resolve(TOPIC_ID_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("topic_id=")) {
                return line.substring("topic_id=".length()).trim();
            }
        }
        return null;
    }
}
