package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Rows that stay keep their gauge, so a scrape never meets a removed gauge beside its successor. */
class TaggedGaugesTest {

    private static Tags group(String name) {
        return Tags.of("group", name);
    }

    @Test
    void whenRowsAreReplacedShouldKeepTheGaugesOfRowsThatStayAndRemoveOnlyTheGoneOnes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<Meter.Id> removed = new ArrayList<>();
        registry.config().onMeterRemoved(meter -> removed.add(meter.getId()));
        TaggedGauges members = new TaggedGauges(registry, "group.members", "Members of a group", null);

        members.replace(Map.of(group("a"), 1, group("b"), 2));
        Gauge a = registry.get("group.members").tags(group("a")).gauge();
        members.replace(Map.of(group("a"), 3, group("c"), 4));

        assertThat(registry.get("group.members").tags(group("a")).gauge()).as("the same gauge").isSameAs(a);
        assertThat(a.value()).isEqualTo(3);
        assertThat(registry.find("group.members").tags(group("b")).gauge()).as("b is gone").isNull();
        assertThat(registry.get("group.members").tags(group("c")).gauge().value()).isEqualTo(4);
        assertThat(removed).extracting(id -> id.getTag("group")).as("only the gone row was removed")
                .containsExactly("b");
    }

    /** The scrape of micrometer#6851: Prometheus's text format while every row is measured again, many times over. */
    @Test
    void whenRowsAreReplacedDuringScrapesShouldNeverAnswerDuplicateLabels() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TaggedGauges lag = new TaggedGauges(registry, "group.lag.records", "Lag", "records");
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> scrapes = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                registry.scrape();
            }
        });
        try {
            for (int round = 0; round < 2_000; round++) {
                Map<Tags, Integer> rows = new LinkedHashMap<>();
                for (int partition = 0; partition < 50; partition++) {
                    rows.put(Tags.of("group", "g", "partition", Integer.toString(partition)), round);
                }
                lag.replace(rows);
            }
        } finally {
            done.set(true);
        }
        assertThatCode(scrapes::get).doesNotThrowAnyException();
        assertThat(registry.scrape()).contains("group_lag_records{group=\"g\",partition=\"49\"} 1999");
    }
}
