package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Whatever bytes a frame holds, parsing it either yields a request or fails with {@link MalformedFrameException} —
 * never another exception, which the listener would not expect — and a request cut short is never read as a request.
 */
class KafkaFramingProperties {

    @Property(tries = 2000)
    void anyBytesAreARequestOrMalformed(@ForAll @Size(max = 200) byte[] bytes) {
        parsedOrMalformed(ByteBuffer.wrap(bytes));
    }

    @Property(tries = 2000)
    void anyHeaderOfAKnownApiWithAnyBodyIsARequestOrMalformed(@ForAll("apis") ApiKeys api,
                                                              @ForAll("versions") short version,
                                                              @ForAll @Size(max = 120) byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(10 + body.length).putShort(api.id).putShort(version).putInt(1)
                .putShort((short) -1).put(body).flip();
        parsedOrMalformed(frame);
    }

    @Property(tries = 500)
    void aMetadataRequestCutShortIsNeverARequest(@ForAll("cuts") int cut) {
        ByteBuffer whole = new MetadataRequest.Builder(new MetadataRequestData().setTopics(java.util.List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName("orders"))).setAllowAutoTopicCreation(true))
                .build((short) 12).serializeWithHeader(new RequestHeader(ApiKeys.METADATA, (short) 12, "c", 9));
        int length = Math.min(cut, whole.remaining() - 1);
        KafkaRequest parsed = parsedOrMalformed(whole.slice(0, length));
        assertThat(parsed).as("a request read from %d of %d bytes", length, whole.remaining()).isNull();
    }

    private static KafkaRequest parsedOrMalformed(ByteBuffer frame) {
        try {
            return KafkaCodec.parse(frame);
        } catch (MalformedFrameException expected) {
            return null;
        }
    }

    @Provide
    Arbitrary<ApiKeys> apis() {
        return Arbitraries.of(ApiKeys.clientApis());
    }

    @Provide
    Arbitrary<Short> versions() {
        return Arbitraries.shorts().between((short) -1, (short) 20);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 200);
    }
}
