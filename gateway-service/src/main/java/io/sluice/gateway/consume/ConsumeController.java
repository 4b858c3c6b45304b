package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
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
class ConsumeController {

    private final ConsumeService consume;
    private final RecordStreams streams;
    private final ClusterView cluster;
    private final GatewayProperties.Consume settings;

    ConsumeController(ConsumeService consume, RecordStreams streams, ClusterView cluster, GatewayProperties properties) {
        this.consume = consume;
        this.streams = streams;
        this.cluster = cluster;
        this.settings = properties.consume();
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
        return streams.stream(topic, partitions, start, resume, keys, values);
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
}
