package io.sluice.coordinator.group;

import static io.sluice.coordinator.group.StreamsTestTopology.SOURCE;
import static io.sluice.coordinator.group.StreamsTestTopology.heartbeat;
import static io.sluice.coordinator.group.StreamsTestTopology.join;
import static io.sluice.coordinator.group.StreamsTestTopology.tasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestNodes;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.internal.client.InternalClientSettings;
import io.sluice.internal.client.InternalHttp;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A streams group (KIP-1071) under its own group configs, set as {@code kafka-configs --entity-type groups} sets
 * them: {@code streams.num.standby.replicas}, {@code streams.heartbeat.interval.ms} and
 * {@code streams.session.timeout.ms} hold for that group in place of the coordinator's settings (no standbys, 5 s,
 * 45 s here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsGroupConfigTest extends CoordinatorTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestNodes nodes;
    private InternalHttp http;
    private CoordinatorClient client;

    @BeforeAll
    void oneLiveNodeAndAClient() {
        nodes = newNodes();
        nodes.start(1);
        http = new InternalHttp(InternalClientSettings.defaults().withCallTimeout(WAIT), new SimpleMeterRegistry());
        client = new CoordinatorClient(http, List.of(baseUrl()));
    }

    @AfterAll
    void closeClientAndNodes() {
        http.close();
        nodes.close();
    }

    @Test
    void aStreamsGroupsOwnStandbyCountHeartbeatAndSessionHoldForIt() {
        api().createTopic(SOURCE, 4, 1);
        client.alterShareGroupConfigs("app", new ShareGroupConfigChange(Map.of("streams.num.standby.replicas", "1",
                "streams.heartbeat.interval.ms", "300", "streams.session.timeout.ms", "3000"), List.of(), false,
                false)).block(WAIT);

        StreamsHeartbeatResponse[] a = {send(join("member-a", "process-a"))};
        StreamsHeartbeatResponse[] b = {send(join("member-b", "process-b"))};
        assertThat(a[0].heartbeatIntervalMs()).isEqualTo(300);

        // The coordinator creates the internal topics; the members heartbeat holding what they were given until each
        // instance keeps a standby copy of the other's active tasks.
        await("both instances to hold active and standby tasks").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    a[0] = send(heartbeat("member-a", a[0].memberEpoch(), tasks(a[0])));
                    b[0] = send(heartbeat("member-b", b[0].memberEpoch(), tasks(b[0])));
                    return !tasks(a[0]).active().isEmpty() && !tasks(a[0]).standby().isEmpty()
                            && !tasks(b[0]).active().isEmpty() && !tasks(b[0]).standby().isEmpty();
                });
        // Standbys of the stateful subtopology's tasks only (1, with the store's changelog).
        assertThat(tasks(a[0]).standby()).containsExactlyInAnyOrderElementsOf(tasks(b[0]).active().stream()
                .filter(task -> task.subtopology().equals("1")).toList());
        assertThat(tasks(b[0]).standby()).containsExactlyInAnyOrderElementsOf(tasks(a[0]).active().stream()
                .filter(task -> task.subtopology().equals("1")).toList());

        // member-b falls silent: the group's 3 s session removes it, and member-a takes every active task.
        int total = tasks(a[0]).active().size() + tasks(b[0]).active().size();
        await("member-b's removal after the group's 3 s session").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    a[0] = send(heartbeat("member-a", a[0].memberEpoch(), tasks(a[0])));
                    return tasks(a[0]).active().size() == total;
                });
        assertThat(client.describeStreamsGroup("app").block(WAIT).members()).hasSize(1);
    }

    private StreamsHeartbeatResponse send(StreamsHeartbeatRequest request) {
        return client.streamsGroupHeartbeat("app", request).block(WAIT);
    }
}
