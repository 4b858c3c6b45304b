package io.sluice.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Reads from partition leaders: one partition's fetch from an offset (long polling up to a wait) and offset lookups by
 * time. A read that fails because the leader moved, or a leader that failed to answer, waits for newer metadata (not
 * a blind retry) and tries the leader the metadata names then, until the call's budget runs out: reads change
 * nothing, so they may be repeated.
 */
@Service
public class PartitionReader {

    /** Failures after which a read is tried again at the leader the next metadata names. */
    public static final Set<ErrorCode> REROUTE = EnumSet.of(ErrorCode.NOT_LEADER, ErrorCode.LEADER_NOT_AVAILABLE,
            ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH, ErrorCode.REQUEST_TIMED_OUT,
            ErrorCode.STORAGE_ERROR);
    private static final Duration LOOKUP_BUDGET = Duration.ofSeconds(10);

    private final ClusterView cluster;
    private final PartitionDataApi partitions;
    private final MeterRegistry meters;
    private final Counter retries;
    private final Timer fetchLatency;

    PartitionReader(ClusterView cluster, PartitionDataApi partitions, MeterRegistry meters) {
        this.cluster = cluster;
        this.partitions = partitions;
        this.meters = meters;
        this.retries = meters.counter("sluice.gateway.consume.retries");
        this.fetchLatency = Timer.builder("sluice.gateway.fetch.latency").description("Fetches from partition leaders")
                .publishPercentileHistogram().register(meters);
    }

    /** The offset of the first record at or after {@code timestamp} ({@link ListOffsetsRequest#EARLIEST}, LATEST). */
    public Mono<ListOffsetsResponse.Partition> listOffset(TopicPartition tp, long timestamp) {
        ListOffsetsRequest request = new ListOffsetsRequest(List.of(
                new ListOffsetsRequest.Partition(tp.topic(), tp.partition(), timestamp)));
        return rerouting(LOOKUP_BUDGET, view -> partitions.listOffsets(ClusterView.leader(view, tp), request))
                .map(response -> response.partitions().getFirst())
                .flatMap(answer -> answer.errorCode() == null ? Mono.just(answer)
                        : Mono.error(new SluiceException(answer.errorCode(), answer.message())));
    }

    /**
     * {@code tp}'s log start offset, high watermark and log end offset, in one round trip: a fetch from an offset no
     * log reaches answers OFFSET_OUT_OF_RANGE with the partition's whole range and no data.
     */
    public Mono<PartitionBounds> bounds(TopicPartition tp) {
        return fetch(tp, Long.MAX_VALUE, 1, 0, LOOKUP_BUDGET).flatMap(section -> section.error() == ErrorCode.OFFSET_OUT_OF_RANGE
                ? Mono.just(new PartitionBounds(section.logStartOffset(), section.highWatermark(), section.logEndOffset()))
                : Mono.error(ErrorCode.UNKNOWN_SERVER_ERROR.exception("The leader of " + tp + " answered a fetch beyond "
                        + "any log with " + (section.error() == null ? "data" : section.error().name()))));
    }

    /** A partition's offsets as its leader sees them. */
    public record PartitionBounds(long logStartOffset, long highWatermark, long logEndOffset) {
    }

    /**
     * {@code tp}'s section of a fetch from {@code offset}, waiting up to {@code waitMs} for data. A section with an
     * error that is not re-routable (OFFSET_OUT_OF_RANGE, …) is returned for the caller to judge.
     */
    public Mono<FetchedPartition> fetch(TopicPartition tp, long offset, int maxBytes, long waitMs, Duration budget) {
        FetchRequest request = new FetchRequest(waitMs, 1, maxBytes,
                List.of(new FetchRequest.Partition(tp.topic(), tp.partition(), offset, maxBytes)));
        return rerouting(budget, view -> measured(tp, partitions.fetch(ClusterView.leader(view, tp), request)
                .map(List::getFirst))
                .flatMap(section -> section.error() != null && REROUTE.contains(section.error())
                        ? Mono.error(section.error().exception("Fetch from " + tp + ": " + section.error().description()))
                        : Mono.just(section)));
    }

    private <T> Mono<T> rerouting(Duration budget, Function<MetadataView, Mono<T>> call) {
        return Mono.defer(() -> attempt(System.nanoTime() + budget.toNanos(), call));
    }

    private <T> Mono<T> attempt(long deadline, Function<MetadataView, Mono<T>> call) {
        MetadataView view = cluster.current();
        return Mono.defer(() -> call.apply(view)).onErrorResume(SluiceException.class, e -> {
            if (!REROUTE.contains(e.errorCode()) || System.nanoTime() > deadline) {
                return Mono.error(e);
            }
            retries.increment();
            return cluster.awaitNewerThan(view.version(), Duration.ofMillis(500))
                    .then(Mono.defer(() -> attempt(deadline, call)));
        });
    }

    /** Bytes of record batches fetched per topic, and fetch latency (long-poll waits included). */
    private Mono<FetchedPartition> measured(TopicPartition tp, Mono<FetchedPartition> fetch) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return fetch.doOnNext(section -> {
                fetchLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                Counter.builder("sluice.gateway.bytes.out").baseUnit("bytes").tag("topic", tp.topic())
                        .register(meters).increment(section.records().remaining());
            });
        });
    }
}
