package io.sluice.internal.remote;

import io.sluice.protocol.TopicPartition;
import reactor.core.publisher.Mono;

/**
 * The coordinator's record of what each partition holds in object storage (tiered storage). The partition's leader
 * records each copy in two steps, started then finished, and each deletion likewise; any replica that becomes leader
 * reads the record to know what is remote. The calls fail with a {@link io.sluice.protocol.SluiceException} carrying
 * the coordinator's error code: UNKNOWN_TOPIC or UNKNOWN_PARTITION (no such topic or partition, also when the topic
 * was deleted meanwhile), FENCED_LEADER_EPOCH (a newer leader has written), UNKNOWN_LEADER_EPOCH (newer than the
 * partition's leader epoch), INVALID_REQUEST (a bad segment or a move its state does not allow), and, like every
 * coordinator call, FENCED_COORDINATOR or NOT_ACTIVE_COORDINATOR during a coordinator failover.
 *
 * <p>Every move may be retried: sent again after its answer was lost, it succeeds again and answers the log as it is
 * then, unless a newer leader has updated the log since. A topic's remote logs are removed with the topic; its objects
 * in the bucket are the partition service's to delete.
 */
public interface RemoteLogApi {

    /** The partition's remote log. */
    Mono<RemoteLog> remoteLog(TopicPartition partition);

    /**
     * Moves one segment to {@code update.state()} (see {@link RemoteSegment.State}), as the leader of
     * {@code update.leaderEpoch()}; answers the remote log afterwards. The moves allowed, by the state asked for:
     * <ul>
     *   <li>COPY_STARTED: the id is not recorded yet (or is recorded as exactly this update: a retry);</li>
     *   <li>COPY_FINISHED: the id is recorded COPY_STARTED (or COPY_FINISHED: a retry);</li>
     *   <li>DELETE_STARTED: the id is recorded, in any state (already DELETE_STARTED: a retry);</li>
     *   <li>DELETED: the id is recorded DELETE_STARTED, and is removed (or is not recorded: a retry).</li>
     * </ul>
     * A move of a recorded segment names the recorded base and end offsets. A move that changes the record stores the
     * update as sent (its state, its leader epoch); a retry changes nothing. Any move allowed makes the update's leader
     * epoch the log's when it is newer, so that older leaders are fenced from then on.
     */
    Mono<RemoteLog> updateRemoteSegment(TopicPartition partition, RemoteSegment update);

    /**
     * Raises the remote log's start offset to {@code update.offset()} (Kafka's DeleteRecords on a tiered topic), as the
     * leader of {@code update.leaderEpoch()}; an offset at or below it changes nothing. Fenced like a segment's move
     * (the update's leader epoch becomes the log's when newer), and like one it may be retried. Answers the remote log
     * afterwards.
     */
    Mono<RemoteLog> advanceLogStart(TopicPartition partition, RemoteLogStart update);
}
