package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.internal.metadata.TopicMetadata;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code sluice.gateway.auto-create-topics} (configuration.md): off, a produce to a topic that does not exist is
 * {@code 404 UNKNOWN_TOPIC} and creates nothing; on, it creates the topic with the configured size and stores the
 * records.
 */
@FakeClusterWebTest
class AutoCreateTopicsTest {

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Test
    void offByDefaultAProduceToAMissingTopicIsUnknownTopicAndCreatesNothing() {
        client.post().uri("/v1/topics/auto-off/records").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"value\": \"a\"}]").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error_code").isEqualTo("UNKNOWN_TOPIC");

        assertThat(topicNames(cluster)).doesNotContain("auto-off");
    }

    @Nested
    @TestPropertySource(properties = {"sluice.gateway.auto-create-topics.enabled=true",
            "sluice.gateway.auto-create-topics.partitions=2", "sluice.gateway.auto-create-topics.replication-factor=1"})
    class WhenEnabled {

        @Autowired
        WebTestClient client;

        @Autowired
        FakeCluster cluster;

        @Test
        void aProduceToAMissingTopicCreatesItWithTheConfiguredPartitionsAndStoresTheRecord() {
            client.post().uri("/v1/topics/auto-on/records").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("[{\"value\": \"a\", \"partition\": 1}]").exchange()
                    .expectStatus().isOk();

            TopicMetadata created = cluster.describeTopic("auto-on").block();
            assertThat(created.partitions()).hasSize(2);
            assertThat(cluster.records("auto-on", 1)).hasSize(1);
        }
    }

    private static List<String> topicNames(FakeCluster cluster) {
        return cluster.topics().block().stream().map(TopicMetadata::name).toList();
    }
}
