package io.sluice.coordinator.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.client.MetadataWatcher;
import io.sluice.internal.metadata.MetadataDelta;
import io.sluice.internal.metadata.MetadataUpdate;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.testing.BlockingCoordinator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;

/**
 * Followers of the metadata stream (partition services, gateways) see every version, in order, whether they long-poll
 * with {@link MetadataWatcher} or hold an SSE stream; one further behind than the kept history (50 versions here)
 * gets a snapshot instead. All nodes keep heartbeating until the class ends, so the tests alone make versions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataStreamTest extends CoordinatorTestSupport {

    private TestNodes nodes;
    private final List<AutoCloseable> followers = new ArrayList<>();

    @BeforeAll
    void threeLiveNodes() {
        nodes = newNodes();
        nodes.start(1, 2, 3);
    }

    @AfterEach
    void stopFollowers() throws Exception {
        for (AutoCloseable follower : followers) {
            follower.close();
        }
        followers.clear();
    }

    @AfterAll
    void stopNodes() {
        nodes.close();
    }

    @Test
    void whenChangesArriveFasterThanPollsAWatcherStillSeesEveryVersionInOrder() throws Exception {
        MetadataWatcher watcher = watcher();
        List<Long> seen = new CopyOnWriteArrayList<>();
        watcher.addListener(view -> seen.add(view.version()));
        watcher.start();
        long start = api().metadataVersion();
        assertThat(watcher.awaitVersion(start, Duration.ofSeconds(10)).block().version()).isEqualTo(start);

        makeChanges("burst", 20);

        long end = api().metadataVersion();
        // More when a stalled machine made the coordinator see a test node die and come back meanwhile.
        assertThat(end).isGreaterThanOrEqualTo(start + 20);
        MetadataView last = watcher.awaitVersion(end, Duration.ofSeconds(10)).block();
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains(end));
        assertThat(seen.stream().filter(v -> v > start).toList())
                .isEqualTo(LongStream.rangeClosed(start + 1, end).boxed().toList());
        assertThat(last.metadata().topics()).isEqualTo(api().topics());
        assertThat(last.metadata().nodes()).isEqualTo(api().nodes());
    }

    @Test
    void whenFollowingBySseEveryVersionArrivesOnceAndInOrder() {
        long since = api().metadataVersion();
        makeChanges("before-stream", 4);
        List<ServerSentEvent<MetadataUpdate>> events = new CopyOnWriteArrayList<>();
        Disposable stream = api().web().mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/internal/metadata?since={since}", since).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<MetadataUpdate>>() { })
                .getResponseBody()
                .subscribe(events::add);
        followers.add(stream::dispose);

        makeChanges("while-streaming", 8);

        long end = api().metadataVersion();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !events.isEmpty() && events.getLast().data().version() == end);
        List<Long> versions = events.stream().flatMap(e -> e.data().deltas().stream()).map(MetadataDelta::version).toList();
        assertThat(versions).isEqualTo(LongStream.rangeClosed(since + 1, end).boxed().toList());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.event()).isEqualTo("metadata");
            assertThat(e.id()).isEqualTo(Long.toString(e.data().version()));
            assertThat(e.data().snapshot()).isNull();
        });
    }

    @Test
    void whenAFollowerIsFurtherBehindThanTheHistoryItGetsASnapshot() throws Exception {
        long behind = api().metadataVersion();
        makeChanges("far", 60);
        long end = api().metadataVersion();

        MetadataUpdate farBehind = api().web().get().uri("/internal/metadata?since={since}", behind).exchange()
                .expectStatus().isOk().expectBody(MetadataUpdate.class).returnResult().getResponseBody();
        MetadataUpdate nearlyCurrent = api().web().get().uri("/internal/metadata?since={since}", end - 5).exchange()
                .expectStatus().isOk().expectBody(MetadataUpdate.class).returnResult().getResponseBody();

        assertThat(farBehind.version()).isEqualTo(end);
        assertThat(farBehind.snapshot()).isNotNull();
        assertThat(farBehind.snapshot().topics()).isEqualTo(api().topics());
        assertThat(nearlyCurrent.snapshot()).isNull();
        assertThat(nearlyCurrent.deltas()).extracting(MetadataDelta::version)
                .containsExactly(end - 4, end - 3, end - 2, end - 1, end);

        MetadataWatcher fresh = watcher();
        List<Long> seen = new CopyOnWriteArrayList<>();
        fresh.addListener(view -> seen.add(view.version()));
        fresh.start();
        MetadataView view = fresh.awaitVersion(end, Duration.ofSeconds(10)).block();
        await().atMost(Duration.ofSeconds(30)).until(() -> !seen.isEmpty());
        assertThat(seen).as("one view, from the snapshot").containsExactly(end);
        assertThat(view.metadata().topics()).isEqualTo(api().topics());
    }

    @Test
    void whenNothingChangesALongPollAnswersAfterItsWaitWithNoDeltas() {
        for (int attempt = 1; ; attempt++) {
            long version = api().metadataVersion();
            long started = System.nanoTime();

            MetadataUpdate update = api().web().get().uri("/internal/metadata?since={since}&wait_ms=300", version)
                    .exchange().expectStatus().isOk().expectBody(MetadataUpdate.class).returnResult().getResponseBody();

            if (update.version() != version && attempt < 5) {
                // Something did change meanwhile (a stalled machine can make a test node miss its session): not the
                // case under test, so ask again.
                continue;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(update.version()).isEqualTo(version);
            assertThat(update.snapshot()).isNull();
            assertThat(update.deltas()).isEmpty();
            return;
        }
    }

    private MetadataWatcher watcher() {
        BlockingCoordinator client = new BlockingCoordinator(List.of(baseUrl()), Duration.ofSeconds(30));
        MetadataWatcher watcher = client.watcher(Duration.ofSeconds(2));
        followers.add(client);
        followers.add(watcher);
        return watcher;
    }

    /** {@code count} metadata versions, as fast as the API takes them: creates, config changes, partition adds, deletes. */
    private void makeChanges(String prefix, int count) {
        int made = 0;
        for (int i = 0; made < count; i++) {
            String topic = prefix + "-" + i;
            api().createTopic(topic, 1, 2);
            made++;
            for (int step = 1; step <= 3 && made < count; step++, made++) {
                switch (step) {
                    case 1 -> api().patch("/internal/topics/" + topic + "/configs",
                            Map.of("set", Map.of("retention.ms", Integer.toString(60_000 + i)))).expectStatus().isOk();
                    case 2 -> api().post("/internal/topics/" + topic + "/partitions", Map.of("count", 2)).expectStatus().isOk();
                    default -> api().web().delete().uri("/internal/topics/" + topic).exchange().expectStatus().isNoContent();
                }
            }
        }
    }
}
