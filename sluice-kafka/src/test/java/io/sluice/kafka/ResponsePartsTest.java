package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An answer encoded as parts ({@link KafkaCodec#encodeParts}) is, laid end to end, byte for byte what kafka-clients'
 * own serialization of it is ({@link KafkaCodec#encode}, one buffer), and the record batches of a Fetch answer are
 * shared, not copied.
 */
class ResponsePartsTest {

    static Stream<Short> fetchVersions() {
        return IntStream.rangeClosed(ApiKeys.FETCH.oldestVersion(), ApiKeys.FETCH.latestVersion())
                .mapToObj(version -> (short) version);
    }

    @ParameterizedTest
    @MethodSource("fetchVersions")
    void aFetchAnswerInPartsIsTheClientsSerializationAndSharesItsBatches(short version) {
        MemoryRecords large = records(0, 40, 100);
        MemoryRecords small = records(7, 1, 3);
        FetchResponseData answer = fetchAnswer(version, List.of(large, small, MemoryRecords.EMPTY));
        KafkaRequest request = fetchRequest(version, 31);

        ByteBuffer[] parts = KafkaCodec.encodeParts(request, answer);

        assertThat(concatenated(parts)).isEqualTo(KafkaCodec.encode(request, answer));
        assertThat(Arrays.stream(parts).filter(part -> shares(part, large.buffer()))).hasSize(1);
        assertThat(Arrays.stream(parts).filter(part -> shares(part, small.buffer()))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("fetchVersions")
    void aFetchAnswerInPartsReadsBackAsTheRecordsItCarries(short version) {
        MemoryRecords first = records(100, 25, 200);
        MemoryRecords second = records(5000, 30, 64);
        KafkaRequest request = fetchRequest(version, 8);
        ByteBuffer framed = concatenated(KafkaCodec.encodeParts(request,
                fetchAnswer(version, List.of(first, second))));

        assertThat(framed.getInt()).isEqualTo(framed.remaining());
        FetchResponse read = (FetchResponse) AbstractResponse.parseResponse(framed, request.header());
        List<FetchResponseData.PartitionData> partitions = read.data().responses().getFirst().partitions();
        assertThat(offsets((MemoryRecords) partitions.get(0).records())).containsExactlyElementsOf(range(100, 25));
        assertThat(offsets((MemoryRecords) partitions.get(1).records())).containsExactlyElementsOf(range(5000, 30));
    }

    @Test
    void anAnswerWithoutRecordsIsTheClientsSerialization() {
        MetadataResponseData answer = new MetadataResponseData().setClusterId("x".repeat(3000)).setControllerId(1);
        for (int i = 0; i < 400; i++) {
            answer.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(i)
                    .setHost("broker-" + i + ".example").setPort(9092 + i).setRack(i % 2 == 0 ? null : "r" + i));
        }
        KafkaRequest request = new KafkaRequest(new RequestHeader(ApiKeys.METADATA, (short) 12, "c", 3), null,
                (short) 12);

        assertThat(concatenated(KafkaCodec.encodeParts(request, answer)))
                .isEqualTo(KafkaCodec.encode(request, answer));
    }

    @Property(tries = 200)
    void anyFetchAnswerInPartsIsTheClientsSerialization(@ForAll("versions") short version,
                                                        @ForAll @Size(max = 8) List<@IntRange(max = 60) Integer> counts,
                                                        @ForAll @IntRange(min = 1, max = 300) int valueSize) {
        List<MemoryRecords> sections = new ArrayList<>();
        long offset = 0;
        for (int count : counts) {
            sections.add(count == 0 ? MemoryRecords.EMPTY : records(offset, count, valueSize));
            offset += count;
        }
        KafkaRequest request = fetchRequest(version, 99);
        ApiMessage answer = fetchAnswer(version, sections);

        assertThat(concatenated(KafkaCodec.encodeParts(request, answer)))
                .isEqualTo(KafkaCodec.encode(request, answer));
    }

    @Provide
    Arbitrary<Short> versions() {
        return Arbitraries.shorts().between(ApiKeys.FETCH.oldestVersion(), ApiKeys.FETCH.latestVersion());
    }

    private static KafkaRequest fetchRequest(short version, int correlationId) {
        // Only the header and the version are read when an answer is framed.
        return new KafkaRequest(new RequestHeader(ApiKeys.FETCH, version, "consumer-1", correlationId), null, version);
    }

    /** One topic, a partition per record set in order, as the gateway answers. */
    private static FetchResponseData fetchAnswer(short version, List<MemoryRecords> sections) {
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse();
        if (version >= 13) {
            topic.setTopicId(Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ"));
        } else {
            topic.setTopic("orders");
        }
        for (int i = 0; i < sections.size(); i++) {
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(i).setHighWatermark(1000 + i)
                    .setLastStableOffset(1000 + i).setLogStartOffset(i).setPreferredReadReplica(-1)
                    .setRecords(sections.get(i)));
        }
        return new FetchResponseData().setSessionId(0).setResponses(new ArrayList<>(List.of(topic)));
    }

    private static MemoryRecords records(long baseOffset, int count, int valueSize) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueSize];
            Arrays.fill(value, (byte) ('a' + i % 26));
            records[i] = new SimpleRecord(("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return MemoryRecords.withRecords(baseOffset, Compression.NONE, records);
    }

    private static List<Long> offsets(MemoryRecords records) {
        List<Long> offsets = new ArrayList<>();
        for (Record record : records.records()) {
            offsets.add(record.offset());
        }
        return offsets;
    }

    private static List<Long> range(long from, int count) {
        return IntStream.range(0, count).mapToObj(i -> from + i).toList();
    }

    private static ByteBuffer concatenated(ByteBuffer[] parts) {
        ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(ByteBuffer::remaining).sum());
        for (ByteBuffer part : parts) {
            all.put(part.duplicate());
        }
        return all.flip();
    }

    /** True when {@code part} is a view of {@code buffer}'s memory rather than a copy. */
    private static boolean shares(ByteBuffer part, ByteBuffer buffer) {
        return part.hasArray() && buffer.hasArray() && part.array() == buffer.array();
    }
}
