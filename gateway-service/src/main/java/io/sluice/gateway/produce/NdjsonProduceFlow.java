package io.sluice.gateway.produce;

import io.sluice.gateway.format.Formats;
import io.sluice.gateway.routing.ProducerSessions;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.stereotype.Service;
import org.springframework.util.MimeType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An NDJSON produce stream: one record per line, produced in small groups as lines arrive, answered by one result
 * per line in line order. A line that cannot be a record (malformed, unknown partition, too large) gets its error as
 * its result and the others go on; a line longer than the request limit ends the stream with a REQUEST_TOO_LARGE
 * result after the results of the lines before it. The topic is looked up before the first result, so an unknown
 * topic is a 404 rather than 200 and a failed result per line.
 *
 * <p>The stream is one producer ({@link StreamSession}): its records are written once each, in line order per
 * partition, however often the gateway re-sends a group internally (an unknown outcome, a leader failover) within the
 * request's timeout.
 */
@Service
class NdjsonProduceFlow {

    private static final MimeType LINE_BYTES = new MimeType("text", "plain", StandardCharsets.ISO_8859_1);
    private static final int GROUP_RECORDS = 1000;
    private static final Duration GROUP_WAIT = Duration.ofMillis(5);

    private final ProduceService produce;
    private final RecordParser parser;
    private final RecordSchemas schemas;
    private final ProducerSessions sessions;

    NdjsonProduceFlow(ProduceService produce, RecordParser parser, RecordSchemas schemas, ProducerSessions sessions) {
        this.produce = produce;
        this.parser = parser;
        this.schemas = schemas;
        this.sessions = sessions;
    }

    /**
     * The stream's results. The schemas {@code writing} names are looked up once, with the topic, before the first
     * line is read: an unknown one refuses the stream (404); a line whose JSON its schema does not take gets its
     * INVALID_RECORD as its result, as any bad line does.
     */
    Flux<RecordResult> produce(String topic, Flux<DataBuffer> body, long maxLineBytes, Acks acks, Duration timeout,
                               RecordWriting writing) {
        Formats formats = writing.parsing();
        return produce.topic(topic).then(schemas.conversion(writing))
                .flatMapMany(conversion -> produce(topic, body, maxLineBytes, acks, timeout, formats, conversion));
    }

    private Flux<RecordResult> produce(String topic, Flux<DataBuffer> body, long maxLineBytes, Acks acks,
                                       Duration timeout, Formats formats, RecordSchemas.Conversion conversion) {
        int[] index = {0};
        StreamSession session = new StreamSession(sessions);
        Flux<Line> lines = lines(body, maxLineBytes)
                .filter(line -> !line.isBlank())
                .map(line -> parse(line, index[0]++, formats, conversion))
                .onErrorResume(DataBufferLimitException.class, e -> Flux.just(Line.failed(index[0],
                        ErrorCode.REQUEST_TOO_LARGE.exception("Record " + index[0] + " is on a line longer than "
                                + maxLineBytes + " bytes, the most this gateway accepts; nothing after it was read"))));
        return lines
                .concatMap(line -> line.record() == null ? Mono.just(line)
                        : produce.check(topic, line.record(), line.index())
                                .thenReturn(line)
                                .onErrorResume(SluiceException.class, e -> Mono.just(Line.failed(line.index(), e))))
                // fairBackpressure: groups wait for the previous one to be produced instead of overflowing.
                .bufferTimeout(GROUP_RECORDS, GROUP_WAIT, true)
                .concatMap(group -> produceGroup(topic, group, acks, timeout, session));
    }

    /**
     * The body's lines, each as its bytes held one per char (ISO-8859-1): the delimiters are ASCII, and the bytes reach
     * the JSON parser unchanged, which refuses invalid UTF-8 as for a JSON body (decoding as UTF-8 here would replace
     * bad bytes with U+FFFD and store the result).
     */
    private static Flux<String> lines(Flux<DataBuffer> body, long limit) {
        StringDecoder decoder = StringDecoder.textPlainOnly(StringDecoder.DEFAULT_DELIMITERS, true);
        decoder.setMaxInMemorySize((int) Math.min(limit, Integer.MAX_VALUE));
        return decoder.decode(body, ResolvableType.forClass(String.class), LINE_BYTES, null);
    }

    private Flux<RecordResult> produceGroup(String topic, List<Line> group, Acks acks, Duration timeout,
                                            StreamSession session) {
        List<ProduceRecord> valid = group.stream().filter(line -> line.record() != null).map(Line::record).toList();
        Mono<List<RecordResult>> written = valid.isEmpty() ? Mono.just(List.of())
                : produce.produce(topic, valid, acks, timeout, session)
                        .onErrorResume(SluiceException.class, e -> Mono.just(valid.stream()
                                .map(r -> RecordResult.failed(r.partition(), e)).toList()));
        return written.flatMapIterable(results -> {
            RecordResult[] ordered = new RecordResult[group.size()];
            int next = 0;
            for (int i = 0; i < group.size(); i++) {
                ordered[i] = group.get(i).record() == null ? RecordResult.failed(null, group.get(i).error())
                        : results.get(next++);
            }
            return List.of(ordered);
        });
    }

    private Line parse(String line, int index, Formats formats, RecordSchemas.Conversion conversion) {
        try {
            ProduceRecord record = parser.record(parser.parse(line.getBytes(StandardCharsets.ISO_8859_1)), index,
                    formats);
            return new Line(index, conversion.apply(record, index), null);
        } catch (SluiceException e) {
            // The parser's line and column are within this record's line; say which record it is.
            return Line.failed(index, e.getMessage().startsWith("Malformed JSON")
                    ? new SluiceException(e.errorCode(), "Record " + index + ": " + e.getMessage()) : e);
        }
    }

    /** One line: its record, or why it is none. */
    private record Line(int index, ProduceRecord record, SluiceException error) {
        static Line failed(int index, SluiceException error) {
            return new Line(index, null, error);
        }
    }
}
