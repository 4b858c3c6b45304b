package io.sluice.gateway.consume;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.web.Problems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * SSE streams of records: the partitions' record streams merged into one, each record an event whose id is the
 * {@link Cursor} after it, an opening comment with the reconnect hint, heartbeat comments while idle, and an
 * {@code error} event (a problem) when a stream cannot go on. Every partition's start is resolved before the stream
 * opens, so the first cursor names every partition.
 */
@Service
class RecordStreams {

    private final ConsumeService consume;
    private final PartitionTails tails;
    private final GatewayProperties.Consume settings;
    private final AtomicInteger openStreams;

    RecordStreams(ConsumeService consume, PartitionTails tails, GatewayProperties properties, MeterRegistry meters) {
        this.consume = consume;
        this.tails = tails;
        this.settings = properties.consume();
        this.openStreams = meters.gauge("sluice.gateway.sse.streams", new AtomicInteger());
    }

    /**
     * The records of {@code partitions} of {@code topic}: from {@code resume}'s positions when resuming (a partition
     * the cursor does not know, added since, from its beginning: nothing is skipped), else from {@code start}.
     */
    Flux<ServerSentEvent<Object>> stream(String topic, List<Integer> partitions, StartPosition start, Cursor resume,
                                         Formats formats) {
        // An offset beyond a log's end is a 416 before the stream opens, rather than an open stream that never delivers.
        return consume.starts(topic, partitions, start, resume, true)
                .flatMapMany(starts -> events(topic, starts, formats));
    }

    private Flux<ServerSentEvent<Object>> events(String topic, Map<Integer, Long> starts, Formats formats) {
        Map<Integer, Long> position = new TreeMap<>(starts);
        List<Flux<StreamedRecord>> sources = new ArrayList<>();
        starts.forEach((partition, offset) ->
                sources.add(tails.stream(new TopicPartition(topic, partition), offset, formats)));
        Flux<ServerSentEvent<Object>> records = Flux.merge(Flux.fromIterable(sources), sources.size(), 1)
                .map(record -> {
                    String id;
                    synchronized (position) {
                        position.put(record.partition(), record.offset() + 1);
                        id = Cursor.of(position).encode();
                    }
                    // the record's JSON text, written once for every subscriber (a String is sent as it is)
                    return ServerSentEvent.<Object>builder(record.json()).id(id).event("record").build();
                })
                .onErrorResume(SluiceException.class, e -> Flux.just(ServerSentEvent.<Object>builder(
                        Problems.of(e)).event("error").build()));
        return framed(records, settings.sseHeartbeat(), Schedulers.parallel())
                .doOnSubscribe(s -> openStreams.incrementAndGet())
                .doFinally(signal -> openStreams.decrementAndGet());
    }

    /**
     * {@code records} after an opening comment with the reconnect hint, with a keep-alive comment every
     * {@code heartbeat} (timed on {@code timer}) until they end. A client that stops reading misses keep-alives rather
     * than losing its stream.
     */
    static Flux<ServerSentEvent<Object>> framed(Flux<ServerSentEvent<Object>> records, Duration heartbeat,
                                                Scheduler timer) {
        Flux<ServerSentEvent<Object>> opening = Flux.just(ServerSentEvent.builder().comment("stream open")
                .retry(Duration.ofSeconds(2)).build());
        // Without the drop, ticks nobody asked for would fail the interval, and with it the stream.
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(heartbeat, timer)
                .onBackpressureDrop()
                .map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
        return records.publish(shared -> Flux.merge(opening, shared, heartbeats.takeUntilOther(shared.then())));
    }
}
