package io.sluice.partition.txn;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.Partition;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.EndTxnMarker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Kafka's WriteTxnMarkers at a partition leader: for each marker and each of its partitions, the leader writes the
 * control batch that commits or aborts the producer's transaction there ({@link Partition#appendMarker}: the
 * leadership, leader epoch and min.insync.replicas checks of an acks=all produce, then
 * {@link io.sluice.log.PartitionLog#appendMarker}, which fences older producer and coordinator epochs), and answers
 * the partition once the high watermark has passed the marker, as an acks=all produce waits
 * ({@link Partition#committed}), or after the request's timeout with REQUEST_TIMED_OUT.
 *
 * <p>The markers are written in request order, in one task on the log scheduler (file I/O never runs on an event
 * loop); a partition's refusal is that partition's answer and the others are still written. A request that is not
 * well formed (a field missing or out of range) is refused whole with INVALID_REQUEST before anything is written.
 */
@Service
public class WriteMarkersService {

    private static final Logger LOG = LoggerFactory.getLogger(WriteMarkersService.class);

    private final ReplicaManager replicas;
    private final Scheduler logScheduler;
    private final Duration defaultTimeout;
    private final MarkerMetrics metrics;

    public WriteMarkersService(ReplicaManager replicas, Scheduler logScheduler, PartitionProperties properties,
                               MeterRegistry meters) {
        this.replicas = replicas;
        this.logScheduler = logScheduler;
        this.defaultTimeout = properties.requests().defaultTimeout();
        this.metrics = new MarkerMetrics(meters);
    }

    /**
     * Writes the request's markers; fails with INVALID_REQUEST (nothing written) when it is not well formed, else
     * answers every marker and partition in request order.
     */
    public Mono<WriteMarkersResponse> writeMarkers(WriteMarkersRequest request) {
        return Mono.defer(() -> {
            requireWellFormed(request);
            Duration timeout = request.timeoutMs() == 0 ? defaultTimeout : Duration.ofMillis(request.timeoutMs());
            List<Entry> entries = entries(request);
            return Mono.fromCallable(() -> entries.stream().map(this::append).toList())
                    .subscribeOn(logScheduler)
                    .flatMapMany(Flux::fromIterable)
                    .flatMapSequential(written -> committed(written, timeout))
                    .collectList()
                    .map(answers -> response(request, answers));
        });
    }

    /** Writes one marker as leader (on the log scheduler); a refusal is its answer. */
    private Written append(Entry entry) {
        TopicPartition tp = entry.partition();
        WriteMarkersRequest.Marker marker = entry.marker();
        try {
            Partition partition = replicas.leaderPartition(tp, entry.leaderEpoch());
            Partition.LeaderAppend append = partition.appendMarker(marker.producerId(), marker.producerEpoch(),
                    new EndTxnMarker(marker.commit(), marker.coordinatorEpoch()), entry.leaderEpoch());
            metrics.written(tp, marker.commit());
            return new Written(entry, partition, append, null);
        } catch (RuntimeException e) {
            return new Written(entry, null, null, e);
        }
    }

    /** The partition's answer once its marker is committed, or why it is not. */
    private Mono<WriteMarkersResponse.Partition> committed(Written written, Duration timeout) {
        if (written.error() != null) {
            return Mono.just(failed(written.entry(), written.error()));
        }
        long offset = written.append().result().firstOffset();
        return written.partition().committed(offset + 1, written.append().leaderEpoch(), timeout)
                .map(highWatermark -> new WriteMarkersResponse.Partition(written.entry().partition().topic(),
                        written.entry().partition().partition(), null, null, offset))
                .onErrorResume(error -> Mono.just(failed(written.entry(), error)));
    }

    private WriteMarkersResponse.Partition failed(Entry entry, Throwable error) {
        TopicPartition tp = entry.partition();
        SluiceException e;
        if (error instanceof SluiceException se) {
            e = se;
        } else {
            LOG.error("Unexpected failure writing the transaction marker of producer {} on {}",
                    entry.marker().producerId(), tp, error);
            e = ErrorCode.UNKNOWN_SERVER_ERROR.exception("Unexpected error: " + error);
        }
        metrics.failed(tp, e.errorCode().name());
        return new WriteMarkersResponse.Partition(tp.topic(), tp.partition(), e.errorCode(), e.getMessage(), null);
    }

    /** The request's partitions, marker by marker, in request order. */
    private static List<Entry> entries(WriteMarkersRequest request) {
        List<Entry> entries = new ArrayList<>();
        for (WriteMarkersRequest.Marker marker : request.markers()) {
            for (WriteMarkersRequest.Partition p : marker.partitions()) {
                entries.add(new Entry(marker, new TopicPartition(p.topic(), p.partition()), p.leaderEpoch()));
            }
        }
        return entries;
    }

    /** The flat answers put back under their markers. */
    private static WriteMarkersResponse response(WriteMarkersRequest request,
                                                 List<WriteMarkersResponse.Partition> answers) {
        List<WriteMarkersResponse.Marker> markers = new ArrayList<>(request.markers().size());
        int next = 0;
        for (WriteMarkersRequest.Marker marker : request.markers()) {
            int count = marker.partitions().size();
            markers.add(new WriteMarkersResponse.Marker(marker.producerId(), answers.subList(next, next + count)));
            next += count;
        }
        return new WriteMarkersResponse(markers);
    }

    /**
     * INVALID_REQUEST, naming the field as the JSON body spells it, unless every field is there and in range: a
     * marker needs its producer id, producer epoch, coordinator epoch, outcome and at least one partition; a
     * partition its topic, number and leader epoch ({@value PartitionBatches#ANY_EPOCH} for any).
     */
    static void requireWellFormed(WriteMarkersRequest request) {
        if (request.timeoutMs() < 0) {
            throw invalid("timeout_ms must be >= 0 (0: the node's default), was " + request.timeoutMs());
        }
        if (request.markers() == null || request.markers().isEmpty()) {
            throw invalid("markers must name at least one marker");
        }
        for (int m = 0; m < request.markers().size(); m++) {
            WriteMarkersRequest.Marker marker = request.markers().get(m);
            String at = "markers[" + m + "]";
            if (marker == null) {
                throw invalid(at + " is null");
            }
            atLeast(marker.producerId(), 0, at + ".producer_id");
            atLeast(marker.producerEpoch(), 0, at + ".producer_epoch");
            atLeast(marker.coordinatorEpoch(), 0, at + ".coordinator_epoch");
            if (marker.commit() == null) {
                throw invalid(at + ".commit is missing (true to commit, false to abort)");
            }
            if (marker.partitions() == null || marker.partitions().isEmpty()) {
                throw invalid(at + ".partitions must name at least one partition");
            }
            for (int p = 0; p < marker.partitions().size(); p++) {
                WriteMarkersRequest.Partition partition = marker.partitions().get(p);
                String pat = at + ".partitions[" + p + "]";
                if (partition == null) {
                    throw invalid(pat + " is null");
                }
                if (partition.topic() == null || partition.topic().isEmpty()) {
                    throw invalid(pat + ".topic is missing");
                }
                atLeast(partition.partition(), 0, pat + ".partition");
                atLeast(partition.leaderEpoch(), PartitionBatches.ANY_EPOCH, pat + ".leader_epoch");
            }
        }
    }

    private static void atLeast(Number value, long min, String field) {
        if (value == null) {
            throw invalid(field + " is missing");
        }
        if (value.longValue() < min) {
            throw invalid(field + " must be >= " + min + ", was " + value);
        }
    }

    private static SluiceException invalid(String detail) {
        return ErrorCode.INVALID_REQUEST.exception("Write markers request: " + detail);
    }

    /** One partition of one marker, as requested. */
    private record Entry(WriteMarkersRequest.Marker marker, TopicPartition partition, int leaderEpoch) {
    }

    /** A marker written (with its partition and append) or refused. */
    private record Written(Entry entry, Partition partition, Partition.LeaderAppend append, RuntimeException error) {
    }
}
