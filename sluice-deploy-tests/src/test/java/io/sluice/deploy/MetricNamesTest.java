package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricNamesTest {

    @Test
    void aHistogramQuantileSelectsItsBucketSeries() {
        assertThat(MetricNames.inExpression(
                "histogram_quantile(0.99, sum by (le, kind) (rate(sluice_partition_fetch_latency_seconds_bucket[$__rate_interval])))"))
                .containsExactly("sluice_partition_fetch_latency_seconds_bucket");
    }

    @Test
    void labelMatchersAndBinaryOperatorsAreNotMetrics() {
        assertThat(MetricNames.inExpression(
                "min by (instance) (disk_free_bytes{service=\"partition-service\"} / disk_total_bytes{service=\"partition-service\"}) < 0.10"))
                .containsExactly("disk_free_bytes", "disk_total_bytes");
        assertThat(MetricNames.inExpression("sum(sluice_coordinator_active) < 1 or absent(sluice_coordinator_active)"))
                .containsExactly("sluice_coordinator_active");
    }

    @Test
    void anExpositionOffersItsSampleNames() {
        assertThat(MetricNames.inExposition("""
                # HELP sluice_coordinator_active Whether this instance holds the lease
                # TYPE sluice_coordinator_active gauge
                sluice_coordinator_active{service="coordinator-service"} 1.0
                jvm_threads_live_threads 21
                """)).containsExactly("jvm_threads_live_threads", "sluice_coordinator_active");
    }

    @Test
    void theDashboardAndTheAlertsQueryMetrics() {
        assertThat(MetricNames.inExpressions(Observability.dashboardExpressions()))
                .contains("sluice_gateway_records_in_total", "jvm_memory_used_bytes");
        assertThat(MetricNames.inExpressions(Observability.alertExpressions()))
                .contains("sluice_coordinator_offline_partitions");
    }
}
