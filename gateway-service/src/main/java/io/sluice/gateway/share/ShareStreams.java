package io.sluice.gateway.share;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.stream.StreamEvent;
import io.sluice.gateway.web.OpenStreams;
import io.sluice.internal.share.AcknowledgeType;
import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareHeldRequest;
import io.sluice.internal.share.ShareHeldResponse;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Share-group members over SSE ({@code GET /v1/share-groups/{group}/records}): the gateway takes records for the
 * connection's member and pushes each as a {@code record} event with its acquisition id and lock deadline; the worker
 * acknowledges them by the acknowledgements route, through any gateway. The lock rules are the coordinator's, as for
 * every take: a record never acknowledged goes to the next taker when its lock expires.
 *
 * <p>In flight: a stream holds at most {@code max_in_flight} records. It counts the records it took, and when the count
 * reaches the limit asks the coordinator which of them the member still holds ({@link ShareGroupApi#held}); the
 * others were acknowledged (here or through another gateway) or their locks expired, and make room. So a slow worker
 * holds no more than its limit and the rest of the queue goes to other members. The count is never below what the
 * member holds, so the limit is never passed; between two asks it may be above (acknowledged records still counted),
 * which only delays the next take until the ask.
 *
 * <p>Closing: when the connection closes, the records the stream took and the member still holds are released at once
 * (delivered again now, their delivery count one more) rather than left until their locks expire. A take in progress
 * when the connection closes is not cancelled, but it stops waiting for records: it ends within the coordinator's
 * round trip in progress, and its records are released too, so a record the connection never saw is not left locked.
 * A stopping gateway ends its streams and waits for these releases ({@link OpenStreams}); only a gateway that dies
 * with the stream leaves its records to the lock expiry.
 *
 * <p>The event id names the acquisition ({@code partition:acquisition_id}): a share stream does not resume, since
 * what was not acknowledged is delivered again to whichever member takes next.
 */
@Service
class ShareStreams {

    private static final Logger log = LoggerFactory.getLogger(ShareStreams.class);

    /** How often a full stream asks the coordinator whether its records were acknowledged. */
    static final Duration FULL_RECHECK = Duration.ofMillis(250);
    /** How long a stream waits after a retriable failure (no coordinator, a leader moving) before it takes again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ShareAcquisitions acquisitions;
    private final ShareGroupApi shares;
    private final JsonMapper json;
    private final GatewayProperties.Consume settings;
    private final AtomicInteger openStreams;
    private final OpenStreams closings;

    ShareStreams(ShareAcquisitions acquisitions, ShareGroupApi shares, JsonMapper json, GatewayProperties properties,
                 MeterRegistry meters, OpenStreams closings) {
        this.closings = closings;
        this.acquisitions = acquisitions;
        this.shares = shares;
        this.json = json;
        this.settings = properties.consume();
        this.openStreams = meters.gauge("sluice.gateway.share.sse.streams", new AtomicInteger());
    }

    /** The events of one member's stream of {@code topic}'s {@code partitions}, until the connection closes. */
    Flux<StreamEvent> stream(String group, String memberId, String topic, List<Integer> partitions, int maxInFlight,
                             Formats formats) {
        return Flux.defer(() -> new Stream(group, memberId, topic, partitions, maxInFlight, formats).events());
    }

    /** The data of a {@code record} event: the member to acknowledge as, and the record as a take answers it. */
    record PushedRecord(String memberId, @JsonUnwrapped ShareViews.AcquiredRecord record) {
    }

    private final class Stream {

        private final String group;
        private final String memberId;
        private final String topic;
        private final List<Integer> partitions;
        private final int maxInFlight;
        private final Formats formats;
        /** The records taken and perhaps still held: partition → acquisition id → lock deadline; guarded by this. */
        private final Map<TopicPartition, Map<Long, Long>> taken = new TreeMap<>();
        /** Completed when the connection closed: a take in progress stops waiting for records. */
        private final CompletableFuture<Void> closing = new CompletableFuture<>();
        /** The take in progress, if any; guarded by this. */
        private CompletableFuture<List<ShareViews.AcquiredRecord>> pending;
        /** Set once, when the connection closed: no take starts after it; guarded by this. */
        private boolean closed;

        Stream(String group, String memberId, String topic, List<Integer> partitions, int maxInFlight,
               Formats formats) {
            this.group = group;
            this.memberId = memberId;
            this.topic = topic;
            this.partitions = partitions;
            this.maxInFlight = maxInFlight;
            this.formats = formats;
        }

        Flux<StreamEvent> events() {
            Flux<StreamEvent> records = Mono.defer(this::round).repeat().concatMapIterable(events -> events, 1);
            return StreamEvent.framed(new StreamEvent.Opened("member " + memberId + " of share group " + group
                            + " taking " + topic + ", at most " + maxInFlight + " records in flight"), records,
                            settings.sseHeartbeat(), Schedulers.parallel())
                    .doOnSubscribe(s -> openStreams.incrementAndGet())
                    .doFinally(signal -> {
                        openStreams.decrementAndGet();
                        close();
                    });
        }

        /** One step: a take into the room left, or, when full, an ask for what is still held. */
        private Mono<List<StreamEvent>> round() {
            int room = maxInFlight - count();
            if (room <= 0) {
                return refresh().then(Mono.defer(() -> maxInFlight - count() > 0 ? Mono.just(List.<StreamEvent>of())
                        : Mono.delay(FULL_RECHECK).thenReturn(List.<StreamEvent>of())));
            }
            CompletableFuture<List<ShareViews.AcquiredRecord>> take;
            synchronized (this) {
                if (closed) {
                    return Mono.never();
                }
                // A future, not a subscription: a closing connection does not cancel a take whose records it releases.
                take = acquisitions.acquire(group, memberId, topic, partitions, room, settings.sseFetchWait().toMillis(),
                        formats, closing).doOnNext(this::took).toFuture();
                pending = take;
            }
            return Mono.fromFuture(take, true)
                    .map(records -> records.stream().map(this::event).toList())
                    .onErrorResume(SluiceException.class, this::failed);
        }

        private Mono<List<StreamEvent>> failed(SluiceException e) {
            if (!e.errorCode().retriable()) {
                return Mono.just(List.of(new StreamEvent.Failed(e)));
            }
            log.info("Share group {} member {}: a take failed ({}); taking again in {} ms", group, memberId,
                    e.getMessage(), RETRY_AFTER.toMillis());
            return Mono.delay(RETRY_AFTER).thenReturn(List.of());
        }

        private synchronized void took(List<ShareViews.AcquiredRecord> records) {
            records.forEach(r -> taken.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
                    tp -> new HashMap<>()).put(r.acquisitionId(), r.lockExpiresAt()));
        }

        private synchronized int count() {
            return taken.values().stream().mapToInt(Map::size).sum();
        }

        /** Keeps of the records taken those the member still holds, with their deadlines (a renew moves one). */
        private Mono<Void> refresh() {
            Set<TopicPartition> held;
            synchronized (this) {
                held = Set.copyOf(taken.keySet());
            }
            return Flux.fromIterable(held)
                    .flatMap(tp -> shares.held(new ShareHeldRequest(group, memberId, tp.topic(), tp.partition()))
                            .doOnNext(answer -> still(tp, answer)))
                    .then()
                    .onErrorResume(SluiceException.class, e -> {
                        // Nothing is forgotten: the count stays as it was until an ask succeeds.
                        log.info("Share group {} member {}: cannot learn what it holds ({})", group, memberId,
                                e.getMessage());
                        return Mono.delay(RETRY_AFTER).then();
                    });
        }

        private synchronized void still(TopicPartition tp, ShareHeldResponse answer) {
            Map<Long, Long> mine = taken.get(tp);
            if (mine == null) {
                return;
            }
            Map<Long, Long> deadlines = answer.records().stream().collect(Collectors.toMap(
                    ShareHeldResponse.HeldRecord::acquisitionId, ShareHeldResponse.HeldRecord::lockDeadlineMs));
            mine.keySet().retainAll(deadlines.keySet());
            mine.replaceAll((id, deadline) -> deadlines.get(id));
            if (mine.isEmpty()) {
                taken.remove(tp);
            }
        }

        private StreamEvent event(ShareViews.AcquiredRecord record) {
            return new StreamEvent.Delivered(record.partition() + ":" + record.acquisitionId(),
                    json.writeValueAsString(new PushedRecord(memberId, record)));
        }

        /** Releases what the member still holds of what the stream took, once a take in progress has ended. */
        private void close() {
            CompletableFuture<?> last;
            synchronized (this) {
                closed = true;
                last = pending == null ? CompletableFuture.completedFuture(null) : pending;
            }
            closing.complete(null);
            closings.closing(Mono.fromFuture(last.handle((records, error) -> records), true)
                    .then(Mono.defer(this::release))
                    .timeout(Duration.ofSeconds(30))
                    .doOnError(e -> log.info("Share group {} member {}: releasing its records on close failed"
                            + " ({}); their locks expire instead", group, memberId, e.toString()))
                    .onErrorComplete());
        }

        private Mono<Void> release() {
            Map<TopicPartition, List<Long>> held;
            synchronized (this) {
                held = new TreeMap<>();
                taken.forEach((tp, ids) -> held.put(tp, new ArrayList<>(ids.keySet())));
                taken.clear();
            }
            // Records acknowledged since are refused (ACQUISITION_ENDED, NOT_ACQUIRED): nothing changes for them.
            return Flux.fromIterable(held.entrySet())
                    .flatMap(part -> shares.acknowledge(new ShareAcknowledgeRequest(group, memberId,
                            part.getKey().topic(), part.getKey().partition(), part.getValue().stream()
                            .map(id -> ShareAcknowledgeRequest.Item.of(id, AcknowledgeType.RELEASE)).toList())))
                    .map(answer -> answer.items().stream().filter(item -> item.error() == null)
                            .mapToLong(item -> item.records().stream().filter(r -> r.error() == null).count()).sum())
                    .reduce(0L, Long::sum)
                    .doOnNext(released -> log.debug("Share group {} member {} closed its stream: {} records released",
                            group, memberId, released))
                    .then();
        }
    }
}
