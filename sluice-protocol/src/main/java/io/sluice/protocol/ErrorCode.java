package io.sluice.protocol;

/**
 * The errors every Sluice service can answer with. The constant's name is the stable {@code error_code} string of
 * the public API (docs/api.md, "Errors"); each carries the HTTP status it maps to and whether a client may retry the
 * same request unchanged and expect it to succeed later (after a metadata refresh, a leader election, a backoff).
 *
 * <p>Names are part of the wire contract: add new ones, never rename or reuse one.
 */
public enum ErrorCode {

    // Requests that can never succeed as sent.
    INVALID_REQUEST(400, false, "The request is malformed."),
    INVALID_TOPIC_NAME(400, false, "The topic name is not valid."),
    INVALID_PARTITIONS(400, false, "The number of partitions is not valid."),
    INVALID_REPLICATION_FACTOR(400, false, "The replication factor is not valid."),
    INVALID_CONFIG(400, false, "A configuration name or value is not valid."),
    INVALID_RECORD(400, false, "A record is not valid."),
    INVALID_RECORD_SCHEMA(422, false, "A record is not in the Confluent wire format with a schema id registered for "
            + "its topic's subject, or (content validation) does not decode with that schema; nothing of its batch "
            + "was written."),
    CORRUPT_RECORD(400, false, "A record batch failed validation (length, magic, CRC or layout)."),
    INVALID_OFFSET(400, false, "The offset is not valid."),
    INVALID_TIMESTAMP(400, false, "The timestamp is not valid."),
    INVALID_GROUP_ID(400, false, "The consumer group id is not valid."),
    INVALID_COMMIT_OFFSET_SIZE(400, false, "The metadata of an offset commit is larger than allowed."),
    INVALID_REPLICA_ASSIGNMENT(400, false, "A replica assignment is not valid: empty, a node named twice, a node that "
            + "is not registered, or a change that would drop the last in-sync replicas."),
    UNKNOWN_TOPIC(404, false, "The topic does not exist."),
    UNKNOWN_PARTITION(404, false, "The partition does not exist."),
    UNKNOWN_NODE(404, false, "The node is not registered."),
    UNKNOWN_GROUP(404, false, "The consumer group does not exist."),
    UNKNOWN_MEMBER(404, false, "The member is not part of the consumer group."),
    TOPIC_ALREADY_EXISTS(409, false, "A topic with this name already exists."),
    DUPLICATE_NODE(409, false, "A live node with this id is registered from another address."),
    FENCED_MEMBER(409, false, "The member has been fenced by a newer group epoch."),
    FENCED_COORDINATOR(409, false, "The coordinator is no longer the active one."),
    STALE_PARTITION_EPOCH(409, false, "The partition epoch in the request is stale."),
    NO_REASSIGNMENT_IN_PROGRESS(409, false, "The partition is not being reassigned: there is no move to cancel."),
    INELIGIBLE_REPLICA(409, false, "A replica the ISR change adds is not alive, or no longer runs the process whose "
            + "fetch qualified it."),
    FENCED_MEMBER_EPOCH(409, false, "The member epoch is not the member's current one: the member must rejoin with "
            + "epoch 0 and give up its partitions."),
    STALE_MEMBER_EPOCH(409, false, "The offset commit carries an older member epoch than the member's current one: "
            + "heartbeat for the current assignment first."),
    UNRELEASED_INSTANCE_ID(409, false, "A live member of the group already uses this group_instance_id."),
    ILLEGAL_GENERATION(409, false, "The generation id is not the classic group's current one: the member must rejoin."),
    REBALANCE_IN_PROGRESS(409, false, "The classic group is rebalancing: the member must rejoin."),
    INCONSISTENT_GROUP_PROTOCOL(409, false, "The member's protocol type or protocols do not match the group's."),
    FENCED_INSTANCE_ID(409, false, "A newer member joined with this group_instance_id: this one is fenced."),
    STREAMS_INVALID_TOPOLOGY(400, false, "The streams group member's topology is not one a cluster can run."),
    STREAMS_INVALID_TOPOLOGY_EPOCH(409, false, "The streams group runs another topology at this topology epoch, or "
            + "another topology epoch while it has members."),
    STREAMS_TOPOLOGY_FENCED(409, false, "The streams group member's topology epoch is older than the group's."),
    NON_EMPTY_GROUP(409, false, "The consumer group has live members."),
    GROUP_SUBSCRIBED_TO_TOPIC(409, false, "A live member of the consumer group subscribes to the topic: its offsets "
            + "are kept while one does."),
    INVALID_COMMIT_OFFSET(409, false, "The offset is behind the group's committed offset; only a reset moves it back."),
    POLICY_VIOLATION(409, false, "The topic's configuration does not allow this: records of a topic whose "
            + "cleanup.policy does not include delete cannot be deleted."),
    OUT_OF_ORDER_SEQUENCE_NUMBER(409, false, "The batch's sequence number does not follow the producer's last one "
            + "at this partition; nothing was written."),
    INVALID_PRODUCER_EPOCH(409, false, "The producer epoch is older than the one this partition has seen for the "
            + "producer id: a newer session of the producer has written here."),
    UNKNOWN_PRODUCER_ID(409, false, "The partition has no state for this producer id (never seen, or expired after "
            + "producer.id.expiration.ms), and the batch does not start a session at sequence 0."),
    INVALID_TXN_STATE(409, false, "The producer's transaction does not allow this: a write outside its open "
            + "transaction, or a transaction operation in the wrong state."),
    TRANSACTION_COORDINATOR_FENCED(409, false, "A transaction marker or call from an older transaction coordinator "
            + "epoch than this partition or transaction has seen."),
    PRODUCER_FENCED(409, false, "A newer instance of this transactional producer (a newer producer epoch) exists: "
            + "this one is fenced and must close."),
    INVALID_PRODUCER_ID_MAPPING(409, false, "The producer id does not belong to this transactional id."),
    TRANSACTIONAL_ID_NOT_FOUND(404, false, "No transaction with this transactional id exists."),
    INVALID_TRANSACTION_TIMEOUT(400, false, "The transaction timeout is outside the coordinator's allowed range."),
    IDEMPOTENCY_KEY_REUSED(422, false, "The Idempotency-Key was used before with a different request (topic, body or "
            + "formats); nothing was written."),
    SUBJECT_NOT_FOUND(404, false, "The schema registry has no such subject."),
    SCHEMA_VERSION_NOT_FOUND(404, false, "The subject has no such schema version."),
    SCHEMA_NOT_FOUND(404, false, "The schema registry has no such schema."),
    SUBJECT_SOFT_DELETED(404, false, "The subject was soft-deleted; delete it with permanent=true to delete it for "
            + "good."),
    SUBJECT_NOT_SOFT_DELETED(404, false, "The subject must be soft-deleted before it is deleted permanently."),
    SCHEMA_VERSION_SOFT_DELETED(404, false, "The schema version was soft-deleted; delete it with permanent=true to "
            + "delete it for good."),
    SCHEMA_VERSION_NOT_SOFT_DELETED(404, false, "The schema version must be soft-deleted before it is deleted "
            + "permanently."),
    SUBJECT_COMPATIBILITY_NOT_CONFIGURED(404, false, "The subject has no compatibility level of its own."),
    SUBJECT_MODE_NOT_CONFIGURED(404, false, "The subject has no mode of its own."),
    INCOMPATIBLE_SCHEMA(409, false, "The schema is not compatible with the subject's earlier schemas under its "
            + "compatibility level; nothing was registered."),
    INVALID_SCHEMA(422, false, "The schema does not parse, or names a reference that cannot be resolved."),
    INVALID_SCHEMA_VERSION(422, false, "A schema version must be a positive number, or latest."),
    INVALID_COMPATIBILITY_LEVEL(422, false, "A compatibility level must be one of NONE, BACKWARD, "
            + "BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL and FULL_TRANSITIVE."),
    INVALID_REGISTRY_MODE(422, false, "A schema registry mode must be one of READWRITE, READONLY and IMPORT."),
    REGISTRY_OPERATION_NOT_PERMITTED(422, false, "The registry's or the subject's mode does not allow this."),
    SCHEMA_REFERENCE_EXISTS(422, false, "Another schema references this schema version; it cannot be deleted."),
    SCHEMA_ID_CONFLICT(422, false, "In IMPORT mode, the schema id is already taken by another schema, or the "
            + "version by another schema of the subject."),
    INVALID_SUBJECT(422, false, "A subject name must be 1 to 255 characters without control characters."),
    OFFSET_OUT_OF_RANGE(416, false, "The offset is outside the partition's range."),
    RECORD_TOO_LARGE(413, false, "The record or batch is larger than the configured maximum."),
    REQUEST_TOO_LARGE(413, false, "The request body is larger than the configured maximum."),
    UNSUPPORTED_MEDIA_TYPE(415, false, "The request's content type is not supported."),
    SECURITY_DISABLED(400, false, "Security is turned off on this cluster."),
    INVALID_ACL(400, false, "An ACL binding or filter is not valid."),
    UNACCEPTABLE_CREDENTIAL(400, false, "A SCRAM credential is not acceptable: an empty user name or password, an "
            + "unknown mechanism, or iterations outside 4096..16384."),
    UNKNOWN_CREDENTIAL(404, false, "The user has no SCRAM credential of this mechanism."),
    SASL_AUTHENTICATION_FAILED(401, false, "Authentication failed: the credentials are missing, malformed, wrong or "
            + "expired."),
    TOPIC_AUTHORIZATION_FAILED(403, false, "The principal may not perform the operation on the topic."),
    GROUP_AUTHORIZATION_FAILED(403, false, "The principal may not perform the operation on the consumer group."),
    CLUSTER_AUTHORIZATION_FAILED(403, false, "The principal may not perform the operation on the cluster."),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED(403, false,
            "The principal may not perform the operation on the transactional id."),

    // Conditions that pass: retry after a refresh or a backoff. Each is a 503, 504 or 429: never 421 (which HTTP/2
    // clients may resend on their own) nor 409 (a conflict a client must resolve), statuses a proxy or a client
    // library reads differently from "try again later".
    NOT_LEADER(503, true, "This node is not the leader of the partition."),
    FENCED_LEADER_EPOCH(503, true, "The leader epoch in the request is older than the partition's."),
    UNKNOWN_LEADER_EPOCH(503, true, "The leader epoch in the request is newer than the partition's."),
    LEADER_NOT_AVAILABLE(503, true, "The partition has no live leader right now."),
    NOT_ENOUGH_REPLICAS(503, true, "Fewer in-sync replicas than min.insync.replicas; nothing was written."),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND(503, true, "Written by the leader, but the in-sync replicas fell below the minimum."),
    NOT_LEADER_AFTER_APPEND(503, true, "Written by a leader that lost its leadership before the write was committed; "
            + "it may or may not survive."),
    NOT_ACTIVE_COORDINATOR(503, true, "This coordinator is a standby; ask the active one."),
    COORDINATOR_NOT_AVAILABLE(503, true, "No coordinator is active right now."),
    STORAGE_ERROR(503, true, "The replica's storage failed; the partition is offline on this node."),
    CONCURRENT_TRANSACTIONS(503, true, "The transactional id's previous transaction is still being completed (its "
            + "markers are being written); retry shortly."),
    // The one retriable 409: the IETF Idempotency-Key draft's answer to a key whose first request is still running.
    // The conflict resolves itself; Retry-After says when to look again.
    IDEMPOTENCY_KEY_IN_USE(409, true, "A request with this Idempotency-Key is still in progress; retry after it ends."),
    THROTTLED(429, true, "The client is over its quota."),
    REQUEST_TIMED_OUT(504, true, "The request timed out; its outcome is unknown."),

    UNKNOWN_SERVER_ERROR(500, false, "An unexpected server error.");

    private final int httpStatus;
    private final boolean retriable;
    private final String description;

    ErrorCode(int httpStatus, boolean retriable, String description) {
        this.httpStatus = httpStatus;
        this.retriable = retriable;
        this.description = description;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retriable() {
        return retriable;
    }

    public String description() {
        return description;
    }

    /**
     * Whether the answer means the caller's view of partition leadership is out of date: the cure is newer metadata
     * and a call to the right leader, not the same call again.
     */
    public boolean refreshesMetadata() {
        return this == NOT_LEADER || this == FENCED_LEADER_EPOCH || this == UNKNOWN_LEADER_EPOCH
                || this == LEADER_NOT_AVAILABLE;
    }

    /**
     * Whether a produce answered with this code may have been written all the same (the leader appended it and then
     * lost its leadership or its ISR, or no answer came): re-sending it is safe only as the same idempotent batch.
     */
    public boolean outcomeUnknown() {
        return this == REQUEST_TIMED_OUT || this == NOT_LEADER_AFTER_APPEND || this == NOT_ENOUGH_REPLICAS_AFTER_APPEND;
    }

    /**
     * Whether a leader refused an idempotent batch for its producer's sequence or epoch (nothing was written): on the
     * batch's first send, its producer session is out of step with the partition and must start anew.
     */
    public boolean refusesSequence() {
        return this == OUT_OF_ORDER_SEQUENCE_NUMBER || this == UNKNOWN_PRODUCER_ID || this == INVALID_PRODUCER_EPOCH;
    }

    /**
     * The code named {@code name} as another Sluice process wrote it; a name this build does not know (a newer
     * peer) or none is UNKNOWN_SERVER_ERROR, never an exception.
     */
    public static ErrorCode forName(String name) {
        if (name != null) {
            for (ErrorCode code : values()) {
                if (code.name().equals(name)) {
                    return code;
                }
            }
        }
        return UNKNOWN_SERVER_ERROR;
    }

    /** This code as a throwable with a specific message. */
    public SluiceException exception(String message) {
        return new SluiceException(this, message);
    }
}
