package io.sluice.gateway.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DescribeProducersRequest;
import io.sluice.internal.partition.DescribeProducersResponse;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.replication.EpochEndOffsetsRequest;
import io.sluice.internal.replication.EpochEndOffsetsResponse;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads from partition leaders: one partition's fetch from an offset (long polling up to a wait) and offset lookups by
 * time; also DeleteRecords, which is safe to repeat as reads are. Reads change nothing, so a read that failed because the leader moved, or because the leader did not answer, is
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
    private final ReplicationApi replication;
    private final MeterRegistry meters;
    private final Counter retries;
    private final Timer fetchLatency;

    PartitionReader(Rerouting rerouting, PartitionDataApi partitions, ReplicationApi replication,
                    MeterRegistry meters) {
        this.rerouting = rerouting;
        this.partitions = partitions;
        this.replication = replication;
        this.meters = meters;
        this.retries = meters.counter("sluice.gateway.consume.retries");
        this.fetchLatency = Timer.builder("sluice.gateway.fetch.latency").description("Fetches from partition leaders")
                .publishPercentileHistogram().register(meters);
    }

    /** The offset of the first record at or after {@code timestamp} ({@link ListOffsetsRequest#EARLIEST}, LATEST). */
    public Mono<ListOffsetsResponse.Partition> listOffset(TopicPartition tp, long timestamp) {
        return listOffset(tp, timestamp, false);
    }

    /**
     * As {@link #listOffset(TopicPartition, long)}, bounded by the last stable offset when {@code readCommitted}. A node
     * that no longer (or not yet) leads answers the lookup with NOT_LEADER in the partition's entry, not as a failed
     * call: that answer is re-routed like a failed call, inside the attempt, so that a lookup made during a leader
     * change waits for the new leader as a fetch does.
     */
    public Mono<ListOffsetsResponse.Partition> listOffset(TopicPartition tp, long timestamp, boolean readCommitted) {
        ListOffsetsRequest request = new ListOffsetsRequest(List.of(
                new ListOffsetsRequest.Partition(tp.topic(), tp.partition(), timestamp)), readCommitted);
        return read(() -> rerouting.forRead(Duration.ZERO), view -> partitions.listOffsets(ClusterView.leader(view, tp), request)
                .map(response -> response.partitions().getFirst())
                .flatMap(answer -> answer.errorCode() != null
                        && Rerouting.Call.READ.triesAgainAfter(asJudged(answer.errorCode()))
                        ? Mono.error(new SluiceException(asJudged(answer.errorCode()), answer.message()))
                        : Mono.just(answer)))
                .flatMap(answer -> answer.errorCode() == null ? Mono.just(answer)
                        : Mono.error(new SluiceException(answer.errorCode(), answer.message())));
    }

    /**
     * A leader's answer for one partition as a read's re-routing judges it. UNKNOWN_TOPIC or UNKNOWN_PARTITION from
     * the node this gateway's metadata names as the partition's leader means that node has not applied the metadata
     * that made the partition yet (a topic created a moment ago: each process follows the coordinator on its own), so
     * it is LEADER_NOT_AVAILABLE, asked again after a pause as after a leader change. A topic the gateway itself does
     * not know fails before any node is asked.
     */
    private static ErrorCode asJudged(ErrorCode answered) {
        return answered == ErrorCode.UNKNOWN_TOPIC || answered == ErrorCode.UNKNOWN_PARTITION
                ? ErrorCode.LEADER_NOT_AVAILABLE : answered;
    }

    /**
     * Deletes {@code tp}'s records below {@code offset} ({@link DeleteRecordsRequest#HIGH_WATERMARK}: all that are
     * committed) at its leader — Kafka's DeleteRecords — and answers the low watermark reached, once every in-sync
     * replica has its log start there, within {@code timeout}. Not a read, but safe to repeat (a log start already
     * there stays), so it is re-routed like one after a leader change; an answer the leader gave (OFFSET_OUT_OF_RANGE,
     * REQUEST_TIMED_OUT for followers that did not confirm in time) comes back as that error.
     */
    public Mono<Long> deleteRecordsBefore(TopicPartition tp, long offset, Duration timeout) {
        DeleteRecordsRequest request = new DeleteRecordsRequest(timeout.toMillis(),
                List.of(new DeleteRecordsRequest.Partition(tp.topic(), tp.partition(), offset)));
        return read(() -> rerouting.forRead(timeout), view -> partitions.deleteRecords(ClusterView.leader(view, tp), request)
                .map(response -> response.partitions().getFirst())
                .flatMap(answer -> answer.errorCode() != null && answer.errorCode().refreshesMetadata()
                        ? Mono.error(new SluiceException(answer.errorCode(), answer.message())) : Mono.just(answer)))
                .flatMap(answer -> answer.errorCode() == null ? Mono.just(answer.lowWatermark())
                        : Mono.error(new SluiceException(answer.errorCode(), answer.message())));
    }

    /**
     * The producers {@code tp}'s leader holds state for (Kafka's DescribeProducers). Changes nothing, so it is
     * re-routed like a read; an answer the leader gave comes back as that error.
     */
    public Mono<List<DescribeProducersResponse.Producer>> describeProducers(TopicPartition tp) {
        DescribeProducersRequest request = new DescribeProducersRequest(
                List.of(new DescribeProducersRequest.Partition(tp.topic(), tp.partition())));
        return read(() -> rerouting.forRead(Duration.ZERO), view -> partitions.describeProducers(ClusterView.leader(view, tp), request)
                .map(response -> response.partitions().getFirst())
                .flatMap(answer -> answer.errorCode() != null && answer.errorCode().refreshesMetadata()
                        ? Mono.error(new SluiceException(answer.errorCode(), answer.message())) : Mono.just(answer)))
                .flatMap(answer -> answer.errorCode() == null ? Mono.just(answer.producers())
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
        return fetch(tp, offset, maxBytes, waitMs, false);
    }

    /**
     * As {@link #fetch(TopicPartition, long, int, long)}; a {@code readCommitted} fetch reads below the last stable
     * offset and names the aborted transactions among its batches.
     */
    public Mono<FetchedPartition> fetch(TopicPartition tp, long offset, int maxBytes, long waitMs,
                                        boolean readCommitted) {
        return fetch(tp, offset, maxBytes, waitMs, readCommitted, () -> rerouting.forRead(Duration.ofMillis(waitMs)));
    }

    /**
     * As {@link #fetch}, for a stream that outlives any leader change: re-routed without a deadline, for as long as it
     * is subscribed to.
     */
    public Mono<FetchedPartition> fetchForStream(TopicPartition tp, long offset, int maxBytes, long waitMs,
                                                 boolean readCommitted) {
        return fetch(tp, offset, maxBytes, waitMs, readCommitted, rerouting::none);
    }

    private Mono<FetchedPartition> fetch(TopicPartition tp, long offset, int maxBytes, long waitMs,
                                         boolean readCommitted, Supplier<Rerouting.Deadline> deadline) {
        FetchRequest request = new FetchRequest(waitMs, 1, maxBytes,
                List.of(new FetchRequest.Partition(tp.topic(), tp.partition(), offset, maxBytes)), readCommitted);
        return read(deadline, view -> measured(tp, partitions.fetch(ClusterView.leader(view, tp), request)
                .map(List::getFirst))
                .flatMap(section -> section.error() != null
                        && Rerouting.Call.READ.triesAgainAfter(asJudged(section.error()))
                        ? Mono.error(asJudged(section.error()).exception("Fetch from " + tp + ": "
                                + section.error().description()))
                        : Mono.just(section)));
    }

    /**
     * Where {@code leaderEpoch} ends in {@code tp}'s log, as its leader answers (Kafka's OffsetsForLeaderEpoch, which
     * a consumer asks after a leader change to find out whether the log it read from was truncated), fenced by the
     * epoch the asker believes current ({@code -1}: none). Re-routed like any read.
     */
    public Mono<EpochEndOffsetsResponse.Partition> epochEndOffset(TopicPartition tp, int currentLeaderEpoch,
                                                                  int leaderEpoch) {
        EpochEndOffsetsRequest request = new EpochEndOffsetsRequest(-1, List.of(
                new EpochEndOffsetsRequest.Partition(tp.topic(), tp.partition(), currentLeaderEpoch, leaderEpoch)));
        return read(() -> rerouting.forRead(Duration.ZERO),
                view -> replication.epochEndOffsets(ClusterView.leader(view, tp), request))
                .map(response -> response.partitions().getFirst());
    }

    /**
     * Many partitions' sections of one fetch (Kafka's Fetch), each read at its leader: one internal fetch per leader
     * node, all at once. The answer comes as soon as the sections together hold {@code minBytes} of batches, or after
     * {@code waitMs} with what there is. With more than one leader, each is first asked without waiting; if that is
     * not enough, each is long-polled, and once one has data every leader is asked again without waiting, so that no
     * section waits for another leader's long poll.
     *
     * <p>Sections come in the order of {@code requested}. Nothing is re-routed here: a partition whose leader is
     * unknown or unreachable, or that answered NOT_LEADER, has that error in its section, for the client to fetch
     * again after refreshing its metadata. Together the sections hold at most {@code maxBytes} of batches, except
     * that the first section with data is always whole (as Kafka does, so that a batch larger than the limit still
     * makes progress): the records of the sections beyond are left out, their offsets kept.
     */
    public Mono<List<FetchedPartition>> fetchAll(List<FetchRequest.Partition> requested, long waitMs, int minBytes,
                                                 int maxBytes) {
        return fetchAll(requested, waitMs, minBytes, maxBytes, false);
    }

    /**
     * As {@link #fetchAll(List, long, int, int)}; a {@code readCommitted} fetch reads below each partition's last stable
     * offset, and its sections name the aborted transactions among their records.
     */
    public Mono<List<FetchedPartition>> fetchAll(List<FetchRequest.Partition> requested, long waitMs, int minBytes,
                                                 int maxBytes, boolean readCommitted) {
        return Mono.defer(() -> {
            MetadataView view = rerouting.view();
            Map<NodeInfo, List<FetchRequest.Partition>> byLeader = new LinkedHashMap<>();
            Map<TopicPartition, FetchedPartition> sections = new LinkedHashMap<>();
            for (FetchRequest.Partition partition : requested) {
                TopicPartition tp = new TopicPartition(partition.topic(), partition.partition());
                try {
                    byLeader.computeIfAbsent(ClusterView.leader(view, tp), n -> new ArrayList<>()).add(partition);
                } catch (SluiceException e) {
                    sections.put(tp, failed(tp, e.errorCode()));
                }
            }
            Mono<Map<TopicPartition, FetchedPartition>> answer;
            if (byLeader.size() <= 1 || waitMs == 0) {
                answer = fetchFrom(byLeader, waitMs, minBytes, maxBytes, readCommitted);
            } else {
                answer = fetchFrom(byLeader, 0, 1, maxBytes, readCommitted).flatMap(now -> bytes(now) >= minBytes
                        ? Mono.just(now)
                        : Flux.fromIterable(byLeader.entrySet())
                                .flatMap(leader -> fetchFrom(Map.of(leader.getKey(), leader.getValue()), waitMs, 1,
                                        maxBytes, readCommitted))
                                .filter(polled -> bytes(polled) > 0)
                                .next()
                                .flatMap(data -> fetchFrom(byLeader, 0, 1, maxBytes, readCommitted))
                                .defaultIfEmpty(now));
            }
            return answer.map(fetched -> {
                sections.putAll(fetched);
                List<FetchedPartition> ordered = new ArrayList<>();
                for (FetchRequest.Partition partition : requested) {
                    ordered.add(sections.get(new TopicPartition(partition.topic(), partition.partition())));
                }
                return withinBytes(ordered, maxBytes);
            });
        });
    }

    private Mono<Map<TopicPartition, FetchedPartition>> fetchFrom(Map<NodeInfo, List<FetchRequest.Partition>> byLeader,
                                                                  long waitMs, int minBytes, int maxBytes,
                                                                  boolean readCommitted) {
        return Flux.fromIterable(byLeader.entrySet())
                .flatMap(leader -> {
                    FetchRequest request = new FetchRequest(waitMs, minBytes, maxBytes, leader.getValue(),
                            readCommitted);
                    long started = System.nanoTime();
                    return partitions.fetch(leader.getKey(), request)
                            .doOnNext(fetched -> {
                                fetchLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                                fetched.forEach(section -> bytesOut(section.partition(), section.records().remaining()));
                            })
                            .onErrorResume(SluiceException.class, e -> Mono.just(leader.getValue().stream()
                                    .map(p -> failed(new TopicPartition(p.topic(), p.partition()), e.errorCode()))
                                    .toList()));
                })
                .collect(LinkedHashMap::new, (all, fetched) -> fetched.forEach(s -> all.put(s.partition(), s)));
    }

    private static long bytes(Map<TopicPartition, FetchedPartition> sections) {
        long total = 0;
        for (FetchedPartition section : sections.values()) {
            total += section.records().remaining();
        }
        return total;
    }

    /**
     * {@code sections} holding at most {@code maxBytes} of batches together, except that the first section with data
     * is always whole: the records of the sections beyond are left out, their offsets kept.
     */
    public static List<FetchedPartition> withinBytes(List<FetchedPartition> sections, int maxBytes) {
        List<FetchedPartition> kept = new ArrayList<>(sections.size());
        long total = 0;
        for (FetchedPartition section : sections) {
            int size = section.records().remaining();
            if (size > 0 && total > 0 && total + size > maxBytes) {
                kept.add(new FetchedPartition(section.partition(), section.error(), section.highWatermark(),
                        section.lastStableOffset(), section.logStartOffset(), section.logEndOffset(), List.of(),
                        ByteBuffer.allocate(0)));
                continue;
            }
            total += size;
            kept.add(section);
        }
        return kept;
    }

    private static FetchedPartition failed(TopicPartition tp, ErrorCode error) {
        return new FetchedPartition(tp, error, -1, -1, -1, ByteBuffer.allocate(0));
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
                bytesOut(tp, section.records().remaining());
            });
        });
    }

    private void bytesOut(TopicPartition tp, int bytes) {
        Counter.builder("sluice.gateway.bytes.out").baseUnit("bytes").tag("topic", tp.topic()).register(meters)
                .increment(bytes);
    }
}
