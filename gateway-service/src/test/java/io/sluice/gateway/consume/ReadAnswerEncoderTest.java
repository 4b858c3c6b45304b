package io.sluice.gateway.consume;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.testing.FakeClusterWebTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.EncoderHttpMessageWriter;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON read answers are written by {@link ReadAnswerEncoder} (the gateway's codecs pick it before Spring's JSON
 * encoder), and what it writes is what the application's mapper writes, byte for byte, into buffers of either kind.
 */
@FakeClusterWebTest
class ReadAnswerEncoderTest {

    @Autowired
    JsonMapper json;

    @Autowired
    ServerCodecConfigurer codecs;

    @Test
    void theGatewayWritesJsonReadAnswersWithIt() {
        for (Class<?> answer : List.of(ReadResult.class, TopicReadResult.class)) {
            HttpMessageWriter<?> writer = codecs.getWriters().stream()
                    .filter(w -> w.canWrite(ResolvableType.forClass(answer), MediaType.APPLICATION_JSON))
                    .findFirst().orElseThrow();
            assertThat(writer).as(answer.getSimpleName()).isInstanceOf(EncoderHttpMessageWriter.class);
            assertThat(((EncoderHttpMessageWriter<?>) writer).getEncoder()).isInstanceOf(ReadAnswerEncoder.class);
        }
    }

    @Test
    void aReaderAskingForAnotherCharsetGetsSpringsEncoder() {
        ReadAnswerEncoder encoder = new ReadAnswerEncoder(json);
        ResolvableType page = ResolvableType.forClass(ReadResult.class);

        assertThat(encoder.canEncode(page, MediaType.parseMediaType("application/json;charset=UTF-8"))).isTrue();
        assertThat(encoder.canEncode(page, MediaType.parseMediaType("application/json;charset=UTF-16"))).isFalse();
        assertThat(encoder.canEncode(page, MediaType.APPLICATION_NDJSON)).isFalse();
        assertThat(encoder.canEncode(ResolvableType.forClass(ConsumedRecord.class), MediaType.APPLICATION_JSON))
                .isFalse();
    }

    @Test
    void itWritesWhatTheMapperWritesForEveryFormatAndSize() {
        for (DataBufferFactory buffers : List.of(new NettyDataBufferFactory(PooledByteBufAllocator.DEFAULT),
                DefaultDataBufferFactory.sharedInstance)) {
            for (int count : new int[] {0, 1, 7, 1000}) {
                ReadResult page = new ReadResult(records(count), count, count + 5, 0, "cursor-" + count);
                assertThat(encoded(page, buffers)).isEqualTo(json.writeValueAsString(page));
                TopicReadResult topicPage = new TopicReadResult(records(count), "c",
                        List.of(new TopicReadResult.PartitionPosition(0, count, count, 0)));
                assertThat(encoded(topicPage, buffers)).isEqualTo(json.writeValueAsString(topicPage));
            }
        }
    }

    /** Records of every rendering: plain and escaped strings, non-ASCII text, base64, JSON, nulls and headers. */
    private List<ConsumedRecord> records(int count) {
        List<String> values = List.of("plain ascii text that is longer than a word", "tab\tquote\"back\\slash\u0001",
                "é ✓ 😀 \u2028", "", "{\"a\": [1, 2, {\"b\": null}]}");
        List<ConsumedRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = values.get(i % values.size()).repeat(1 + i % 40);
            RecordFormat format = RecordFormat.values()[i % RecordFormat.values().length];
            byte[] key = i % 3 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
            List<ConsumedRecord.HeaderView> headers = i % 4 == 0 ? List.of()
                    : List.of(new ConsumedRecord.HeaderView("h-" + "x".repeat(i % 300),
                            RecordFormat.STRING.render(text.getBytes(StandardCharsets.UTF_8), json)));
            records.add(new ConsumedRecord("topic-" + "t".repeat(i % 200), i % 3, i, 1_700_000_000_000L + i,
                    RecordFormat.STRING.render(key, json),
                    format.render(i % 11 == 0 ? new byte[] {(byte) 0xc3, 0x28} : text.getBytes(StandardCharsets.UTF_8),
                            json),
                    headers));
        }
        return records;
    }

    private String encoded(Object answer, DataBufferFactory buffers) {
        DataBuffer buffer = new ReadAnswerEncoder(json).encodeValue(answer, buffers,
                ResolvableType.forClass(answer.getClass()), MediaType.APPLICATION_JSON, null);
        try {
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
