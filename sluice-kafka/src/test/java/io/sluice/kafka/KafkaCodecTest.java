package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests as kafka-clients frames them are read back whole; answers are what kafka-clients reads. */
class KafkaCodecTest {

    @ParameterizedTest
    @ValueSource(shorts = {3, 9, 12, 13})
    void aProduceRequestOfEachEraIsReadWithItsBatchAsTheClientWroteIt(short version) {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
        if (version >= 13) {
            topic.setTopicId(Uuid.randomUuid());
        } else {
            topic.setName("orders");
        }
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(2).setRecords(records));
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1234);
        data.topicData().add(topic);
        ByteBuffer frame = frame(new ProduceRequest.Builder(version, version, data).build(version),
                new RequestHeader(ApiKeys.PRODUCE, version, "producer-1", 42));

        KafkaRequest request = KafkaCodec.parse(frame);

        assertThat(request.apiKey()).isEqualTo(ApiKeys.PRODUCE);
        assertThat(request.version()).isEqualTo(version);
        assertThat(request.responseVersion()).isEqualTo(version);
        assertThat(request.clientId()).isEqualTo("producer-1");
        assertThat(request.header().correlationId()).isEqualTo(42);
        ProduceRequestData read = ((ProduceRequest) request.body()).data();
        assertThat(read.acks()).isEqualTo((short) -1);
        assertThat(read.timeoutMs()).isEqualTo(1234);
        ProduceRequestData.PartitionProduceData partition = read.topicData().iterator().next().partitionData()
                .getFirst();
        assertThat(partition.index()).isEqualTo(2);
        assertThat(((MemoryRecords) partition.records()).buffer()).isEqualTo(records.buffer());
    }

    @ParameterizedTest
    @ValueSource(shorts = {1, 4, 9, 12, 13})
    void anAnswerIsFramedAsKafkaClientsReadsIt(short version) {
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, version, "admin", 77);
        KafkaRequest request = KafkaCodec.parse(frame(new MetadataRequest.Builder(new MetadataRequestData()
                .setTopics(null)).build(version), header));
        MetadataResponseData answer = new MetadataResponseData().setClusterId("sluice").setControllerId(0);
        answer.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(0).setHost("127.0.0.1")
                .setPort(9092));
        answer.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("orders")
                .setTopicId(Uuid.randomUuid()).setPartitions(List.of(
                        new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(0).setLeaderId(0)
                                .setLeaderEpoch(3).setReplicaNodes(List.of(1, 2, 3)).setIsrNodes(List.of(1, 2)))));

        ByteBuffer framed = KafkaCodec.encode(request, answer);

        assertThat(framed.getInt()).isEqualTo(framed.remaining());
        MetadataResponse read = (MetadataResponse) AbstractResponse.parseResponse(framed, header);
        assertThat(read.data().brokers().find(0).host()).isEqualTo("127.0.0.1");
        assertThat(read.topicMetadata()).singleElement().satisfies(topic -> {
            assertThat(topic.topic()).isEqualTo("orders");
            if (version >= 7) {
                assertThat(topic.partitionMetadata().getFirst().leaderEpoch).hasValue(3);
            }
        });
    }

    @Test
    void anApiVersionsRequestOfAnUnknownVersionIsAnsweredInVersionZero() {
        short tooNew = (short) (ApiKeys.API_VERSIONS.latestVersion() + 1);
        ByteBuffer frame = ByteBuffer.allocate(64);
        frame.putShort(ApiKeys.API_VERSIONS.id).putShort(tooNew).putInt(5).putShort((short) 1).put((byte) 'c')
                .put((byte) 0).put(new byte[] {1, 2, 3}).flip();

        KafkaRequest request = KafkaCodec.parse(frame);

        assertThat(request.version()).isEqualTo(tooNew);
        assertThat(request.responseVersion()).isZero();
        assertThat(SupportedApis.of(java.util.Set.of(ApiKeys.PRODUCE)).apiVersions(request).errorCode())
                .isEqualTo(Errors.UNSUPPORTED_VERSION.code());
    }

    @Test
    void aFrameTooShortForAHeaderIsMalformed() {
        assertThatThrownBy(() -> KafkaCodec.parse(ByteBuffer.wrap(new byte[] {0, 18, 0})))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void anUnknownApiKeyIsMalformed() {
        ByteBuffer frame = ByteBuffer.allocate(12).putShort((short) 9999).putShort((short) 0).putInt(1)
                .putShort((short) -1).putShort((short) 0).flip();
        assertThatThrownBy(() -> KafkaCodec.parse(frame)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("9999");
    }

    @Test
    void aVersionKafkaClientsCannotReadIsMalformed() {
        ByteBuffer frame = ByteBuffer.allocate(12).putShort(ApiKeys.PRODUCE.id).putShort((short) 99).putInt(1)
                .putShort((short) -1).putShort((short) 0).flip();
        assertThatThrownBy(() -> KafkaCodec.parse(frame)).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("PRODUCE v99");
    }

    @Test
    void aTruncatedBodyIsMalformed() {
        ByteBuffer whole = frame(new ApiVersionsRequest.Builder(new ApiVersionsRequestData()
                        .setClientSoftwareName("sluice-test").setClientSoftwareVersion("1.0"), (short) 3, (short) 3)
                .build((short) 3), new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "c", 1));
        ByteBuffer cut = whole.slice(0, whole.remaining() - 6);
        assertThatThrownBy(() -> KafkaCodec.parse(cut)).isInstanceOf(MalformedFrameException.class);
    }

    /** A request as a Kafka client writes it, without the size prefix (the listener's frame decoder takes it off). */
    static ByteBuffer frame(AbstractRequest request, RequestHeader header) {
        return request.serializeWithHeader(header);
    }
}
