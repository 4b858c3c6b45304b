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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Reads from partition leaders: one partition's fetch from an offset (long polling up to a wait) and offset lookups by
 * time. Reads change nothing, so a read that failed because the leader moved, or because the leader did not answer, is
 * made again at the leader newer metadata names ({@link Rerouting.Call#READ}), until its deadline: its wait plus the
 * read budget ({@code sluice.gateway.rerouting.read-budget}).
 *
 * <p>Metrics: {@code sluice.gateway.consume.retries} (reads made again), {@code sluice.gateway.fetch.latency} and
 * {@code sluice.gateway.bytes.out} per topic.
 */
@Service
public class PartitionReader {

    private final Rerouting rerouting;
    private final PartitionDataApi partitions;
    private final MeterRegistry meters;
    private final Counter retries;
    private final Timer fetchLatency;

    PartitionReader(Rerouting rerouting, PartitionDataApi partitions, MeterRegistry meters) {
        this.rerouting = rerouting;
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
        return read(() -> rerouting.forRead(Duration.ZERO), view -> partitions.listOffsets(ClusterView.leader(view, tp), request))
                .map(response -> response.partitions().getFirst())
                .flatMap(answer -> answer.errorCode() == null ? Mono.just(answer)
                        : Mono.error(new SluiceException(answer.errorCode(), answer.message())));
    }

    /**
     * {@code tp}'s log start offset, high watermark and log end offset, in one round trip: a fetch from an offset no
     * log reaches answers OFFSET_OUT_OF_RANGE with the partition's whole range and no data.
     */
    public Mono<PartitionBounds> bounds(TopicPartition tp) {
        return fetch(tp, Long.MAX_VALUE, 1, 0).flatMap(section -> section.error() == ErrorCode.OFFSET_OUT_OF_RANGE
                ? Mono.just(new PartitionBounds(section.logStartOffset(), section.highWatermark(), section.logEndOffset()))
                : Mono.error(ErrorCode.UNKNOWN_SERVER_ERROR.exception("The leader of " + tp + " answered a fetch beyond "
                        + "any log with " + (section.error() == null ? "data" : section.error().name()))));
    }

    /** A partition's offsets as its leader sees them. */
    public record PartitionBounds(long logStartOffset, long highWatermark, long logEndOffset) {
    }

    /**
     * {@code tp}'s section of a fetch from {@code offset}, waiting up to {@code waitMs} for data, re-routed until that
     * wait and the read budget have passed. A section with an error that is not re-routed (OFFSET_OUT_OF_RANGE, …) is
     * returned for the caller to judge.
     */
    public Mono<FetchedPartition> fetch(TopicPartition tp, long offset, int maxBytes, long waitMs) {
        return fetch(tp, offset, maxBytes, waitMs, () -> rerouting.forRead(Duration.ofMillis(waitMs)));
    }

    /**
     * As {@link #fetch}, for a stream that outlives any leader change: re-routed without a deadline, for as long as it
     * is subscribed to.
     */
    public Mono<FetchedPartition> fetchForStream(TopicPartition tp, long offset, int maxBytes, long waitMs) {
        return fetch(tp, offset, maxBytes, waitMs, rerouting::none);
    }

    private Mono<FetchedPartition> fetch(TopicPartition tp, long offset, int maxBytes, long waitMs,
                                         Supplier<Rerouting.Deadline> deadline) {
        FetchRequest request = new FetchRequest(waitMs, 1, maxBytes,
                List.of(new FetchRequest.Partition(tp.topic(), tp.partition(), offset, maxBytes)));
        return read(deadline, view -> measured(tp, partitions.fetch(ClusterView.leader(view, tp), request)
                .map(List::getFirst))
                .flatMap(section -> section.error() != null && Rerouting.Call.READ.triesAgainAfter(section.error())
                        ? Mono.error(section.error().exception("Fetch from " + tp + ": " + section.error().description()))
                        : Mono.just(section)));
    }

    private <T> Mono<T> read(Supplier<Rerouting.Deadline> deadline, Function<MetadataView, Mono<T>> attempt) {
        return rerouting.call(Rerouting.Call.READ, deadline, retries::increment, attempt);
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
