package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.gateway.testing.SseStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SSE fan-out through the real gateway over an in-memory cluster: subscribers of one partition share one fetch loop
 * at the leader (its fetch count does not grow with them), each still gets every record once and in order in its
 * own formats, a slow one does not hold up the others, and a late joiner from the earliest offset reads everything.
 */
@FakeClusterWebTest
class SseFanOutTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SseStream> opened = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        opened.forEach(SseStream::close);
        http.close();
    }

    @Test
    void theLeaderServesAboutAsManyFetchesToManySubscribersAsToOne() {
        long withOne = lockstepFetches(1);
        long withMany = lockstepFetches(24);

        // One per record and a few for subscribers that were still finishing their first read of their own; with a
        // fetch loop per subscriber it would be 24 per record. The fake counts a fetch when it arrives, so the one
        // already waiting when counting starts (it brings the first record) may fall before it: 19 for 20 records.
        assertThat(withOne).isBetween(19L, 26L);
        assertThat(withMany).isLessThanOrEqualTo(withOne + 8);
        assertThat(meters.get("sluice.gateway.sse.tail.fetches").counter().count()).isPositive();
    }

    @Test
    void everySubscriberGetsEveryRecordOnceInOrderInItsOwnFormat() {
        String topic = topic();
        List<SseStream> asJson = open(topic, "", 12);
        List<SseStream> asBinary = open(topic, "?value_format=binary", 12);
        List<String> values = IntStream.range(0, 200).mapToObj(i -> "r-" + i).toList();
        for (int from = 0; from < values.size(); from += 20) {
            produce(topic, values.subList(from, from + 20));
        }
        produce(topic, List.of("end"));

        for (SseStream stream : asJson) {
            assertThat(recordsUntilEnd(stream)).extracting(r -> r.path("value").asString()).isEqualTo(values);
        }
        for (SseStream stream : asBinary) {
            List<JsonNode> records = recordsUntilEnd(stream);
            assertThat(records).extracting(r -> r.path("value_format").asString()).containsOnly("binary");
            assertThat(records).extracting(r -> new String(Base64.getDecoder().decode(r.path("value").asString()),
                    StandardCharsets.UTF_8)).isEqualTo(values.stream().map(v -> "\"" + v + "\"").toList());
        }
        assertThat(meters.get("sluice.gateway.sse.tails").gauge().value()).as("this partition's tail").isPositive();
    }

    @Test
    void aSlowSubscriberDoesNotHoldUpAFastOneAndLaterReadsEverythingOnce() {
        String topic = topic();
        SseStream slow = open(topic, "", 1).getFirst();
        SseStream fast = open(topic, "", 1).getFirst();
        double departuresBefore = meters.get("sluice.gateway.sse.tail.departures").counter().count();
        List<JsonNode> fastGot = new CopyOnWriteArrayList<>();
        Thread fastReader = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                SseStream.Event event = fast.next(Duration.ofMillis(200));
                if (event != null && "record".equals(event.event())) {
                    fastGot.add(JSON.readTree(event.data()));
                }
            }
        });
        // Far more than the slow client's socket buffers and its share of the tail hold.
        int requests = 240;
        int perRequest = 50;
        String padding = "x".repeat(1000);
        try {
            for (int i = 0; i < requests; i++) {
                int request = i;
                produce(topic, IntStream.range(0, perRequest).mapToObj(r -> request + "-" + r + padding).toList());
            }
            awaitTrue(() -> fastGot.size() >= requests * perRequest, "the fast subscriber got " + fastGot.size());
        } finally {
            fastReader.interrupt();
        }

        assertThat(fastGot).extracting(r -> r.path("offset").asLong())
                .isEqualTo(LongStream.range(0, requests * perRequest).boxed().toList());
        assertThat(meters.get("sluice.gateway.sse.tail.departures").counter().count())
                .as("the slow subscriber fell behind the tail").isGreaterThan(departuresBefore);
        produce(topic, List.of("end"));
        assertThat(recordsUntilEnd(slow)).extracting(r -> r.path("offset").asLong())
                .as("every record once, in order").isEqualTo(LongStream.range(0, requests * perRequest).boxed().toList());
    }

    @Test
    void aLateSubscriberFromTheEarliestOffsetReadsTheWholeLogThenJoinsTheTail() {
        String topic = topic();
        SseStream live = open(topic, "", 1).getFirst();
        String padding = "y".repeat(1000);
        List<String> values = new ArrayList<>();
        // A few megabytes: more than one fetch of its own before the late subscriber reaches the tail.
        for (int i = 0; i < 60; i++) {
            int request = i;
            List<String> batch = IntStream.range(0, 50).mapToObj(r -> request + "-" + r + padding).toList();
            produce(topic, batch);
            values.addAll(batch);
        }
        SseStream late = open(topic, "?offset=earliest", 1).getFirst();
        List<String> more = IntStream.range(0, 100).mapToObj(i -> "more-" + i).toList();
        for (String value : more) {
            produce(topic, List.of(value));
        }
        values.addAll(more);
        produce(topic, List.of("end"));

        assertThat(recordsUntilEnd(late)).extracting(r -> r.path("value").asString()).isEqualTo(values);
        assertThat(recordsUntilEnd(live)).extracting(r -> r.path("value").asString()).isEqualTo(values);

        long before = cluster.fetches(topic, 0);
        for (int i = 0; i < 10; i++) {
            produce(topic, List.of("then-" + i));
            assertThat(nextRecord(late).path("value").asString()).isEqualTo("then-" + i);
            assertThat(nextRecord(live).path("value").asString()).isEqualTo("then-" + i);
        }
        assertThat(cluster.fetches(topic, 0) - before).as("both on one tail: about one fetch per record")
                .isLessThanOrEqualTo(14);
    }

    @Test
    void theTailStopsWhenItsLastSubscriberLeaves() {
        String topic = topic();
        List<SseStream> streams = open(topic, "", 3);
        produce(topic, List.of("one"));
        streams.forEach(stream -> assertThat(nextRecord(stream).path("value").asString()).isEqualTo("one"));
        streams.forEach(SseStream::close);

        awaitTrue(() -> meters.get("sluice.gateway.sse.tails").gauge().value() == 0, "tails still running");
        long after = cluster.fetches(topic, 0);
        produce(topic, List.of("two"));
        awaitTrue(() -> cluster.records(topic, 0).size() == 2, "stored");
        assertThat(cluster.fetches(topic, 0)).as("nobody fetches for a partition without subscribers").isEqualTo(after);
    }

    /**
     * Leader fetches while {@code subscribers} live subscribers of a new partition each receive 20 records, produced
     * one at a time, each awaited by all before the next.
     */
    private long lockstepFetches(int subscribers) {
        String topic = topic();
        List<SseStream> streams = open(topic, "", subscribers);
        produce(topic, List.of("warm-up"));
        streams.forEach(stream -> assertThat(nextRecord(stream).path("value").asString()).isEqualTo("warm-up"));
        long before = cluster.fetches(topic, 0);
        for (int i = 0; i < 20; i++) {
            String value = "r-" + i;
            produce(topic, List.of(value));
            streams.forEach(stream -> assertThat(nextRecord(stream).path("value").asString()).isEqualTo(value));
        }
        long fetches = cluster.fetches(topic, 0) - before;
        streams.forEach(SseStream::close);
        return fetches;
    }

    private String topic() {
        String name = "fan-" + TOPICS.incrementAndGet();
        cluster.topicServedBy(client, name, 1, Map.of());
        return name;
    }

    private List<SseStream> open(String topic, String query, int count) {
        List<SseStream> streams = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SseStream stream = SseStream.open(http, URI.create("http://127.0.0.1:" + port + "/v1/topics/" + topic
                    + "/partitions/0/records" + query), null, 16);
            opened.add(stream);
            assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
            streams.add(stream);
        }
        return streams;
    }

    private void produce(String topic, List<String> values) {
        String body = values.stream().map(value -> "{\"value\": \"" + value + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        client.post().uri("/v1/topics/" + topic + "/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk();
    }

    private static JsonNode nextRecord(SseStream stream) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            SseStream.Event event = stream.next(Duration.ofMillis(200));
            if (event != null && "record".equals(event.event())) {
                return JSON.readTree(event.data());
            }
            assertThat(event == null || !"error".equals(event.event())).as("an error event: %s", event).isTrue();
        }
        throw new AssertionError("no record within " + PATIENCE);
    }

    /** The records up to the one whose value is "end", which is left out. */
    private static List<JsonNode> recordsUntilEnd(SseStream stream) {
        List<JsonNode> records = new ArrayList<>();
        for (JsonNode record = nextRecord(stream); !isEnd(record); record = nextRecord(stream)) {
            records.add(record);
        }
        return records;
    }

    private static boolean isEnd(JsonNode record) {
        String value = record.path("value").asString();
        return "binary".equals(record.path("value_format").asString())
                ? "\"end\"".equals(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8))
                : "end".equals(value);
    }

    private static void awaitTrue(BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
