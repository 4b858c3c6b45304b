package io.sluice.gateway.consume;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.Encoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.MimeType;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the answer of a JSON read ({@link ReadResult}, {@link TopicReadResult}) with the application's mapper
 * straight into one buffer of the connection's allocator, sized up front for the records it holds. Spring's JSON
 * encoder writes into a segmented buffer of its own, joins the segments into one array and copies that into the
 * connection's buffer: for a page of a megabyte, two more copies and a megabyte allocated and zeroed on every read.
 * The JSON is the same; the mapper writes it either way.
 */
final class ReadAnswerEncoder implements Encoder<Object> {

    /** Per record, what a page holds besides keys and values: names, offsets, timestamps, formats, punctuation. */
    private static final int RECORD_OVERHEAD = 160;

    private final JsonMapper json;

    ReadAnswerEncoder(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean canEncode(ResolvableType type, MimeType mimeType) {
        Class<?> answer = type.toClass();
        // It writes UTF-8 only; a reader asking for another charset gets Spring's encoder.
        return (answer == ReadResult.class || answer == TopicReadResult.class)
                && (mimeType == null || MediaType.APPLICATION_JSON.isCompatibleWith(mimeType)
                && (mimeType.getCharset() == null || StandardCharsets.UTF_8.equals(mimeType.getCharset())));
    }

    @Override
    public List<MimeType> getEncodableMimeTypes() {
        return List.of(MediaType.APPLICATION_JSON);
    }

    @Override
    public Flux<DataBuffer> encode(Publisher<?> answers, DataBufferFactory buffers, ResolvableType type,
                                   MimeType mimeType, Map<String, Object> hints) {
        return Flux.from(answers).map(answer -> encodeValue(answer, buffers, type, mimeType, hints));
    }

    @Override
    public DataBuffer encodeValue(Object answer, DataBufferFactory buffers, ResolvableType type,
                                  MimeType mimeType, Map<String, Object> hints) {
        DataBuffer buffer = buffers.allocateBuffer(sizeHint(answer));
        boolean written = false;
        try {
            json.writeValue(buffer.asOutputStream(), answer);
            written = true;
            return buffer;
        } finally {
            if (!written) {
                DataBufferUtils.release(buffer);
            }
        }
    }

    /** About the length of {@code answer}'s JSON, so that the buffer rarely grows (which copies it). */
    static int sizeHint(Object answer) {
        List<ConsumedRecord> records = switch (answer) {
            case ReadResult read -> read.records();
            case TopicReadResult read -> read.records();
            default -> List.of();
        };
        long size = 256;
        for (ConsumedRecord record : records) {
            size += RECORD_OVERHEAD + record.topic().length() + record.key().jsonLengthHint()
                    + record.value().jsonLengthHint();
            for (ConsumedRecord.HeaderView header : record.headers()) {
                size += 48 + header.key().length() + header.value().jsonLengthHint();
            }
        }
        return (int) Math.min(size, Integer.MAX_VALUE - 8);
    }

    /** Puts the encoder before Spring's JSON encoder for the two answers it writes. */
    @Configuration(proxyBeanMethods = false)
    static class Registration implements WebFluxConfigurer {

        private final JsonMapper json;

        Registration(JsonMapper json) {
            this.json = json;
        }

        @Override
        public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
            configurer.customCodecs().register(new ReadAnswerEncoder(json));
        }
    }
}
