package io.sluice.partition.deleterecords;

import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DeleteRecordsResponse;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.tiered.RemoteReads;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Kafka's DeleteRecords at a partition leader (KIP-107): the leader moves its own log start offset (durably, deleting
 * the segments wholly below it; {@link io.sluice.log.PartitionLog#deleteRecordsBefore}), its followers take the new
 * log start from their next fetch answers, and the partition's answer waits until the low watermark — the smallest
 * log start over the leader and its in-sync followers — has reached the offset, as Kafka's purgatory does. After the
 * request's timeout the partition answers REQUEST_TIMED_OUT; its leader has deleted the records all the same, and the
 * followers still delete them when they next fetch. A topic whose {@code cleanup.policy} does not include
 * {@code delete} (compacted only) keeps its records: POLICY_VIOLATION, as Kafka refuses it.
 *
 * <p>On a tiered topic the new log start is first recorded at the coordinator with the partition's remote log
 * ({@link RemoteReads#deleteRecordsBefore}), so remote records below it are never served again, by any replica, and
 * their segments are deleted from the store; only then does the local log move. The answer's low watermark is then the
 * whole log's start (remote and local).
 */
@Service
class DeleteRecordsService {

    private final ReplicaManager replicas;
    private final Scheduler logScheduler;
    private final PartitionProperties properties;
    private final RemoteReads remoteReads;

    DeleteRecordsService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties,
                         RemoteReads remoteReads) {
        this.replicas = replicas;
        this.logScheduler = logScheduler;
        this.properties = properties;
        this.remoteReads = remoteReads;
    }

    Mono<DeleteRecordsResponse> deleteRecords(DeleteRecordsRequest request) {
        Duration timeout = request.timeoutMs() > 0 ? Duration.ofMillis(request.timeoutMs())
                : properties.requests().defaultTimeout();
        return Flux.fromIterable(request.partitions())
                .flatMapSequential(p -> deleteRecords(p, timeout))
                .collectList()
                .map(DeleteRecordsResponse::new);
    }

    private Mono<DeleteRecordsResponse.Partition> deleteRecords(DeleteRecordsRequest.Partition asked, Duration timeout) {
        TopicPartition tp = new TopicPartition(asked.topic(), asked.partition());
        return Mono.fromCallable(() -> checked(tp, asked.offset()))
                .subscribeOn(logScheduler)
                .flatMap(moved -> remoteReads.deleteRecordsBefore(moved.partition(), moved.offset())
                        .publishOn(logScheduler)
                        .then(Mono.fromCallable(() -> {
                            moved.partition().log().deleteRecordsBefore(moved.offset());
                            return moved;
                        })))
                .flatMap(moved -> Mono.fromFuture(() -> moved.partition().awaitLowWatermark(moved.offset()), true)
                        .timeout(timeout)
                        .map(low -> Math.min(low, remoteReads.logStartOffset(moved.partition()))))
                .map(low -> new DeleteRecordsResponse.Partition(tp.topic(), tp.partition(), null, null, low))
                .onErrorResume(SluiceException.class, e -> Mono.just(failed(tp, e.errorCode(), e.getMessage())))
                .onErrorResume(TimeoutException.class, e -> Mono.just(failed(tp, ErrorCode.REQUEST_TIMED_OUT,
                        "The records of " + tp + " below " + asked.offset() + " are deleted at the leader; its in-sync "
                                + "followers did not confirm within " + timeout.toMillis() + " ms")));
    }

    /** The leader's partition and the offset to delete below, once the request may delete there. */
    private Moved checked(TopicPartition tp, long asked) {
        Partition partition = replicas.leaderPartition(tp, PartitionBatches.ANY_EPOCH);
        if (!partition.log().config().compaction().policy().deletes()) {
            throw ErrorCode.POLICY_VIOLATION.exception("Records of " + tp + " cannot be deleted: its cleanup.policy is "
                    + "compact, without delete");
        }
        if (asked < DeleteRecordsRequest.HIGH_WATERMARK) {
            throw ErrorCode.OFFSET_OUT_OF_RANGE.exception("Records of " + tp + " can be deleted below an offset >= 0, "
                    + "or -1 for the high watermark; was " + asked);
        }
        long highWatermark = partition.log().highWatermark();
        if (asked > highWatermark) {
            throw ErrorCode.OFFSET_OUT_OF_RANGE.exception("Records of " + tp + " can be deleted below the high "
                    + "watermark " + highWatermark + " at most; was " + asked);
        }
        return new Moved(partition, asked == DeleteRecordsRequest.HIGH_WATERMARK ? highWatermark : asked);
    }

    private static DeleteRecordsResponse.Partition failed(TopicPartition tp, ErrorCode error, String message) {
        return new DeleteRecordsResponse.Partition(tp.topic(), tp.partition(), error, message, null);
    }

    private record Moved(Partition partition, long offset) {
    }
}
