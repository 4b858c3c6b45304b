package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.produce.RecordFormat;
import io.sluice.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.web.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reading records: {@code GET /v1/topics/{topic}/partitions/{p}/records} as JSON (a stateless read, long polling
 * with {@code wait_ms}) or, with {@code Accept: text/event-stream}, as an endless SSE stream; and
 * {@code GET /v1/topics/{topic}/records} as an SSE stream of every partition. Each record event's id is a
 * {@link Cursor}; reconnecting with {@code Last-Event-ID} or {@code ?cursor=} resumes right after it. Idle streams
 * get heartbeat comments; a disconnect stops the fetching behind the stream.
 */
@RestController
public class ConsumeController {

    private final ConsumeService consume;
    private final ClusterView cluster;
    private final GatewayProperties.Consume settings;
    private final AtomicInteger openStreams;

    public ConsumeController(ConsumeService consume, ClusterView cluster, GatewayProperties properties,
                             MeterRegistry meters) {
        this.consume = consume;
        this.cluster = cluster;
        this.settings = properties.consume();
        this.openStreams = meters.gauge("sluice.gateway.sse.streams", new AtomicInteger());
    }

    @GetMapping(path = "/v1/topics/{topic}/partitions/{partition}/records", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ReadResult> read(@PathVariable String topic, @PathVariable int partition,
                          @RequestParam(required = false) String offset,
                          @RequestParam(required = false) Long timestamp,
                          @RequestParam(name = "max_records", required = false) Integer maxRecords,
                          @RequestParam(name = "max_bytes", required = false) Integer maxBytes,
                          @RequestParam(name = "wait_ms", defaultValue = "0") long waitMs,
                          @RequestParam(defaultValue = "false") boolean clamp,
                          @RequestParam(required = false) String format,
                          @RequestParam(name = "key_format", required = false) String keyFormat,
                          @RequestParam(name = "value_format", required = false) String valueFormat) {
        return Mono.defer(() -> {
            TopicPartition tp = partition(topic, partition);
            StartPosition start = StartPosition.of(offset, timestamp, StartPosition.EARLIEST);
            int records = bounded("max_records", maxRecords, settings.defaultMaxRecords(), settings.maxMaxRecords());
            int bytes = bounded("max_bytes", maxBytes, (int) settings.defaultMaxBytes().toBytes(), 64 * 1024 * 1024);
            if (waitMs < 0) {
                throw ErrorCode.INVALID_REQUEST.exception("wait_ms must be >= 0, was " + waitMs);
            }
            long wait = Math.min(waitMs, settings.maxWait().toMillis());
            // format sets both; key_format / value_format, when given, win for their half.
            RecordFormat keys = RecordFormat.parse(keyFormat != null ? keyFormat : format,
                    keyFormat != null ? "key_format" : "format");
            RecordFormat values = RecordFormat.parse(valueFormat != null ? valueFormat : format,
                    valueFormat != null ? "value_format" : "format");
            return consume.resolve(tp, start)
                    .flatMap(from -> consume.read(tp, from, records, bytes, wait, clamp, keys, values));
        });
    }

    @GetMapping(path = "/v1/topics/{topic}/partitions/{partition}/records", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> streamPartition(@PathVariable String topic, @PathVariable int partition,
                                                  @RequestParam(required = false) String offset,
                                                  @RequestParam(required = false) Long timestamp,
                                                  @RequestParam(required = false) String cursor,
                                                  @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                                  @RequestParam(name = "key_format", required = false) String keyFormat,
                                                  @RequestParam(name = "value_format", required = false) String valueFormat) {
        return Flux.defer(() -> {
            TopicPartition tp = partition(topic, partition);
            return stream(topic, List.of(tp.partition()), StartPosition.of(offset, timestamp, StartPosition.EARLIEST),
                    resumeFrom(lastEventId, cursor), keyFormat, valueFormat);
        });
    }

    @GetMapping(path = "/v1/topics/{topic}/records", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> streamTopic(@PathVariable String topic,
                                              @RequestParam(required = false) String offset,
                                              @RequestParam(required = false) Long timestamp,
                                              @RequestParam(required = false) String cursor,
                                              @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                              @RequestParam(name = "key_format", required = false) String keyFormat,
                                              @RequestParam(name = "value_format", required = false) String valueFormat) {
        return Flux.defer(() -> {
            TopicMetadata metadata = cluster.topic(topic);
            List<Integer> all = metadata.partitions().stream().map(p -> p.partition()).toList();
            return stream(topic, all, StartPosition.of(offset, timestamp, StartPosition.EARLIEST),
                    resumeFrom(lastEventId, cursor), keyFormat, valueFormat);
        });
    }

    private Flux<ServerSentEvent<Object>> stream(String topic, List<Integer> partitions, StartPosition start,
                                                 Cursor resume, String keyFormat, String valueFormat) {
        RecordFormat keys = RecordFormat.parse(keyFormat, "key_format");
        RecordFormat values = RecordFormat.parse(valueFormat, "value_format");
        // Every partition's start is known before the stream opens: so the first event's cursor already names every
        // partition (a resume must not read a partition from its beginning only because its start was still being
        // looked up), and an offset beyond a log's end is a 416 rather than an open stream that never delivers.
        return Flux.fromIterable(partitions)
                .flatMapSequential(partition -> {
                    Long resumed = resume == null ? null : resume.nextOffsets().get(partition);
                    // A partition the cursor does not know (added since) is read from its beginning: nothing is skipped.
                    StartPosition from = resumed != null ? new StartPosition(StartPosition.Kind.OFFSET, resumed)
                            : resume != null ? StartPosition.EARLIEST : start;
                    return consume.streamStart(new TopicPartition(topic, partition), from)
                            .map(offset -> Map.entry(partition, offset));
                })
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, TreeMap::new)
                .flatMapMany(starts -> stream(topic, starts, keys, values));
    }

    private Flux<ServerSentEvent<Object>> stream(String topic, Map<Integer, Long> starts, RecordFormat keys,
                                                 RecordFormat values) {
        Map<Integer, Long> position = new TreeMap<>(starts);
        List<Flux<ConsumedRecord>> sources = new ArrayList<>();
        starts.forEach((partition, offset) ->
                sources.add(consume.stream(new TopicPartition(topic, partition), offset, keys, values)));
        Flux<ServerSentEvent<Object>> records = Flux.merge(Flux.fromIterable(sources), sources.size(), 1)
                .map(record -> {
                    String id;
                    synchronized (position) {
                        position.put(record.partition(), record.offset() + 1);
                        id = Cursor.of(position).encode();
                    }
                    return ServerSentEvent.<Object>builder(record).id(id).event("record").build();
                })
                .onErrorResume(SluiceException.class, e -> Flux.just(ServerSentEvent.<Object>builder(
                        Problems.of(e.errorCode(), e.getMessage())).event("error").build()));
        Flux<ServerSentEvent<Object>> opening = Flux.just(ServerSentEvent.builder().comment("stream open")
                .retry(Duration.ofSeconds(2)).build());
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(settings.sseHeartbeat())
                .map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
        return records.publish(shared -> Flux.merge(opening, shared, heartbeats.takeUntilOther(shared.then())))
                .doOnSubscribe(s -> openStreams.incrementAndGet())
                .doFinally(signal -> openStreams.decrementAndGet());
    }

    private TopicPartition partition(String topic, int partition) {
        TopicMetadata metadata = cluster.topic(topic);
        if (partition < 0 || partition >= metadata.partitions().size()) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topic + "' has partitions 0.."
                    + (metadata.partitions().size() - 1) + "; there is no partition " + partition);
        }
        return new TopicPartition(topic, partition);
    }

    private static Cursor resumeFrom(String lastEventId, String cursor) {
        String text = cursor != null ? cursor : lastEventId;
        return text == null || text.isBlank() ? null : Cursor.decode(text);
    }

    private static int bounded(String name, Integer value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > max) {
            throw ErrorCode.INVALID_REQUEST.exception(name + " must be between 1 and " + max + ", was " + value);
        }
        return value;
    }

    /** Out-of-range answers carry the valid range as problem members. */
    @RestControllerAdvice
    @Order(Ordered.HIGHEST_PRECEDENCE)
    static class OffsetOutOfRangeHandler {
        @ExceptionHandler(ConsumeService.OffsetOutOfRangeException.class)
        ResponseEntity<ProblemDetail> outOfRange(ConsumeService.OffsetOutOfRangeException e) {
            ResponseEntity<ProblemDetail> response = Problems.response(e.errorCode(), e.getMessage());
            response.getBody().setProperty("log_start_offset", e.logStartOffset());
            response.getBody().setProperty("log_end_offset", e.logEndOffset());
            return response;
        }
    }
}
