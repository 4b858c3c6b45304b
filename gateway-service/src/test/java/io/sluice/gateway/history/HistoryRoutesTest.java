package io.sluice.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayWebTest;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The history routes as a client calls them: series with their points as columns, {@code since} to take only newer
 * points, and bad input as a problem decided before the coordinator would be asked (this gateway has none: a call to
 * it would be a 503).
 */
@GatewayWebTest
class HistoryRoutesTest {

    @Autowired
    WebTestClient client;

    @Autowired
    MetricsHistory history;

    @LocalServerPort
    int port;

    @Test
    void clusterHistoryShouldAnswerEachSeriesWithItsPointsAsColumns() {
        history.record(SeriesKey.ofCluster(Metric.SIZE_BYTES, 7), 1_000, 4096);
        history.record(SeriesKey.ofCluster(Metric.SIZE_BYTES, 7), 2_000, 8192);

        client.get().uri("/v1/cluster/history").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.interval_ms").isEqualTo(10_000)
                .jsonPath("$.window_ms").isEqualTo(3_600_000)
                .jsonPath("$.series[?(@.node_id == 7)].metric").isEqualTo("size_bytes")
                .jsonPath("$.series[?(@.node_id == 7)].unit").isEqualTo("bytes")
                .jsonPath("$.series[?(@.node_id == 7)].times[0]").isEqualTo(1_000)
                .jsonPath("$.series[?(@.node_id == 7)].values[1]").isEqualTo(8192.0);
    }

    @Test
    void sinceShouldLeaveOutThePointsTakenUntilThen() {
        history.record(SeriesKey.ofGroup(SeriesKey.Subject.group("dashboards"), Metric.LAG_RECORDS, "clicks", 0),
                1_000, 40);
        history.record(SeriesKey.ofGroup(SeriesKey.Subject.group("dashboards"), Metric.LAG_RECORDS, "clicks", 0),
                2_000, 12);

        String body = client.get().uri("/v1/groups/dashboards/history?since=1000").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("\"metric\":\"lag_records\"", "\"topic\":\"clicks\"", "\"partition\":0",
                "\"times\":[2000]", "\"values\":[12.0]");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /v1/cluster/history?since=yesterday         | 400 | INVALID_REQUEST
            /v1/cluster/history?since=-5                | 400 | INVALID_REQUEST
            /v1/cluster/history?series=size_bytes       | 400 | INVALID_REQUEST
            /v1/topics/a%20b/history                    | 400 | INVALID_TOPIC_NAME
            /v1/topics/orders/history?since=1.5         | 400 | INVALID_REQUEST
            /v1/topics/orders/history                   | 404 | UNKNOWN_TOPIC
            /v1/groups/..%2Fx/history                   | 400 | INVALID_GROUP_ID
            /v1/share-groups/jobs/history?since=x       | 400 | INVALID_REQUEST
            """)
    void badInputShouldBeAProblem(String uri, int status, String errorCode) {
        client.get().uri(URI.create("http://127.0.0.1:" + port + uri)).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.error_code").isEqualTo(errorCode);
    }
}
