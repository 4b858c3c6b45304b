package io.sluice.gateway.consume;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.stream.StreamEvent;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Endless streams of records: the partitions' record streams merged into one, each record delivered with the
 * {@link Cursor} after it, an opening, keep-alives while idle, and a failure when a stream cannot go on. Every
 * partition's start is resolved before the stream opens, so the first cursor names every partition.
 */
@Service
class RecordStreams {

    private static final StreamEvent.Opened OPENED = new StreamEvent.Opened("stream open");

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
     * The records of {@code partitions} of {@code topic}: from the positions of the cursor {@code start} resumes when
     * it does (a partition the cursor does not know, added since, from its beginning: nothing is skipped), else from
     * its position.
     */
    Flux<StreamEvent> stream(String topic, List<Integer> partitions, ReadStart start, Formats formats,
                             boolean readCommitted) {
        // An offset beyond a log's end is a 416 before the stream opens, rather than an open stream that never delivers.
        return consume.starts(topic, partitions, start.position(), start.resume(), true, readCommitted)
                .flatMapMany(starts -> events(topic, starts, formats, readCommitted));
    }

    private Flux<StreamEvent> events(String topic, Map<Integer, Long> starts, Formats formats, boolean readCommitted) {
        Map<Integer, Long> position = new TreeMap<>(starts);
        List<Flux<StreamedRecord>> sources = new ArrayList<>();
        starts.forEach((partition, offset) ->
                sources.add(tails.stream(new TopicPartition(topic, partition), offset, formats, readCommitted)));
        Flux<StreamEvent> records = Flux.merge(Flux.fromIterable(sources), sources.size(), 1)
                .<StreamEvent>map(record -> {
                    String id;
                    synchronized (position) {
                        position.put(record.partition(), record.offset() + 1);
                        id = Cursor.of(position).encode();
                    }
                    return new StreamEvent.Delivered(id, record.json());
                })
                .onErrorResume(SluiceException.class, e -> Flux.just(new StreamEvent.Failed(e)));
        return StreamEvent.framed(OPENED, records, settings.sseHeartbeat(), Schedulers.parallel())
                .doOnSubscribe(s -> openStreams.incrementAndGet())
                .doFinally(signal -> openStreams.decrementAndGet());
    }
}
