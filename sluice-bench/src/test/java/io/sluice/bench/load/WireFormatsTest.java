package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.bench.load.LoadOptions.ValueFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the generator sends and how it reads the gateway's answers. */
class WireFormatsTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void allWrittenCountsEveryRecordAcked() {
        ProduceResults.Counted counted = ProduceResults.ofResponse(200, bytes(
                "{\"results\":[{\"partition\":0,\"offset\":1,\"timestamp\":5},{\"partition\":0,\"offset\":2,\"timestamp\":5}]}"), 2);

        assertThat(counted.acked()).isEqualTo(2);
        assertThat(counted.failed()).isEmpty();
    }

    @Test
    void mixedOutcomeCountsFailuresByErrorCode() {
        ProduceResults.Counted counted = ProduceResults.ofResponse(207, bytes("{\"results\":["
                + "{\"partition\":0,\"offset\":1,\"timestamp\":5},"
                + "{\"partition\":1,\"error_code\":\"NOT_ENOUGH_REPLICAS\",\"detail\":\"isr 1\",\"retriable\":true},"
                + "{\"partition\":1,\"error_code\":\"NOT_ENOUGH_REPLICAS\",\"detail\":\"isr 1\",\"retriable\":true}]}"), 3);

        assertThat(counted.acked()).isEqualTo(1);
        assertThat(counted.failed()).isEqualTo(Map.of("NOT_ENOUGH_REPLICAS", 2));
        assertThat(counted.firstMessage()).isEqualTo("isr 1");
    }

    @Test
    void problemWithoutResultsFailsTheWholeRequestUnderItsCode() {
        ProduceResults.Counted counted = ProduceResults.ofResponse(404, bytes("{\"type\":\"x\",\"title\":\"t\","
                + "\"status\":404,\"detail\":\"no topic u\",\"error_code\":\"UNKNOWN_TOPIC\",\"retriable\":false}"), 100);

        assertThat(counted.acked()).isZero();
        assertThat(counted.failed()).isEqualTo(Map.of("UNKNOWN_TOPIC", 100));
        assertThat(counted.firstMessage()).isEqualTo("no topic u");
    }

    @Test
    void aBodyThatIsNotJsonIsCountedUnderItsHttpStatus() {
        ProduceResults.Counted counted = ProduceResults.ofResponse(502, bytes("<html>bad gateway</html>"), 10);

        assertThat(counted.failed()).isEqualTo(Map.of("HTTP_502", 10));
    }

    @Test
    void resultsShortOfTheRecordsSentAreCountedMissing() {
        ProduceResults.Counted counted = ProduceResults.ofResponse(200, bytes("{\"results\":[{\"partition\":0}]}"), 3);

        assertThat(counted.acked()).isEqualTo(1);
        assertThat(counted.failed()).isEqualTo(Map.of("MISSING_RESULT", 2));
    }

    @Test
    void ndjsonResultLineIsAckedOrNamesItsError() {
        assertThat(ProduceResults.ofLine("{\"partition\":2,\"offset\":9,\"timestamp\":1}")).isNull();
        assertThat(ProduceResults.ofLine("{\"error_code\":\"INVALID_RECORD\",\"detail\":\"bad\",\"retriable\":false}"))
                .containsExactly("INVALID_RECORD", "bad");
    }

    @Test
    void jsonBatchCarriesTheValuesInTheChosenFormat() {
        byte[][] values = {bytes("ABC"), bytes("XYZW")};

        JsonNode string = JsonMapper.shared().readTree(Payloads.jsonBatch(values, ValueFormat.STRING));
        JsonNode binary = JsonMapper.shared().readTree(Payloads.jsonBatch(values, ValueFormat.BINARY));

        assertThat(string.get("value_format").asString()).isEqualTo("string");
        assertThat(string.get("records").get(1).get("value").asString()).isEqualTo("XYZW");
        assertThat(binary.get("value_format").asString()).isEqualTo("binary");
        assertThat(Base64.getDecoder().decode(binary.get("records").get(1).get("value").asString()))
                .isEqualTo(bytes("XYZW"));
    }

    @Test
    void ndjsonLinesAreOneRecordObjectPerLine() {
        String lines = new String(Payloads.ndjsonLines(new byte[][] {bytes("A"), bytes("B")}, ValueFormat.STRING),
                StandardCharsets.US_ASCII);

        assertThat(lines).isEqualTo("{\"value\":\"A\"}\n{\"value\":\"B\"}\n");
    }

    @Test
    void valuesAreRandomUppercaseLettersOfTheRecordSize() {
        byte[] value = Payloads.letters(1024, new SplittableRandom(1));

        assertThat(value).hasSize(1024);
        assertThat(new String(value, StandardCharsets.US_ASCII)).matches("[A-Z]{1024}");
    }

    @Test
    void readPageCountsRecordsValueBytesAndPosition() {
        String body = "{\"records\":[{\"topic\":\"t\",\"partition\":0,\"offset\":7,\"timestamp\":1,\"key\":null,"
                + "\"value\":\"ABCD\",\"headers\":[{\"key\":\"h\",\"value\":\"v\"}]},"
                + "{\"topic\":\"t\",\"partition\":0,\"offset\":8,\"timestamp\":1,\"key\":\"k\",\"value\":\"\u00e9\u20ac\",\"headers\":[]}],"
                + "\"next_offset\":9,\"high_watermark\":12,\"log_start_offset\":0}";

        ReadCounter.ReadPage page = ReadCounter.page(bytes(body), ValueFormat.STRING);

        assertThat(page).isEqualTo(new ReadCounter.ReadPage(2, 4 + 2 + 3, 9, 12));
    }

    @Test
    void binaryValuesCountTheirDecodedBytes() {
        String value = Base64.getEncoder().encodeToString(new byte[1022]);
        String record = "{\"offset\":1,\"value\":\"" + value + "\"}";

        assertThat(ReadCounter.recordValueBytes(record, ValueFormat.BINARY)).isEqualTo(1022);
        assertThat(ReadCounter.recordValue(record)).isEqualTo(value);
    }

    @Test
    void sseEventsAreDispatchedOnBlankLinesAndCommentsIgnored() {
        SseEvents events = new SseEvents();

        assertThat(events.accept(":stream open")).isNull();
        assertThat(events.accept("retry:2000")).isNull();
        assertThat(events.accept("")).isNull();
        assertThat(events.accept("id:abc")).isNull();
        assertThat(events.accept("event:record")).isNull();
        assertThat(events.accept("data:{\"a\":1,")).isNull();
        assertThat(events.accept("data: \"b\":2}")).isNull();
        assertThat(events.accept("")).isEqualTo(new SseEvents.Event("record", "abc", "{\"a\":1,\n\"b\":2}"));
        assertThat(events.accept("data:x")).isNull();
        assertThat(events.accept("")).isEqualTo(new SseEvents.Event("message", "abc", "x"));
    }

    private static final String SSE_WIRE = ":stream open\r\nretry:2000\r\n\r\n"
            + "id:c1\r\nevent:record\r\ndata:{\"value\":\"caf\u00e9\"}\r\n\r\n"
            + ":keep-alive\n\nid:c2\revent:record\rdata:{\"value\":\"\u20ac\"}\r\r";

    private static List<SseEvents.Event> decode(byte[] wire, int... cuts) {
        SseDecoder decoder = new SseDecoder();
        List<SseEvents.Event> events = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            decoder.feed(ByteBuffer.wrap(wire, from, cut - from), events::add);
            from = cut;
        }
        decoder.feed(ByteBuffer.wrap(wire, from, wire.length - from), events::add);
        return events;
    }

    @Test
    void sseBytesSplitAnywhereDecodeToTheSameEvents() {
        byte[] wire = bytes(SSE_WIRE);
        List<SseEvents.Event> whole = decode(wire);

        assertThat(whole).containsExactly(new SseEvents.Event("record", "c1", "{\"value\":\"caf\u00e9\"}"),
                new SseEvents.Event("record", "c2", "{\"value\":\"\u20ac\"}"));
        for (int cut = 1; cut < wire.length; cut++) {
            assertThat(decode(wire, cut)).as("split at byte %d", cut).isEqualTo(whole);
        }
        int[] everyByte = new int[wire.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        assertThat(decode(wire, everyByte)).isEqualTo(whole);
    }

    @Test
    void fanoutMarkerGivesTheRecordIdInEitherValueFormat() {
        ValueMarker marker = new ValueMarker("ab1");
        String value = marker.record(2999) + "QWERTY";

        assertThat(marker.id(value, ValueFormat.STRING)).isEqualTo(2999);
        assertThat(marker.id(Base64.getEncoder().encodeToString(bytes(value)), ValueFormat.BINARY)).isEqualTo(2999);
        assertThat(marker.id(marker.probe(3) + "QW", ValueFormat.STRING)).isEqualTo(ValueMarker.PROBE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"e2e-zz9-12-QW", "e2e-ab1-12", "e2e-ab1--QW", "e2e-ab1-1x-QW", "ABCDEF", ""})
    void fanoutMarkerTreatsOtherValuesAsForeign(String value) {
        assertThat(new ValueMarker("ab1").id(value, ValueFormat.STRING)).isEqualTo(ValueMarker.FOREIGN);
    }

    @Test
    void fanoutValueStartsWithTheMarkerAndKeepsTheRecordSize() {
        JsonNode body = JsonMapper.shared().readTree(ValueMarker.body("e2e-ab1-7-", bytes("ABCDEFGHIJKLMNOP"),
                ValueFormat.STRING));

        assertThat(body.get("records").get(0).get("value").asString()).isEqualTo("e2e-ab1-7-ABCDEF");
    }

    @Test
    void sseFetchCountersAreSummedOverEverySeries() {
        String exposition = """
                # HELP sluice_gateway_sse_tail_fetches_total Long-poll fetches
                # TYPE sluice_gateway_sse_tail_fetches_total counter
                sluice_gateway_sse_tail_fetches_total{service="gateway-service"} 40.0
                sluice_gateway_sse_tail_fetches_total{service="gateway-service",note="a} b\\"c"} 2.0 1712000000000
                sluice_gateway_sse_tail_fetches_total_extra{service="gateway-service"} 1000.0
                sluice_gateway_sse_own_fetches_total 3.0
                """;

        assertThat(SseFetchCounters.parse(exposition)).isEqualTo(new SseFetchCounters(42.0, 3.0));
        assertThat(SseFetchCounters.sum(exposition, "sluice_gateway_sse_tails")).isEmpty();
        assertThatThrownBy(() -> SseFetchCounters.parse("up 1.0\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SseFetchCounters.TAIL);
    }

    @Test
    void chunkedBodiesDecodeAcrossChunkBoundaries() throws IOException {
        String wire = "5\r\n{\"a\":\r\n4;ext=1\r\n1}\n{\r\n3\r\n}\n\n\r\n0\r\n\r\n";

        byte[] decoded = new NdjsonProduceRun.ChunkedInput(new ByteArrayInputStream(bytes(wire))).readAllBytes();

        assertThat(new String(decoded, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{}\n\n");
    }
}
