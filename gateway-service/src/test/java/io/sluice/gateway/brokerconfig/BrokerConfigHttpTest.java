package io.sluice.gateway.brokerconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.internal.brokerconfig.BrokerConfigChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code /v1/cluster/configs}: the gateway's broker configs with their sources; a change of the cluster-wide ones
 * stored at the coordinator, a validate-only one and a refused one (a problem naming why) changing nothing.
 */
@FakeClusterWebTest
class BrokerConfigHttpTest {

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @AfterEach
    void forgetEveryConfig() {
        cluster.alterBrokerConfigs(new BrokerConfigChange(Map.of(), List.of(), true,
                false)).block();
    }

    @Test
    void aConfigSetForTheClusterShouldBeShownAboveTheGatewaysSettingAndDeletedBackToIt() {
        patch("{\"configs\": [{\"name\": \"num.partitions\", \"value\": \"6\"}]}", "")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.configs[?(@.name == 'num.partitions')].value").isEqualTo("6")
                .jsonPath("$.configs[?(@.name == 'num.partitions')].source").isEqualTo("DYNAMIC_DEFAULT_BROKER_CONFIG")
                .jsonPath("$.configs[?(@.name == 'num.partitions')].synonyms[1].source")
                .isEqualTo("STATIC_BROKER_CONFIG");
        assertThat(cluster.brokerConfigs().block().values()).isEqualTo(Map.of("num.partitions", "6"));

        patch("{\"configs\": [{\"name\": \"num.partitions\", \"value\": null}]}", "").expectStatus().isOk();

        client.get().uri("/v1/cluster/configs").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.broker_id").isEqualTo(0)
                .jsonPath("$.configs[?(@.name == 'num.partitions')].value").isEqualTo("3")
                .jsonPath("$.configs[?(@.name == 'num.partitions')].source").isEqualTo("STATIC_BROKER_CONFIG")
                .jsonPath("$.configs[?(@.name == 'log.segment.bytes')].read_only").isEqualTo(true)
                .jsonPath("$.configs[?(@.name == 'log.segment.bytes')].source").isEqualTo("DEFAULT_CONFIG");
    }

    @Test
    void aValidateOnlyOrARefusedChangeShouldChangeNothing() {
        patch("{\"configs\": [{\"name\": \"default.replication.factor\", \"value\": \"2\"}]}", "?validate_only=true")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.configs[?(@.name == 'default.replication.factor')].value").isEqualTo("2");
        patch("{\"configs\": [{\"name\": \"num.partitions\", \"value\": \"6\"}, "
                + "{\"name\": \"log.retention.ms\", \"value\": \"1000\"}]}", "")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.error_code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .startsWith("Cannot update these configs dynamically: [log.retention.ms]"));
        patch("{\"configs\": [{\"name\": \"num.partitions\", \"value\": \"0\"}]}", "")
                .expectStatus().isBadRequest().expectBody().jsonPath("$.error_code").isEqualTo("INVALID_CONFIG");

        assertThat(cluster.brokerConfigs().block().values()).isEmpty();
    }

    private WebTestClient.ResponseSpec patch(String body, String query) {
        return client.patch().uri("/v1/cluster/configs" + query).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange();
    }
}
