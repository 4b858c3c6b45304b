package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import static io.sluice.it.GatewayHttp.get;
import static io.sluice.it.GatewayHttp.post;

import io.sluice.internal.SluiceJson;
import io.sluice.it.GatewayHttp.Response;
import io.sluice.launcher.RepoRoot;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.RequiredTools;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The alert rules and the dashboard's queries (helm/sluice/files/sluice-alerts.yaml and sluice-dashboard.json, shipped
 * by the chart and by Compose) evaluated by Prometheus' own promtool against what a real cluster exports: every
 * service's /actuator/prometheus, scraped once, becomes the input series of a {@code promtool test rules} file (each
 * series held at its value, with the {@code instance} and {@code job} labels a Prometheus scrape adds). As recorded, on
 * a healthy cluster that has produced, read, replicated and served a group, no alert expression selects anything, and
 * every dashboard query selects at least one series; then, for each alert, the series its fault would change — and
 * only their values, keeping the labels the cluster gave them — are set to the fault, and the alert's expression
 * selects at least one series. An expression whose metric or label matchers the cluster does not export selects
 * nothing and fails here. Needs promtool (Debian's prometheus package; .ci/run installs it).
 */
class PrometheusQueriesIT {

    private static final String GROUP = "alerting";
    /** A value held for 40 one-minute steps; the expressions are evaluated at 30 minutes. */
    private static final String HELD = "+0x40";
    /** What Grafana puts for {@code $__rate_interval} (at least four scrape intervals); any window over a held series. */
    private static final String RATE_INTERVAL = "5m";

    /** Per alert, the metric a fault changes and the series values (promtool's notation) that make the fault. */
    private static final Map<String, Fault> FAULTS = Map.of(
            "SluiceOfflinePartitions", new Fault("sluice_coordinator_offline_partitions", "1" + HELD),
            "SluiceUnderReplicatedPartitions", new Fault("sluice_coordinator_under_replicated_partitions", "2" + HELD),
            "SluiceNoActiveCoordinator", new Fault("sluice_coordinator_active", "0" + HELD),
            "SluiceConsumerGroupLagging", new Fault("sluice_gateway_group_lag_seconds", "400" + HELD),
            "SluiceOfflineLogs", new Fault("sluice_partition_offline_logs", "1" + HELD),
            "SluicePartitionDiskNearlyFull", new Fault("disk_free_bytes", "1" + HELD),
            "SluiceRemoteCopyLagging", new Fault("sluice_partition_remote_copy_lag_bytes", "2147483648" + HELD),
            "SluiceMetadataRegressions", new Fault("sluice_metadata_regressions_total", "0+1x40"));

    /**
     * Metrics of the dashboard registered some time after what they measure appeared: a partition service's for a
     * partition at its next metrics refresh (every 5 s), the coordinator's members per group at its next session check
     * (every 500 ms), the gateway's lag in records per partition once a lag round measured one (a partition's lag in
     * seconds may be published a round before it: a fresh CI run recorded a scrape with the one and not the other, and
     * the dashboard's lag panel selected nothing). The recording waits for them.
     */
    private static final List<String> REFRESHED = List.of("sluice_partition_log_size_bytes",
            "sluice_partition_replication_lag_records", "sluice_coordinator_group_members",
            "sluice_gateway_group_lag_records");

    private record Fault(String metric, String values) {
    }

    private record Series(String selector, String metric, double value) {
    }

    /** One scrape of every service of a healthy cluster. */
    private static List<Series> recorded;
    private static Path root;

    @TempDir
    Path dir;

    private static Path promtool;

    @BeforeAll
    static void recordAHealthyCluster() {
        promtool = RequiredTools.require("promtool", "prometheus");
        root = RepoRoot.find(Path.of("")).orElseThrow();
        try (SluiceCluster cluster = SluiceCluster.builder("prometheus-queries").nodes(2).withGateway()
                .args(ServiceKind.GATEWAY, "--sluice.gateway.groups.lag-interval=1s").start()) {
            URI gateway = cluster.gatewayUrl();
            GatewayHttp.createTopic(List.of(gateway), "alerted", 2, 2);
            GatewayHttp.produce(gateway, "alerted", 2, 20);
            Response committed = post(gateway, "/v1/groups/" + GROUP + "/offsets",
                    "{\"offsets\":[{\"topic\":\"alerted\",\"partition\":0,\"offset\":3}]}");
            assertThat(committed.status()).as(committed.text()).isEqualTo(200);
            // What the dashboard shows besides: records read, and a group with a member.
            Response read = get(gateway, "/v1/topics/alerted/partitions/0/records?offset=earliest");
            assertThat(read.status()).as(read.text()).isEqualTo(200);
            Response joined = post(gateway, "/v1/groups/dashboard/members",
                    "{\"topics\":[\"alerted\"],\"session_timeout_ms\":60000}");
            assertThat(joined.status()).as(joined.text()).isEqualTo(201);
            Map<String, URI> services = new LinkedHashMap<>();
            services.put("coordinator", cluster.coordinatorUrl());
            services.put("partition-1", cluster.nodeUrl(1));
            services.put("partition-2", cluster.nodeUrl(2));
            services.put("gateway", gateway);
            // Healthy: both replicas in sync, the gateway measured the group's lag, the partitions' gauges registered.
            recorded = Waits.await("a scrape of a healthy cluster with every faulted and refreshed metric",
                    Duration.ofSeconds(60), () -> {
                        List<Series> scrape = scrape(services);
                        boolean healthy = scrape.stream().noneMatch(s -> s.metric().equals(
                                "sluice_coordinator_under_replicated_partitions") && s.value() != 0);
                        boolean complete = Stream.concat(FAULTS.values().stream().map(Fault::metric),
                                REFRESHED.stream()).allMatch(metric -> scrape.stream()
                                .anyMatch(s -> s.metric().equals(metric)));
                        return healthy && complete ? scrape : null;
                    });
        }
    }

    @Test
    void noAlertSelectsAHealthyClusterAndEachSelectsTheRealSeriesOfItsFault() throws Exception {
        Path rules = root.resolve("helm/sluice/files/sluice-alerts.yaml");
        Map<String, String> alerts = alerts(rules);
        assertThat(alerts.keySet()).as("alerts with a fault defined here").containsExactlyInAnyOrderElementsOf(
                FAULTS.keySet());
        run(List.of(promtool.toString(), "check", "rules", rules.toString()));

        StringBuilder tests = new StringBuilder("rule_files:\n  - " + quoted(rules.toString())
                + "\nevaluation_interval: 1m\ntests:\n");
        tests.append(testGroup(recorded, null, alerts.values().stream()
                .map(expr -> exprTest(expr, "[]")).toList()));
        for (Map.Entry<String, String> alert : alerts.entrySet()) {
            Fault fault = FAULTS.get(alert.getKey());
            tests.append(testGroup(recorded, fault, List.of(selectsSomething(alert.getValue()))));
        }
        Path file = dir.resolve("sluice-alerts-test.yaml");
        Files.writeString(file, tests);
        run(List.of(promtool.toString(), "test", "rules", file.toString()));
    }

    /** Each query of each dashboard panel, with Grafana's {@code $__rate_interval} put in, selects a recorded series. */
    @Test
    void everyDashboardQuerySelectsSeriesOfAHealthyCluster() throws Exception {
        List<String> queries = dashboardQueries(root.resolve("helm/sluice/files/sluice-dashboard.json"));
        assertThat(queries).as("dashboard queries").isNotEmpty().allSatisfy(query ->
                assertThat(query.replace("$__rate_interval", "")).as("a Grafana variable other than $__rate_interval")
                        .doesNotContain("$"));

        Path file = dir.resolve("sluice-dashboard-test.yaml");
        Files.writeString(file, "evaluation_interval: 1m\ntests:\n" + testGroup(recorded, null, queries.stream()
                .map(query -> selectsSomething(query.replace("$__rate_interval", RATE_INTERVAL))).toList()));
        run(List.of(promtool.toString(), "test", "rules", file.toString()));
    }

    /** Every {@code expr} of every panel's targets, in panel order. */
    private static List<String> dashboardQueries(Path dashboard) throws IOException {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : SluiceJson.mapper().readTree(dashboard.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asString());
            }
        }
        return queries;
    }

    /** A promtool expression test that passes when {@code expr} selects at least one series (whatever its value). */
    private static String selectsSomething(String expr) {
        return exprTest("count(" + expr + ") > bool 0", "\n          - labels: '{}'\n            value: 1");
    }

    /** Alert name → expression, in file order (each rule's {@code expr} on one line after its comments, as the file writes them). */
    private static Map<String, String> alerts(Path rules) throws IOException {
        Map<String, String> alerts = new LinkedHashMap<>();
        Matcher rule = Pattern.compile("(?m)^\\s*- alert: (\\S+)\\s*\\n(?:\\s*#.*\\n)*\\s*expr: (.+)$").matcher(Files.readString(rules));
        while (rule.find()) {
            alerts.put(rule.group(1), rule.group(2).strip());
        }
        assertThat(alerts).as("alerts in %s", rules).isNotEmpty();
        return alerts;
    }

    /** Every sample of every service, with the labels a Prometheus scrape of that service adds. */
    private static List<Series> scrape(Map<String, URI> services) {
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, URI> service : services.entrySet()) {
            Response scrape = get(service.getValue(), "/actuator/prometheus");
            assertThat(scrape.status()).as("/actuator/prometheus of %s", service.getKey()).isEqualTo(200);
            String added = "instance=\"" + service.getKey() + "\",job=\"sluice\"";
            for (String line : scrape.text().lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                String name = line.substring(0, space);
                int brace = name.indexOf('{');
                String metric = brace < 0 ? name : name.substring(0, brace);
                String selector = brace < 0 ? name + "{" + added + "}"
                        : metric + "{" + added + (name.endsWith("{}") ? "" : ",") + name.substring(brace + 1);
                series.add(new Series(selector, metric, Double.parseDouble(line.substring(space + 1))));
            }
        }
        return series;
    }

    /** One promtool test group: the recorded series, those of {@code fault}'s metric (if any) given its values. */
    private static String testGroup(List<Series> recorded, Fault fault, List<String> exprTests) {
        StringBuilder group = new StringBuilder("  - interval: 1m\n    input_series:\n");
        for (Series s : recorded) {
            String values = fault != null && s.metric().equals(fault.metric()) ? fault.values()
                    : number(s.value()) + HELD;
            group.append("      - series: ").append(quoted(s.selector())).append("\n        values: ")
                    .append(quoted(values)).append('\n');
        }
        group.append("    promql_expr_test:\n");
        exprTests.forEach(group::append);
        return group.toString();
    }

    private static String exprTest(String expr, String samples) {
        return "      - expr: " + quoted(expr) + "\n        eval_time: 30m\n        exp_samples: " + samples + "\n";
    }

    /** A value in promtool's notation: Go parses Java's doubles, but not its infinities and NaN. */
    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s:\n%s", String.join(" ", command), output).isZero();
    }
}
