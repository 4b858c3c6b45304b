package io.sluice.internal.remote;

import io.sluice.protocol.TopicPartition;
import reactor.core.publisher.Mono;

/**
 * The coordinator's record of what each partition holds in object storage (tiered storage). The partition's leader
 * records each copy in two steps, started then finished, and each deletion likewise; any replica that becomes leader
 * reads the record to know what is remote. The calls fail with a {@link io.sluice.protocol.SluiceException} carrying
 * the coordinator's error code: UNKNOWN_TOPIC_OR_PARTITION, FENCED_LEADER_EPOCH (a newer leader has written),
 * UNKNOWN_LEADER_EPOCH (newer than the partition's leader epoch), INVALID_REQUEST (a bad segment or a move its state
 * does not allow).
 */
public interface RemoteLogApi {

    /** The partition's remote log. */
    Mono<RemoteLog> remoteLog(TopicPartition partition);

    /**
     * Moves one segment to {@code update.state()} (see {@link RemoteSegment.State}), as the leader of
     * {@code update.leaderEpoch()}; answers the remote log afterwards.
     */
    Mono<RemoteLog> updateRemoteSegment(TopicPartition partition, RemoteSegment update);
}
