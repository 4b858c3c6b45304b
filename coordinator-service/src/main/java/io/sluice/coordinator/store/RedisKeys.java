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
 * </pre>
 */
public final class RedisKeys {

    public static final String LEASE = "sluice:lease";
    public static final String FENCING_TOKEN = "sluice:fencing-token";
    public static final String ACTIVE = "sluice:active";
    public static final String METADATA_VERSION = "sluice:metadata-version";
    public static final String NODES = "sluice:nodes";
    public static final String TOPICS = "sluice:topics";

    private RedisKeys() {
    }
}
