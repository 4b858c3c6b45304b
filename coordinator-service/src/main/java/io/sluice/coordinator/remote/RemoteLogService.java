package io.sluice.coordinator.remote;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.remote.RemoteLog;
import io.sluice.internal.remote.RemoteLogStart;
import io.sluice.internal.remote.RemoteSegment;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The coordinator's side of {@link io.sluice.internal.remote.RemoteLogApi}: each partition's remote log (tiered
 * storage), which its leader records segment by segment, a copy and a deletion each in two steps. Before the store's
 * script runs, an update is checked here against the current metadata: its fields (INVALID_REQUEST), its topic and
 * partition (UNKNOWN_TOPIC, UNKNOWN_PARTITION), and its leader epoch, which may not be newer than the partition's
 * (UNKNOWN_LEADER_EPOCH: the writer claims a leadership this coordinator has not given); a log start update's
 * offset and epoch likewise. The rest is checked by the store's script ({@link RemoteLogStore}), atomically with the
 * write.
 *
 * <p>Updates do not queue behind the metadata's command sequence: a check made on the view cannot be undone by a
 * change decided meanwhile, because a leader epoch only grows, a partition is never removed, and a topic deleted
 * meanwhile is caught by the script, which finds its id gone.
 */
@Service
class RemoteLogService {

    private static final Pattern SEGMENT_ID = Pattern.compile("[A-Za-z0-9-]+");

    private final MetadataManager metadata;
    private final CoordinatorLease lease;
    private final RemoteLogStore store;

    RemoteLogService(MetadataManager metadata, CoordinatorLease lease, RemoteLogStore store) {
        this.metadata = metadata;
        this.lease = lease;
        this.store = store;
    }

    /** The partition's remote log: leader epoch -1 and no segment before its leader first updated it. */
    Mono<RemoteLog> remoteLog(TopicPartition partition) {
        return Mono.defer(() -> store.remoteLog(topicOf(partition), partition.partition()));
    }

    /** Moves one segment of the partition's remote log as {@code update} asks; answers the log afterwards. */
    Mono<RemoteLog> update(TopicPartition partition, RemoteSegment update) {
        return Mono.defer(() -> {
            validate(partition, update);
            TopicMetadata topic = leaderOf(partition, update.leaderEpoch());
            return store.update(lease.fencingToken(), topic, partition.partition(), update);
        });
    }

    /** Raises the partition's remote log start offset (DeleteRecords); answers the log afterwards. */
    Mono<RemoteLog> advanceLogStart(TopicPartition partition, RemoteLogStart update) {
        return Mono.defer(() -> {
            if (update.offset() < 0 || update.leaderEpoch() < 0) {
                throw ErrorCode.INVALID_REQUEST.exception("Remote log start update of " + partition + ": offset and "
                        + "leader_epoch must be >= 0, were " + update.offset() + " and " + update.leaderEpoch());
            }
            TopicMetadata topic = leaderOf(partition, update.leaderEpoch());
            return store.advanceLogStart(lease.fencingToken(), topic, partition.partition(), update);
        });
    }

    /** The partition's topic, if {@code leaderEpoch} is not newer than the partition's (UNKNOWN_LEADER_EPOCH). */
    private TopicMetadata leaderOf(TopicPartition partition, int leaderEpoch) {
        TopicMetadata topic = topicOf(partition);
        int current = topic.partition(partition.partition()).leaderEpoch();
        if (leaderEpoch > current) {
            throw ErrorCode.UNKNOWN_LEADER_EPOCH.exception("Leader epoch " + leaderEpoch + " of " + partition
                    + " is newer than the coordinator's " + current);
        }
        return topic;
    }

    /** The partition's topic in the current metadata, which must have the partition. */
    private TopicMetadata topicOf(TopicPartition partition) {
        if (!metadata.isReady()) {
            throw ErrorCode.NOT_ACTIVE_COORDINATOR.exception("This coordinator is not the active one");
        }
        TopicMetadata topic = metadata.view().topic(partition.topic()).orElseThrow(() ->
                ErrorCode.UNKNOWN_TOPIC.exception("Topic '" + partition.topic() + "' does not exist"));
        if (partition.partition() >= topic.partitions().size()) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + partition.topic() + "' has no partition "
                    + partition.partition());
        }
        return topic;
    }

    private static void validate(TopicPartition partition, RemoteSegment update) {
        String problem = problem(update);
        if (problem != null) {
            throw ErrorCode.INVALID_REQUEST.exception("Remote segment update of " + partition + ": " + problem);
        }
    }

    /** What is wrong with the update's fields, or null. */
    private static String problem(RemoteSegment update) {
        if (update.id() == null || update.id().isBlank()) {
            return "id is required";
        }
        if (update.id().length() > RemoteSegment.MAX_ID_LENGTH) {
            return "id is " + update.id().length() + " characters long, more than " + RemoteSegment.MAX_ID_LENGTH;
        }
        if (!SEGMENT_ID.matcher(update.id()).matches()) {
            return "id '" + update.id() + "' may hold only letters, digits and '-'";
        }
        if (update.baseOffset() < 0) {
            return "base_offset must be >= 0, was " + update.baseOffset();
        }
        if (update.endOffset() < update.baseOffset()) {
            return "end_offset must be >= base_offset (" + update.baseOffset() + "), was " + update.endOffset();
        }
        if (update.sizeBytes() < 0) {
            return "size_bytes must be >= 0, was " + update.sizeBytes();
        }
        if (update.leaderEpoch() < 0) {
            return "leader_epoch must be >= 0, was " + update.leaderEpoch();
        }
        if (update.state() == null) {
            return "state is required (COPY_STARTED, COPY_FINISHED, DELETE_STARTED or DELETED)";
        }
        return null;
    }
}
