package io.sluice.coordinator.store;

/**
 * Every Redis key the coordinator uses. Values are JSON in Sluice's snake_case conventions.
 * <pre>
 *   sluice:lease             string, PX ttl   instance id of the active coordinator
 *   sluice:fencing-token     counter          bumped each time the lease changes hands
 *   sluice:active            hash             instance_id, url, fencing_token of the active coordinator
 *   sluice:metadata-version  counter          bumped by every metadata write
 *   sluice:nodes             hash             node id   → NodeInfo
 *   sluice:topics            hash             topic     → TopicMetadata (with its partition states)
 *   sluice:groups            hash             group id  → the group's document: group and assignment epochs,
 *                                             subscribed topics (id, partition count), members (epochs, state,
 *                                             subscription, timeouts, assigned, pending revocation, target)
 *   sluice:group-offsets:G   hash             'topic-partition' → committed offset of group G (offset, leader
 *                                             epoch, metadata, commit time, topic id)
 *   sluice:acls              hash             ACL binding key (principal|type|pattern|name|operation|permission)
 *                                             → AclBinding
 *   sluice:acl-version       counter          bumped by every ACL change
 *   sluice:quotas            hash             quota entity (QuotaEntity JSON) → QuotaEntry (the entity, its rates)
 *   sluice:quota-version     counter          bumped by every client-quota change
 *   sluice:broker-configs    hash             broker config name → the cluster-wide value set at run time
 *                                             (num.partitions, ...; BrokerConfigKey); configs not set are absent
 *   sluice:broker-config-version
 *                            counter          bumped by every broker config change
 *   sluice:scram-credentials hash             'mechanism|user' (SCRAM-SHA-256|alice) → ScramCredential (salt,
 *                                             iterations, stored and server keys; never a password)
 *   sluice:scram-version     counter          bumped by every SCRAM credential change
 *   sluice:producer-id       counter          the next unused producer id (blocks are taken with INCRBY)
 *   sluice:transactions      hash             transactional id → its Transaction (producer id and epoch, timeout,
 *                                             state, partitions, groups, pending offsets, coordinator epoch)
 *   sluice:share-partitions:G
 *                            hash             'topic-partition' → the state of share group G's share-partition
 *                                             (SharePartitionJson: start and end offsets, next acquisition id,
 *                                             the in-flight records as runs)
 *   sluice:share-dlq-outbox  sorted set       runs of share groups' archived records waiting to be written to their
 *                                             dead-letter topics: '<id> <DeadLetterEntry JSON>', scored by id; added
 *                                             by the script that stores the archiving, removed once written
 *   sluice:share-dlq-outbox-id
 *                            counter          the last outbox id given
 *   sluice:share-group-configs:G
 *                            hash             group config key → the value group G sets, of any group type
 *                                             (consumer.session.timeout.ms, share.record.lock.duration.ms, ...;
 *                                             GroupConfigKey); keys the group does not set are absent; removed with
 *                                             a share group
 *   sluice:remote-log:T:P    hash             the remote log (tiered storage) of partition P of the topic whose id
 *                                             is T: 'epoch' → the newest leader epoch that updated it, 'seg:<id>'
 *                                             → RemoteSegment (id, offsets, max timestamp, size, leader epoch,
 *                                             state); written by remote-log-write.lua, removed with the topic
 *   sluice:idempotency:H     hash, PX ttl     an Idempotency-Key whose SHA-256 is H: fingerprint, producer_id,
 *                                             assignment, holder, held_until, response_status, response_body; ttl
 *                                             the gateway's key retention
 *   sluice:registry:schemas  hash             schema id → SchemaDefinition (schema_type, schema, references);
 *                                             never changed once written, never removed: an id names one schema
 *   sluice:registry:fingerprints
 *                            hash             SHA-256 of a schema's type, text and references → its schema id
 *   sluice:registry:next-id  counter          the highest schema id given
 *   sluice:registry:subjects hash             subject → its versions, {"versions":[{"version","id","deleted"}]}
 *   sluice:registry:config   hash             subject ('' for the registry) → compatibility level
 *   sluice:registry:mode     hash             subject ('' for the registry) → mode
 *   sluice:registry:version  counter          bumped by every registry change
 * </pre>
 * Group, share-partition, share group config, remote log and transaction keys are written by their stores' own
 * scripts under the same fencing token as metadata writes. Member liveness (last heartbeats) is not stored: a coordinator that becomes active starts every
 * member's session afresh.
 */
public final class RedisKeys {

    public static final String LEASE = "sluice:lease";
    public static final String FENCING_TOKEN = "sluice:fencing-token";
    public static final String ACTIVE = "sluice:active";
    public static final String METADATA_VERSION = "sluice:metadata-version";
    public static final String NODES = "sluice:nodes";
    public static final String TOPICS = "sluice:topics";
    public static final String GROUPS = "sluice:groups";
    public static final String GROUP_OFFSETS_PREFIX = "sluice:group-offsets:";
    public static final String ACLS = "sluice:acls";
    public static final String ACL_VERSION = "sluice:acl-version";
    public static final String QUOTAS = "sluice:quotas";
    public static final String QUOTA_VERSION = "sluice:quota-version";
    public static final String BROKER_CONFIGS = "sluice:broker-configs";
    public static final String BROKER_CONFIG_VERSION = "sluice:broker-config-version";
    public static final String SCRAM_CREDENTIALS = "sluice:scram-credentials";
    public static final String SCRAM_VERSION = "sluice:scram-version";
    public static final String PRODUCER_ID = "sluice:producer-id";
    public static final String TRANSACTIONS = "sluice:transactions";
    public static final String SHARE_PARTITIONS_PREFIX = "sluice:share-partitions:";
    public static final String SHARE_DLQ_OUTBOX = "sluice:share-dlq-outbox";
    public static final String SHARE_DLQ_OUTBOX_ID = "sluice:share-dlq-outbox-id";
    /** Every group type's configs; named when only share groups had any, and kept so that stored ones stay found. */
    public static final String GROUP_CONFIGS_PREFIX = "sluice:share-group-configs:";
    public static final String IDEMPOTENCY_PREFIX = "sluice:idempotency:";
    public static final String REMOTE_LOG_PREFIX = "sluice:remote-log:";
    public static final String REGISTRY_SCHEMAS = "sluice:registry:schemas";
    public static final String REGISTRY_FINGERPRINTS = "sluice:registry:fingerprints";
    public static final String REGISTRY_NEXT_ID = "sluice:registry:next-id";
    public static final String REGISTRY_SUBJECTS = "sluice:registry:subjects";
    public static final String REGISTRY_CONFIG = "sluice:registry:config";
    public static final String REGISTRY_MODE = "sluice:registry:mode";
    public static final String REGISTRY_VERSION = "sluice:registry:version";

    private RedisKeys() {
    }

    /** The hash of an Idempotency-Key, by the key's SHA-256 (hex). */
    public static String idempotencyKey(String digest) {
        return IDEMPOTENCY_PREFIX + digest;
    }

    /**
     * The hash of a partition's remote log, by its topic's id (not its name: a topic deleted and created again under
     * its name has another id, and starts with no remote log).
     */
    public static String remoteLog(String topicId, int partition) {
        return REMOTE_LOG_PREFIX + topicId + ":" + partition;
    }

    /** The hash of a group's committed offsets (group ids are restricted to {@code [a-zA-Z0-9._-]}). */
    public static String groupOffsets(String groupId) {
        return GROUP_OFFSETS_PREFIX + groupId;
    }

    /** The hash of a group's configs, of every group type (group ids are restricted to {@code [a-zA-Z0-9._-]}). */
    public static String groupConfigs(String groupId) {
        return GROUP_CONFIGS_PREFIX + groupId;
    }

    /** The hash of a share group's share-partitions (group ids are restricted to {@code [a-zA-Z0-9._-]}). */
    public static String sharePartitions(String groupId) {
        return SHARE_PARTITIONS_PREFIX + groupId;
    }
}
