package io.sluice.coordinator;

import io.sluice.internal.client.InternalClientSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything the coordinator can be told ({@code sluice.coordinator.*}).
 *
 * @param instanceId       this coordinator's identity in the lease (default: random per start)
 * @param advertisedUrl    the URL other processes reach this instance at; standbys redirect there
 * @param dataDir          where the embedded Redis keeps its append-only file
 * @param redis            which Redis holds the metadata
 * @param sessionTimeout   a node silent this long is dead
 * @param heartbeatInterval how often nodes are told to heartbeat
 * @param lease            the active-coordinator lease
 * @param election         leader-election housekeeping
 * @param balancer         moving replicas by itself: balancing, repairing lost nodes, draining decommissioned ones
 * @param metadata         the metadata stream
 * @param groups           consumer groups
 * @param transactions     the transaction coordinator
 * @param shareGroups      share groups (queues)
 * @param streamsGroups    streams groups (KIP-1071: Kafka Streams with {@code group.protocol=streams})
 * @param internalCalls    the coordinator's calls to partition leaders (transaction markers; see
 *                         {@link InternalClientSettings})
 * @param remoteStorageEnabled whether the partition services have remote storage (tiered storage: their
 *                         {@code sluice.partition.remote-storage.*}); without it a topic with
 *                         {@code remote.storage.enable} is refused, as Kafka refuses it without
 *                         {@code remote.log.storage.system.enable}
 */
@Validated
@ConfigurationProperties("sluice.coordinator")
public record CoordinatorProperties(
        String instanceId,
        @NotNull URI advertisedUrl,
        @NotNull Path dataDir,
        @Valid @DefaultValue Redis redis,
        @DefaultValue("6s") Duration sessionTimeout,
        @DefaultValue("1s") Duration heartbeatInterval,
        @Valid @DefaultValue Lease lease,
        @Valid @DefaultValue Election election,
        @Valid @DefaultValue Balancer balancer,
        @Valid @DefaultValue Metadata metadata,
        @Valid @DefaultValue Groups groups,
        @Valid @DefaultValue Transactions transactions,
        @Valid @DefaultValue ShareGroups shareGroups,
        @Valid @DefaultValue StreamsGroups streamsGroups,
        @DefaultValue InternalClientSettings internalCalls,
        @DefaultValue("false") boolean remoteStorageEnabled) {

    public CoordinatorProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = "coordinator-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }

    /**
     * @param url          an external Redis ({@code redis://host:port}); when absent the coordinator starts its own
     * @param embeddedPort the port of the embedded redis-server (loopback only)
     */
    public record Redis(URI url, @DefaultValue("6390") @Min(0) int embeddedPort) {
        public boolean embedded() {
            return url == null;
        }
    }

    /**
     * @param ttl           how long the lease outlives its holder's last renewal (failover takes about this long)
     * @param renewInterval how often the holder renews and standbys try to take it
     */
    public record Lease(@DefaultValue("3s") Duration ttl, @DefaultValue("1s") Duration renewInterval) {
    }

    /**
     * @param livenessCheckInterval       how often node sessions are checked for expiry
     * @param preferredLeaderCheckInterval how often leadership is moved back to preferred replicas (0 = never)
     */
    public record Election(@DefaultValue("500ms") Duration livenessCheckInterval,
                           @DefaultValue("10s") Duration preferredLeaderCheckInterval) {
    }

    /**
     * The balancer: it plans with {@code io.sluice.coordinator.balance.MovePlanner} and starts partition moves
     * (KIP-455) on the active coordinator. Nodes being decommissioned are drained whether or not it is enabled.
     *
     * @param enabled            whether replicas are balanced and lost nodes repaired by themselves
     * @param interval           how often it plans; it also plans at once when a node joins, a move ends, a node is
     *                           decommissioned or a node's {@code repairAfter} passes
     * @param repairAfter        a node dead this long has its replicas recreated on live nodes (counted from when this
     *                           coordinator saw it dead: a failover restarts the count)
     * @param maxConcurrentMoves the most partitions moving at once, moves started by users included
     * @param replicaTolerance   how many more replicas than another a live node may hold
     * @param leaderTolerance    how many more preferred leaderships than another a live node may hold
     * @param byteTolerance      how many more bytes than another a live node may hold, as a fraction of the mean
     *                           bytes per live node
     * @param minByteSpread      how many more bytes than another a live node may hold in any case (below it, moving
     *                           data is not worth its cost)
     */
    public record Balancer(@DefaultValue("true") boolean enabled,
                           @DefaultValue("30s") Duration interval,
                           @DefaultValue("10m") Duration repairAfter,
                           @DefaultValue("4") @Min(1) int maxConcurrentMoves,
                           @DefaultValue("1") @Min(1) int replicaTolerance,
                           @DefaultValue("1") @Min(1) int leaderTolerance,
                           @DefaultValue("0.1") @DecimalMin(value = "0", inclusive = false) double byteTolerance,
                           @DefaultValue("1GB") DataSize minByteSpread) {

        public static Balancer defaults() {
            return new Balancer(true, Duration.ofSeconds(30), Duration.ofMinutes(10), 4, 1, 1, 0.1,
                    DataSize.ofGigabytes(1));
        }
    }

    /**
     * @param history how many recent deltas are kept for followers that ask from an older version
     * @param maxWait the longest a long poll waits for a change
     */
    public record Metadata(@DefaultValue("1000") @Min(1) int history, @DefaultValue("30s") Duration maxWait) {
    }

    /**
     * Consumer groups. A member may ask for its own session and rebalance timeouts within the bounds, and a group may
     * set its own {@code consumer.session.timeout.ms} and {@code consumer.heartbeat.interval.ms} (group configs, over
     * {@code sessionTimeout} and {@code heartbeatInterval}).
     *
     * @param sessionTimeout          a member silent this long is removed (when it asks for none)
     * @param minSessionTimeout       the shortest session a member may ask for
     * @param maxSessionTimeout       the longest session a member may ask for
     * @param heartbeatInterval       how often members are told to heartbeat (at most a third of their session)
     * @param rebalanceTimeout        how long a member may hold partitions asked back (when it asks for none)
     * @param maxRebalanceTimeout     the longest rebalance timeout a member may ask for
     * @param sessionCheckInterval    how often sessions, rebalance timeouts and subscribed topics are checked
     * @param maxCommitMetadataLength the longest metadata string kept with a committed offset (Kafka's
     *                                {@code offset.metadata.max.bytes})
     * @param ownershipHistory        how many ownership changes (of all groups together) the active coordinator keeps
     *                                in memory for {@code GET /internal/groups/{group}/ownership-history}
     * @param initialRebalanceDelay   how long a classic group that was empty waits for more members to join before
     *                                its first generation (Kafka's {@code group.initial.rebalance.delay.ms})
     */
    public record Groups(@DefaultValue("45s") Duration sessionTimeout,
                         @DefaultValue("6s") Duration minSessionTimeout,
                         @DefaultValue("30m") Duration maxSessionTimeout,
                         @DefaultValue("5s") Duration heartbeatInterval,
                         @DefaultValue("5m") Duration rebalanceTimeout,
                         @DefaultValue("30m") Duration maxRebalanceTimeout,
                         @DefaultValue("500ms") Duration sessionCheckInterval,
                         @DefaultValue("4096") @Min(0) int maxCommitMetadataLength,
                         @DefaultValue("1000") @Min(0) int ownershipHistory,
                         @DefaultValue("3s") Duration initialRebalanceDelay) {
    }

    /**
     * The transaction coordinator (Kafka's {@code transaction.*} broker settings).
     *
     * @param maxTimeout         the longest transaction timeout a producer may ask for
     *                           ({@code transaction.max.timeout.ms})
     * @param abortCheckInterval how often open transactions are checked against their timeouts
     *                           ({@code transaction.abort.timed.out.transaction.cleanup.interval.ms})
     * @param markerRetryBackoff the first pause before writing a transaction's markers again after a failure (it
     *                           doubles up to ten times this)
     * @param markerTimeout      how long a partition leader may take to commit a marker before the write counts as
     *                           failed (and is made again)
     * @param idExpiration       how long a transactional id with no transaction open is kept after its last use
     *                           before the coordinator forgets it ({@code transactional.id.expiration.ms})
     * @param idExpirationCheckInterval how often transactional ids are checked against {@code idExpiration}
     *                           ({@code transactions.remove.expired.transaction.cleanup.interval.ms})
     */
    public record Transactions(@DefaultValue("15m") Duration maxTimeout,
                               @DefaultValue("1s") Duration abortCheckInterval,
                               @DefaultValue("100ms") Duration markerRetryBackoff,
                               @DefaultValue("30s") Duration markerTimeout,
                               @DefaultValue("7d") Duration idExpiration,
                               @DefaultValue("1h") Duration idExpirationCheckInterval) {
    }

    /**
     * Share groups' defaults (Kafka's broker settings of the same meaning): each is the default of the share group
     * config that a group may override ({@code share.*}, {@code io.sluice.coordinator.groupconfig.GroupConfigKey}).
     *
     * @param maxInFlightRecords the most records a share-partition's in-flight window holds
     *                           ({@code group.share.partition.max.record.locks})
     * @param deliveryLimit      the most times a record is delivered before it is archived
     *                           ({@code group.share.delivery.count.limit})
     * @param lockDuration       how long an acquisition lock lasts, and how far a renew extends it
     *                           ({@code group.share.record.lock.duration.ms})
     * @param autoOffsetReset    where a share-partition the group does not have yet starts: {@code latest} (the high
     *                           watermark) or {@code earliest} (the log start offset) ({@code share.auto.offset.reset})
     * @param sessionTimeout     how long a share group member is kept without a heartbeat
     *                           ({@code group.share.session.timeout.ms})
     * @param heartbeatInterval  how often share group members are told to heartbeat
     *                           ({@code group.share.heartbeat.interval.ms})
     * @param deadLetter         the cluster's settings for share groups' dead-letter topics (KIP-1191)
     */
    public record ShareGroups(@DefaultValue("2000") @Min(1) int maxInFlightRecords,
                              @DefaultValue("5") @Min(1) int deliveryLimit,
                              @DefaultValue("30s") Duration lockDuration,
                              @DefaultValue("latest") @NotNull AutoOffsetReset autoOffsetReset,
                              @DefaultValue("45s") Duration sessionTimeout,
                              @DefaultValue("5s") Duration heartbeatInterval,
                              @Valid @DefaultValue DeadLetter deadLetter) {

        /** {@code share.auto.offset.reset}'s values (by time is a reset's, not a default's). */
        public enum AutoOffsetReset { EARLIEST, LATEST }

        /**
         * Share groups' dead-letter topics (KIP-1191): where a group's archived records are copied, when the group
         * names a topic.
         *
         * @param topicNamePrefix             a group's dead-letter topic must start with it (blank: any name but one
         *                                    starting {@code __}) ({@code errors.deadletterqueue.topic.name.prefix})
         * @param autoCreateTopics            whether a missing dead-letter topic is created, with
         *                                    {@code errors.deadletterqueue.group.enable=true}
         *                                    ({@code errors.deadletterqueue.auto.create.topics.enable})
         * @param autoCreatePartitions        the partition count of a topic created so
         * @param autoCreateReplicationFactor its replication factor (at most the live partition services)
         * @param outboxMaxEntries            the most runs of archived records waiting to be written; past it an
         *                                    archived record is not copied (counted and logged)
         * @param writeInterval               how often the writer looks for runs to write when not woken
         * @param writeTimeout                how long one write to a dead-letter partition's leader may take
         */
        public record DeadLetter(@DefaultValue("dlq.") @NotNull String topicNamePrefix,
                                 @DefaultValue("false") boolean autoCreateTopics,
                                 @DefaultValue("1") @Min(1) int autoCreatePartitions,
                                 @DefaultValue("3") @Min(1) int autoCreateReplicationFactor,
                                 @DefaultValue("100000") @Min(1) int outboxMaxEntries,
                                 @DefaultValue("500ms") Duration writeInterval,
                                 @DefaultValue("10s") Duration writeTimeout) {

            public static DeadLetter defaults() {
                return new DeadLetter("dlq.", false, 1, 3, 100_000, Duration.ofMillis(500), Duration.ofSeconds(10));
            }
        }
    }

    /**
     * Streams groups (KIP-1071), with the defaults of Kafka's group coordinator. All but the replication factor are
     * defaults a group may override with its {@code streams.*} configs
     * ({@code io.sluice.coordinator.groupconfig.GroupConfigKey}).
     *
     * @param sessionTimeout                 a member silent this long is removed
     *                                       ({@code group.streams.session.timeout.ms})
     * @param heartbeatInterval              how often members are told to heartbeat (at most a third of the session)
     *                                       ({@code group.streams.heartbeat.interval.ms})
     * @param numStandbyReplicas             standby replicas per stateful task, each on another Streams instance
     *                                       ({@code group.streams.num.standby.replicas})
     * @param internalTopicReplicationFactor the replication factor of the internal topics the coordinator creates for
     *                                       a topology that asks for none (at most the live partition services)
     * @param taskOffsetInterval             how often members send their tasks' changelog offsets
     *                                       ({@code group.streams.task.offset.interval.ms}, at least 15 s)
     * @param acceptableRecoveryLag          the changelog lag at or below which a warm-up task counts as caught up,
     *                                       told to members ({@code group.streams.acceptable.recovery.lag})
     * @param numWarmupReplicas              the most warm-up tasks a group runs at once
     *                                       ({@code group.streams.num.warmup.replicas}); no warm-up task is assigned
     *                                       yet, by Sluice as by Kafka 4.4, so it bounds nothing
     */
    public record StreamsGroups(@DefaultValue("45s") Duration sessionTimeout,
                                @DefaultValue("5s") Duration heartbeatInterval,
                                @DefaultValue("0") @Min(0) int numStandbyReplicas,
                                @DefaultValue("3") @Min(1) int internalTopicReplicationFactor,
                                @DefaultValue("60s") Duration taskOffsetInterval,
                                @DefaultValue("10000") @Min(0) long acceptableRecoveryLag,
                                @DefaultValue("2") @Min(0) int numWarmupReplicas) {

        public static StreamsGroups defaults() {
            return new StreamsGroups(Duration.ofSeconds(45), Duration.ofSeconds(5), 0, 3, Duration.ofSeconds(60),
                    10_000, 2);
        }
    }
}
