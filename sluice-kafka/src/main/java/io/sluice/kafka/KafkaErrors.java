package io.sluice.kafka;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Sluice's error codes as Kafka's: the same condition under Kafka's name, so that a Kafka client reacts to it as it
 * does to its own broker (refreshes metadata after NOT_LEADER_OR_FOLLOWER, backs off after NOT_ENOUGH_REPLICAS,
 * resets after OFFSET_OUT_OF_RANGE). A code with no Kafka counterpart maps to the nearest one a client handles the
 * same way.
 */
public final class KafkaErrors {

    private KafkaErrors() {
    }

    /**
     * {@code error} as the exception whose Kafka error a response carries: a Sluice error as its Kafka counterpart
     * with its message, a Kafka error as it is, anything else as UNKNOWN_SERVER_ERROR.
     */
    public static ApiException exception(Throwable error) {
        if (error instanceof SluiceException e) {
            return of(e.errorCode()).exception(e.getMessage());
        }
        if (error instanceof ApiException e) {
            return e;
        }
        return Errors.UNKNOWN_SERVER_ERROR.exception(String.valueOf(error));
    }

    /**
     * {@code code} as a read's partition error (Fetch, OffsetsForLeaderEpoch). Kafka's consumer knows a short list
     * of errors there and fails on any other, so every retriable way of not reaching the leader — none live, one that
     * moved, did not answer, or timed out — is NOT_LEADER_OR_FOLLOWER: the consumer refreshes its metadata and reads
     * again, as after a leader change at Kafka's brokers.
     */
    public static Errors ofRead(ErrorCode code) {
        if (code == null) {
            return Errors.NONE;
        }
        return switch (code) {
            case LEADER_NOT_AVAILABLE, NOT_LEADER, NOT_LEADER_AFTER_APPEND, REQUEST_TIMED_OUT, THROTTLED,
                 COORDINATOR_NOT_AVAILABLE, NOT_ACTIVE_COORDINATOR -> Errors.NOT_LEADER_OR_FOLLOWER;
            default -> of(code);
        };
    }

    public static Errors of(ErrorCode code) {
        if (code == null) {
            return Errors.NONE;
        }
        return switch (code) {
            case INVALID_REQUEST, INVALID_ACL -> Errors.INVALID_REQUEST;
            // Raised by the HTTP API only (its Idempotency-Key and content types).
            case IDEMPOTENCY_KEY_REUSED, UNSUPPORTED_MEDIA_TYPE -> Errors.INVALID_REQUEST;
            case IDEMPOTENCY_KEY_IN_USE -> Errors.REQUEST_TIMED_OUT;
            case INVALID_TOPIC_NAME -> Errors.INVALID_TOPIC_EXCEPTION;
            case INVALID_PARTITIONS -> Errors.INVALID_PARTITIONS;
            case INVALID_REPLICATION_FACTOR -> Errors.INVALID_REPLICATION_FACTOR;
            case INVALID_CONFIG -> Errors.INVALID_CONFIG;
            case INVALID_RECORD, INVALID_RECORD_SCHEMA -> Errors.INVALID_RECORD;
            // Raised by the schema registry's HTTP API only (Confluent's API: no Kafka request reaches them).
            case SUBJECT_NOT_FOUND, SCHEMA_VERSION_NOT_FOUND, SCHEMA_NOT_FOUND, SUBJECT_SOFT_DELETED,
                 SUBJECT_NOT_SOFT_DELETED, SCHEMA_VERSION_SOFT_DELETED, SCHEMA_VERSION_NOT_SOFT_DELETED,
                 SUBJECT_COMPATIBILITY_NOT_CONFIGURED, SUBJECT_MODE_NOT_CONFIGURED, INCOMPATIBLE_SCHEMA, INVALID_SCHEMA,
                 INVALID_SCHEMA_VERSION, INVALID_COMPATIBILITY_LEVEL, INVALID_REGISTRY_MODE,
                 REGISTRY_OPERATION_NOT_PERMITTED, SCHEMA_REFERENCE_EXISTS, SCHEMA_ID_CONFLICT, INVALID_SUBJECT ->
                    Errors.INVALID_REQUEST;
            case CORRUPT_RECORD -> Errors.CORRUPT_MESSAGE;
            case INVALID_OFFSET -> Errors.OFFSET_OUT_OF_RANGE;
            case INVALID_TIMESTAMP -> Errors.INVALID_TIMESTAMP;
            case INVALID_GROUP_ID -> Errors.INVALID_GROUP_ID;
            case INVALID_COMMIT_OFFSET_SIZE -> Errors.OFFSET_METADATA_TOO_LARGE;
            case INVALID_REPLICA_ASSIGNMENT -> Errors.INVALID_REPLICA_ASSIGNMENT;
            case NO_REASSIGNMENT_IN_PROGRESS -> Errors.NO_REASSIGNMENT_IN_PROGRESS;
            case UNKNOWN_TOPIC, UNKNOWN_PARTITION -> Errors.UNKNOWN_TOPIC_OR_PARTITION;
            case UNKNOWN_NODE -> Errors.BROKER_NOT_AVAILABLE;
            case UNKNOWN_GROUP -> Errors.GROUP_ID_NOT_FOUND;
            case UNKNOWN_MEMBER -> Errors.UNKNOWN_MEMBER_ID;
            case TOPIC_ALREADY_EXISTS -> Errors.TOPIC_ALREADY_EXISTS;
            case DUPLICATE_NODE, INELIGIBLE_REPLICA -> Errors.INELIGIBLE_REPLICA;
            case FENCED_MEMBER, FENCED_MEMBER_EPOCH -> Errors.FENCED_MEMBER_EPOCH;
            case STALE_MEMBER_EPOCH -> Errors.STALE_MEMBER_EPOCH;
            case FENCED_COORDINATOR, NOT_ACTIVE_COORDINATOR -> Errors.NOT_COORDINATOR;
            case STALE_PARTITION_EPOCH -> Errors.INVALID_UPDATE_VERSION;
            case UNRELEASED_INSTANCE_ID -> Errors.UNRELEASED_INSTANCE_ID;
            case ILLEGAL_GENERATION -> Errors.ILLEGAL_GENERATION;
            case REBALANCE_IN_PROGRESS -> Errors.REBALANCE_IN_PROGRESS;
            case INCONSISTENT_GROUP_PROTOCOL -> Errors.INCONSISTENT_GROUP_PROTOCOL;
            case FENCED_INSTANCE_ID -> Errors.FENCED_INSTANCE_ID;
            case STREAMS_INVALID_TOPOLOGY -> Errors.STREAMS_INVALID_TOPOLOGY;
            case STREAMS_INVALID_TOPOLOGY_EPOCH -> Errors.STREAMS_INVALID_TOPOLOGY_EPOCH;
            case STREAMS_TOPOLOGY_FENCED -> Errors.STREAMS_TOPOLOGY_FENCED;
            case NON_EMPTY_GROUP -> Errors.NON_EMPTY_GROUP;
            case GROUP_SUBSCRIBED_TO_TOPIC -> Errors.GROUP_SUBSCRIBED_TO_TOPIC;
            case INVALID_COMMIT_OFFSET -> Errors.INVALID_REQUEST;
            case POLICY_VIOLATION -> Errors.POLICY_VIOLATION;
            case OUT_OF_ORDER_SEQUENCE_NUMBER -> Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
            case INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
            case UNKNOWN_PRODUCER_ID -> Errors.UNKNOWN_PRODUCER_ID;
            case INVALID_TXN_STATE -> Errors.INVALID_TXN_STATE;
            case TRANSACTION_COORDINATOR_FENCED -> Errors.TRANSACTION_COORDINATOR_FENCED;
            case PRODUCER_FENCED -> Errors.PRODUCER_FENCED;
            case INVALID_PRODUCER_ID_MAPPING -> Errors.INVALID_PRODUCER_ID_MAPPING;
            case TRANSACTIONAL_ID_NOT_FOUND -> Errors.TRANSACTIONAL_ID_NOT_FOUND;
            case INVALID_TRANSACTION_TIMEOUT -> Errors.INVALID_TRANSACTION_TIMEOUT;
            case CONCURRENT_TRANSACTIONS -> Errors.CONCURRENT_TRANSACTIONS;
            case OFFSET_OUT_OF_RANGE -> Errors.OFFSET_OUT_OF_RANGE;
            case RECORD_TOO_LARGE -> Errors.MESSAGE_TOO_LARGE;
            case REQUEST_TOO_LARGE -> Errors.RECORD_LIST_TOO_LARGE;
            case SECURITY_DISABLED -> Errors.SECURITY_DISABLED;
            case UNACCEPTABLE_CREDENTIAL -> Errors.UNACCEPTABLE_CREDENTIAL;
            case UNKNOWN_CREDENTIAL -> Errors.RESOURCE_NOT_FOUND;
            case SASL_AUTHENTICATION_FAILED -> Errors.SASL_AUTHENTICATION_FAILED;
            case TOPIC_AUTHORIZATION_FAILED -> Errors.TOPIC_AUTHORIZATION_FAILED;
            case GROUP_AUTHORIZATION_FAILED -> Errors.GROUP_AUTHORIZATION_FAILED;
            case CLUSTER_AUTHORIZATION_FAILED -> Errors.CLUSTER_AUTHORIZATION_FAILED;
            case TRANSACTIONAL_ID_AUTHORIZATION_FAILED -> Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            case NOT_LEADER -> Errors.NOT_LEADER_OR_FOLLOWER;
            case FENCED_LEADER_EPOCH -> Errors.FENCED_LEADER_EPOCH;
            case UNKNOWN_LEADER_EPOCH -> Errors.UNKNOWN_LEADER_EPOCH;
            case LEADER_NOT_AVAILABLE -> Errors.LEADER_NOT_AVAILABLE;
            case NOT_ENOUGH_REPLICAS -> Errors.NOT_ENOUGH_REPLICAS;
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND -> Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
            // Written by a leader that lost its leadership before the write was committed: the client refreshes and
            // retries, as after Kafka's NOT_LEADER_OR_FOLLOWER (an idempotent producer's retry is deduplicated).
            case NOT_LEADER_AFTER_APPEND -> Errors.NOT_LEADER_OR_FOLLOWER;
            case COORDINATOR_NOT_AVAILABLE -> Errors.COORDINATOR_NOT_AVAILABLE;
            case STORAGE_ERROR -> Errors.KAFKA_STORAGE_ERROR;
            // Retriable in Kafka's clients: a producer whose leader's queue is full backs off and sends again.
            case THROTTLED -> Errors.THROTTLING_QUOTA_EXCEEDED;
            case REQUEST_TIMED_OUT -> Errors.REQUEST_TIMED_OUT;
            case UNKNOWN_SERVER_ERROR -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }
}
