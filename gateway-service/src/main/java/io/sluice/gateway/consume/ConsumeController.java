package io.sluice.gateway.consume;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.format.MaskingRules;
import io.sluice.gateway.format.Timestamps;
import io.sluice.gateway.web.EventStreams;
import io.sluice.gateway.web.OpenStreams;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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
 * Each kind takes its parameters as one record ({@link ReadRequest}, {@link BatchRequest}, {@link StreamRequest}),
 * bound and checked before anything is looked up. And offsets by time
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
    private final MaskingRules masking;
    private final OpenStreams openStreams;

    ConsumeController(ConsumeService consume, RecordStreams streams, ClusterView cluster, MaskingRules masking,
                      OpenStreams openStreams) {
        this.consume = consume;
        this.openStreams = openStreams;
        this.streams = streams;
        this.cluster = cluster;
        this.masking = masking;
    }

    @GetMapping(path = PARTITION_RECORDS, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ReadResult> read(@PathVariable String topic, @PathVariable int partition, ReadRequest request) {
        return Mono.defer(() -> {
            TopicPartition tp = partition(topic, partition);
            return consume.starts(topic, List.of(partition), request.start().position(), request.start().resume(), false,
                            request.readCommitted())
                    .flatMap(starts -> consume.read(tp, starts.get(partition), request.limits().maxRecords(),
                            request.limits().maxBytes(), request.limits().waitMs(), request.clamp(),
                            request.readCommitted(), request.formats()));
        });
    }

    @GetMapping(path = PARTITION_RECORDS, produces = NDJSON)
    Mono<ResponseEntity<Flux<ConsumedRecord>>> readLines(@PathVariable String topic, @PathVariable int partition,
                                                         ReadRequest request) {
        return read(topic, partition, request).map(page -> lines(page.records(), page.cursor()));
    }

    /**
     * The stored record batches as they are ({@value RawBatches#MEDIA_TYPE}), for clients that decode Kafka's format:
     * no rendering, no re-encoding, the fetched bytes handed to the connection as they are. Where to read on comes in
     * headers. A reader whose records are masked may not read a topic that masking rules name this way
     * (TOPIC_AUTHORIZATION_FAILED): its batches hold the records unmasked.
     */
    @GetMapping(path = PARTITION_RECORDS, produces = RawBatches.MEDIA_TYPE)
    Mono<ResponseEntity<ByteBuffer>> readBatches(@PathVariable String topic, @PathVariable int partition,
                                                 BatchRequest request) {
        return Mono.defer(() -> {
            TopicPartition tp = partition(topic, partition);
            if (request.masked() && masking.masks(topic)) {
                throw ErrorCode.TOPIC_AUTHORIZATION_FAILED.exception("The records of topic " + topic + " are masked "
                        + "for this reader; its stored batches cannot be read");
            }
            return consume.starts(topic, List.of(partition), request.start().position(), request.start().resume(), false,
                            false)
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
    Flux<ServerSentEvent<Object>> streamPartition(@PathVariable String topic, @PathVariable int partition,
                                                  StreamRequest request) {
        return openStreams.sse(Flux.defer(() -> {
            TopicPartition tp = partition(topic, partition);
            return streams.stream(topic, List.of(tp.partition()), request.start(), request.formats(),
                    request.readCommitted());
        }));
    }

    @GetMapping(path = TOPIC_RECORDS, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<TopicReadResult> readTopic(@PathVariable String topic, ReadRequest request) {
        return Mono.defer(() -> {
            List<Integer> partitions = partitions(topic);
            return consume.starts(topic, partitions, request.start().position(), request.start().resume(), false,
                            request.readCommitted())
                    .flatMap(starts -> consume.readTopic(topic, starts, request.limits().maxRecords(),
                            request.limits().maxBytes(), request.limits().waitMs(), request.clamp(),
                            request.readCommitted(), request.formats()));
        });
    }

    @GetMapping(path = TOPIC_RECORDS, produces = NDJSON)
    Mono<ResponseEntity<Flux<ConsumedRecord>>> readTopicLines(@PathVariable String topic, ReadRequest request) {
        return readTopic(topic, request).map(page -> lines(page.records(), page.cursor()));
    }

    @GetMapping(path = TOPIC_RECORDS, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> streamTopic(@PathVariable String topic, StreamRequest request) {
        return openStreams.sse(Flux.defer(() -> streams.stream(topic, partitions(topic), request.start(),
                request.formats(), request.readCommitted())));
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
        HttpHeaders headers = new HttpHeaders();
        headers.set(CURSOR_HEADER, cursor);
        return EventStreams.ndjson(Flux.fromIterable(records), headers);
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
