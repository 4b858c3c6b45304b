package io.sluice.partition.deleterecords;

import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DeleteRecordsResponse;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
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
 */
@Service
class DeleteRecordsService {

    private final ReplicaManager replicas;
    private final Scheduler logScheduler;
    private final PartitionProperties properties;

    DeleteRecordsService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties) {
        this.replicas = replicas;
        this.logScheduler = logScheduler;
        this.properties = properties;
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
        return Mono.fromCallable(() -> moveLogStart(tp, asked.offset()))
                .subscribeOn(logScheduler)
                .flatMap(moved -> Mono.fromFuture(() -> moved.partition().awaitLowWatermark(moved.offset()), true)
                        .timeout(timeout))
                .map(low -> new DeleteRecordsResponse.Partition(tp.topic(), tp.partition(), null, null, low))
                .onErrorResume(SluiceException.class, e -> Mono.just(failed(tp, e.errorCode(), e.getMessage())))
                .onErrorResume(TimeoutException.class, e -> Mono.just(failed(tp, ErrorCode.REQUEST_TIMED_OUT,
                        "The records of " + tp + " below " + asked.offset() + " are deleted at the leader; its in-sync "
                                + "followers did not confirm within " + timeout.toMillis() + " ms")));
    }

    private Moved moveLogStart(TopicPartition tp, long asked) {
        Partition partition = replicas.leaderPartition(tp, PartitionBatches.ANY_EPOCH);
        if (!partition.log().config().compaction().policy().deletes()) {
            throw ErrorCode.POLICY_VIOLATION.exception("Records of " + tp + " cannot be deleted: its cleanup.policy is "
                    + "compact, without delete");
        }
        if (asked < DeleteRecordsRequest.HIGH_WATERMARK) {
            throw ErrorCode.OFFSET_OUT_OF_RANGE.exception("Records of " + tp + " can be deleted below an offset >= 0, "
                    + "or -1 for the high watermark; was " + asked);
        }
        long offset = asked == DeleteRecordsRequest.HIGH_WATERMARK ? partition.log().highWatermark() : asked;
        partition.log().deleteRecordsBefore(offset);
        return new Moved(partition, offset);
    }

    private static DeleteRecordsResponse.Partition failed(TopicPartition tp, ErrorCode error, String message) {
        return new DeleteRecordsResponse.Partition(tp.topic(), tp.partition(), error, message, null);
    }

    private record Moved(Partition partition, long offset) {
    }
}
