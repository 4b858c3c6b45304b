package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.Timestamps;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reading records, from one partition ({@code /v1/topics/{topic}/partitions/{p}/records}) or from every partition of
 * a topic ({@code /v1/topics/{topic}/records}), in these media types chosen by {@code Accept}:
 * <ul>
 *   <li>{@code application/json}: one page of records (a stateless read, long polling with {@code wait_ms}), with
 *       where the next read starts;</li>
 *   <li>{@code application/x-ndjson}: the same page, one record per line, the next position in the
 *       {@value #CURSOR_HEADER} header;</li>
 *   <li>{@code text/event-stream}: an endless SSE stream. Each record event's id is a {@link Cursor}; reconnecting
 *       with {@code Last-Event-ID} or {@code ?cursor=} resumes right after it;</li>
 *   <li>{@value RawBatches#MEDIA_TYPE} (one partition only): the stored record batches as they are, the next
 *       position in headers.</li>
 * </ul>
 * Pages start at the earliest offset unless told otherwise; streams start at the end (a live tail), since a stream
 * that replays a whole topic first is rarely what someone opening one wants. And offsets by time
 * ({@code /v1/topics/{topic}/partitions/{p}/offsets?timestamp=}).
 */
@RestController
class ConsumeController {

    static final String CURSOR_HEADER = "Sluice-Cursor";
    static final String NEXT_OFFSET_HEADER = "Sluice-Next-Offset";
    static final String HIGH_WATERMARK_HEADER = "Sluice-High-Watermark";
    static final String LOG_START_OFFSET_HEADER = "Sluice-Log-Start-Offset";
    private static final String NDJSON = "application/x-ndjson";
    private static final String PARTITION_RECORDS = "/v1/topics/{topic}/partitions/{partition}/records";
    private static final String TOPIC_RECORDS = "/v1/topics/{topic}/records";

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

    @GetMapping(path = PARTITION_RECORDS, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ReadResult> read(@PathVariable String topic, @PathVariable int partition,
                          @RequestParam(name = "offset", required = false) String offset,
                          @RequestParam(name = "timestamp", required = false) String timestamp,
                          @RequestParam(name = "last", required = false) Integer last,
                          @RequestParam(name = "cursor", required = false) String cursor,
                          @RequestParam(name = "max_records", required = false) Integer maxRecords,
                          @RequestParam(name = "max_bytes", required = false) Integer maxBytes,
                          @RequestParam(name = "wait_ms", required = false) Long waitMs,
                          @RequestParam(name = "clamp", required = false) Boolean clamp,
                          @RequestParam(name = "format", required = false) String format,
                          @RequestParam(name = "key_format", required = false) String keyFormat,
                          @RequestParam(name = "value_format", required = false) String valueFormat,
                          @RequestParam(name = "header_format", required = false) String headerFormat) {
        return Mono.defer(() -> {
            ReadRequest request = ReadRequest.of(settings, StartPosition.EARLIEST, offset, timestamp, last, cursor,
                    maxRecords, maxBytes, waitMs, clamp, Formats.of(format, keyFormat, valueFormat, headerFormat));
            TopicPartition tp = partition(topic, partition);
            return consume.starts(topic, List.of(partition), request.start(), request.resume(), false)
                    .flatMap(starts -> consume.read(tp, starts.get(partition), request.maxRecords(),
                            request.maxBytes(), request.waitMs(), request.clamp(), request.formats()));
        });
    }

    @GetMapping(path = PARTITION_RECORDS, produces = NDJSON)
    Mono<ResponseEntity<Flux<ConsumedRecord>>> readLines(
            @PathVariable String topic, @PathVariable int partition,
            @RequestParam(name = "offset", required = false) String offset,
            @RequestParam(name = "timestamp", required = false) String timestamp,
            @RequestParam(name = "last", required = false) Integer last,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestParam(name = "max_records", required = false) Integer maxRecords,
            @RequestParam(name = "max_bytes", required = false) Integer maxBytes,
            @RequestParam(name = "wait_ms", required = false) Long waitMs,
            @RequestParam(name = "clamp", required = false) Boolean clamp,
            @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "key_format", required = false) String keyFormat,
            @RequestParam(name = "value_format", required = false) String valueFormat,
            @RequestParam(name = "header_format", required = false) String headerFormat) {
        return read(topic, partition, offset, timestamp, last, cursor, maxRecords, maxBytes, waitMs, clamp, format,
                keyFormat, valueFormat, headerFormat)
                .map(page -> lines(page.records(), page.cursor()));
    }

    /**
     * The stored record batches as they are ({@value RawBatches#MEDIA_TYPE}), for clients that decode Kafka's format:
     * no rendering, no re-encoding, the fetched bytes handed to the connection as they are. Where to read on comes in
     * headers. Keys and values are bytes there, so no format parameters; batches are whole, so no max_records.
     */
    @GetMapping(path = PARTITION_RECORDS, produces = RawBatches.MEDIA_TYPE)
    Mono<ResponseEntity<ByteBuffer>> readBatches(@PathVariable String topic, @PathVariable int partition,
                                                 @RequestParam(name = "offset", required = false) String offset,
                                                 @RequestParam(name = "timestamp", required = false) String timestamp,
                                                 @RequestParam(name = "last", required = false) Integer last,
                                                 @RequestParam(name = "cursor", required = false) String cursor,
                                                 @RequestParam(name = "max_bytes", required = false) Integer maxBytes,
                                                 @RequestParam(name = "wait_ms", required = false) Long waitMs,
                                                 @RequestParam(name = "clamp", required = false) Boolean clamp) {
        return Mono.defer(() -> {
            ReadRequest request = ReadRequest.of(settings, StartPosition.EARLIEST, offset, timestamp, last, cursor,
                    null, maxBytes, waitMs, clamp, Formats.DEFAULT);
            TopicPartition tp = partition(topic, partition);
            return consume.starts(topic, List.of(partition), request.start(), request.resume(), false)
                    .flatMap(starts -> consume.readBatches(tp, starts.get(partition), request.maxBytes(),
                            request.waitMs(), request.clamp()))
                    .map(read -> ResponseEntity.ok().contentType(MediaType.parseMediaType(RawBatches.MEDIA_TYPE))
                            .header(NEXT_OFFSET_HEADER, Long.toString(read.nextOffset()))
                            .header(HIGH_WATERMARK_HEADER, Long.toString(read.highWatermark()))
                            .header(LOG_START_OFFSET_HEADER, Long.toString(read.logStartOffset()))
                            .header(CURSOR_HEADER, read.cursor())
                            .body(read.batches()));
        });
    }

    @GetMapping(path = PARTITION_RECORDS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> streamPartition(
            @PathVariable String topic, @PathVariable int partition,
            @RequestParam(name = "offset", required = false) String offset,
            @RequestParam(name = "timestamp", required = false) String timestamp,
            @RequestParam(name = "last", required = false) Integer last,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "key_format", required = false) String keyFormat,
            @RequestParam(name = "value_format", required = false) String valueFormat,
            @RequestParam(name = "header_format", required = false) String headerFormat) {
        return Flux.defer(() -> {
            StartPosition start = StartPosition.of(offset, timestamp, last, settings.maxMaxRecords(), StartPosition.LATEST);
            Cursor resume = ReadRequest.resume(cursor, lastEventId, offset, timestamp, last);
            Formats formats = Formats.of(format, keyFormat, valueFormat, headerFormat);
            TopicPartition tp = partition(topic, partition);
            return streams.stream(topic, List.of(tp.partition()), start, resume, formats);
        });
    }

    @GetMapping(path = TOPIC_RECORDS, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<TopicReadResult> readTopic(@PathVariable String topic,
                                    @RequestParam(name = "offset", required = false) String offset,
                                    @RequestParam(name = "timestamp", required = false) String timestamp,
                                    @RequestParam(name = "last", required = false) Integer last,
                                    @RequestParam(name = "cursor", required = false) String cursor,
                                    @RequestParam(name = "max_records", required = false) Integer maxRecords,
                                    @RequestParam(name = "max_bytes", required = false) Integer maxBytes,
                                    @RequestParam(name = "wait_ms", required = false) Long waitMs,
                                    @RequestParam(name = "clamp", required = false) Boolean clamp,
                                    @RequestParam(name = "format", required = false) String format,
                                    @RequestParam(name = "key_format", required = false) String keyFormat,
                                    @RequestParam(name = "value_format", required = false) String valueFormat,
                                    @RequestParam(name = "header_format", required = false) String headerFormat) {
        return Mono.defer(() -> {
            ReadRequest request = ReadRequest.of(settings, StartPosition.EARLIEST, offset, timestamp, last, cursor,
                    maxRecords, maxBytes, waitMs, clamp, Formats.of(format, keyFormat, valueFormat, headerFormat));
            List<Integer> partitions = partitions(topic);
            return consume.starts(topic, partitions, request.start(), request.resume(), false)
                    .flatMap(starts -> consume.readTopic(topic, starts, request.maxRecords(), request.maxBytes(),
                            request.waitMs(), request.clamp(), request.formats()));
        });
    }

    @GetMapping(path = TOPIC_RECORDS, produces = NDJSON)
    Mono<ResponseEntity<Flux<ConsumedRecord>>> readTopicLines(
            @PathVariable String topic,
            @RequestParam(name = "offset", required = false) String offset,
            @RequestParam(name = "timestamp", required = false) String timestamp,
            @RequestParam(name = "last", required = false) Integer last,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestParam(name = "max_records", required = false) Integer maxRecords,
            @RequestParam(name = "max_bytes", required = false) Integer maxBytes,
            @RequestParam(name = "wait_ms", required = false) Long waitMs,
            @RequestParam(name = "clamp", required = false) Boolean clamp,
            @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "key_format", required = false) String keyFormat,
            @RequestParam(name = "value_format", required = false) String valueFormat,
            @RequestParam(name = "header_format", required = false) String headerFormat) {
        return readTopic(topic, offset, timestamp, last, cursor, maxRecords, maxBytes, waitMs, clamp, format, keyFormat,
                valueFormat, headerFormat)
                .map(page -> lines(page.records(), page.cursor()));
    }

    @GetMapping(path = TOPIC_RECORDS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> streamTopic(
            @PathVariable String topic,
            @RequestParam(name = "offset", required = false) String offset,
            @RequestParam(name = "timestamp", required = false) String timestamp,
            @RequestParam(name = "last", required = false) Integer last,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(name = "format", required = false) String format,
            @RequestParam(name = "key_format", required = false) String keyFormat,
            @RequestParam(name = "value_format", required = false) String valueFormat,
            @RequestParam(name = "header_format", required = false) String headerFormat) {
        return Flux.defer(() -> {
            StartPosition start = StartPosition.of(offset, timestamp, last, settings.maxMaxRecords(), StartPosition.LATEST);
            Cursor resume = ReadRequest.resume(cursor, lastEventId, offset, timestamp, last);
            Formats formats = Formats.of(format, keyFormat, valueFormat, headerFormat);
            return streams.stream(topic, partitions(topic), start, resume, formats);
        });
    }

    @GetMapping("/v1/topics/{topic}/partitions/{partition}/offsets")
    Mono<OffsetForTime> offsetForTime(@PathVariable String topic, @PathVariable int partition,
                                      @RequestParam(name = "timestamp") String timestamp) {
        return Mono.defer(() -> {
            long time = Timestamps.parse(timestamp, "timestamp");
            return consume.offsetForTime(partition(topic, partition), time);
        });
    }

    private static ResponseEntity<Flux<ConsumedRecord>> lines(List<ConsumedRecord> records, String cursor) {
        return ResponseEntity.ok().header(CURSOR_HEADER, cursor).contentType(MediaType.parseMediaType(NDJSON))
                .body(Flux.fromIterable(records));
    }

    private List<Integer> partitions(String topic) {
        return cluster.topic(topic).partitions().stream().map(PartitionState::partition).toList();
    }

    private TopicPartition partition(String topic, int partition) {
        TopicMetadata metadata = cluster.topic(topic);
        if (partition < 0 || partition >= metadata.partitions().size()) {
            throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topic + "' has partitions 0.."
                    + (metadata.partitions().size() - 1) + "; there is no partition " + partition);
        }
        return new TopicPartition(topic, partition);
    }
}
