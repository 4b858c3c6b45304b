package io.sluice.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.ConnectWorker;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console in a real browser against a real cluster (coordinator with its embedded Redis, three partition
 * services, the gateway, the admin UI jar), one cluster and one browser for the class: a person creates a topic, sees
 * it listed and through the API, is refused a bad one with the gateway's problem, produces a record and finds it in
 * the message browser, watches one produced through the API arrive in the live tail (and held while paused), edits a
 * config and deletes the topic by typing its name, searches 20,000 records for the 3 that hold a marker and cancels a
 * search, and watches a partition move's progress, cancels it and decommissions a node and takes it back; and sees
 * the charts of a topic, a group and the cluster gain points and rise when records are produced; and manages a real
 * Kafka Connect worker on the cluster's Kafka listener (started by the last test, stopped by its PID). Each page is
 * saved as a screenshot under {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiBrowserIT {

    private static final String TOPIC = "ui-orders";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Locator.GetByLabelOptions EXACT = new Locator.GetByLabelOptions().setExact(true);
    private static final String PAYMENT_V1 = """
            {"type": "record", "name": "Payment", "namespace": "io.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "amount", "type": "double"}]}""";
    /** Version 1 with a field that has a default: compatible both ways, so FULL may be set after. */
    private static final String PAYMENT_V2 = """
            {"type": "record", "name": "Payment", "namespace": "io.example", "fields": [
              {"name": "id", "type": "string"},
              {"name": "amount", "type": "double"},
              {"name": "note", "type": "string", "default": ""}]}""";

    /** The Connect worker's REST port, chosen before the console starts (its URL is the console's setting). */
    private static final int CONNECT_PORT = ConnectWorker.freePort();
    /** A Connect cluster the console is configured with that nobody runs. */
    private static final int NO_CONNECT_PORT = ConnectWorker.freePort();

    private static SluiceCluster cluster;
    private static Chromium chromium;
    private static Page page;
    private static ConnectWorker connect;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch();
        cluster = SluiceCluster.builder("AdminUiBrowserIT").nodes(3).withAdminUi()
                .args(ServiceKind.PARTITION, "--sluice.partition.replication.shutdown-timeout=1s")
                // Small search pages (200 reads for the 20,000 records), so that a search lasts long enough to cancel.
                .args(ServiceKind.ADMIN_UI, "--sluice.admin-ui.search.page-size=100",
                        "--sluice.admin-ui.chart-refresh=1s",
                        "--sluice.admin-ui.connect.clusters[0].name=local",
                        "--sluice.admin-ui.connect.clusters[0].url=http://127.0.0.1:" + CONNECT_PORT,
                        "--sluice.admin-ui.connect.clusters[1].name=offline",
                        "--sluice.admin-ui.connect.clusters[1].url=http://127.0.0.1:" + NO_CONNECT_PORT)
                // A history point a second (and group lag measured as often), so that charts move within a test;
                // the console's reads masked: ui-masked topics' card numbers (all but the last four digits).
                .args(ServiceKind.GATEWAY, "--sluice.gateway.history.interval=1s",
                        "--sluice.gateway.groups.lag-interval=1s",
                        "--sluice.gateway.masking.rules[0].topics=ui-masked.*",
                        "--sluice.gateway.masking.rules[0].fields=card",
                        "--sluice.gateway.masking.rules[0].pattern=\\d(?=\\d{4})",
                        "--sluice.gateway.masking.rules[0].replacement=*")
                .start();
        page = chromium.newPage();
    }

    @AfterAll
    static void stop() {
        try {
            if (connect != null) {
                connect.close();
            }
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(1)
    void aTopicCreatedInTheConsoleIsListedAndExistsInTheApi() {
        open("/topics");
        page.getByText("Create a topic").click();
        Locator create = page.locator("#create");
        create.getByLabel("Name", EXACT).fill(TOPIC);
        create.getByLabel("Partitions").fill("3");
        create.getByLabel("Replication factor").fill("3");
        create.locator("textarea[name=configs]").fill("retention.ms=86400000");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create topic")).click();

        that(page.getByRole(AriaRole.STATUS)).hasText("Created topic " + TOPIC);
        that(page.locator("#partitions tbody tr")).hasCount(3);
        that(page.locator("#configs tr.override")).containsText("86400000");
        screenshot("topic");

        open("/topics?name=ui-");
        that(page.locator("#topics")).containsText(TOPIC);
        screenshot("topics");

        HttpResponse<String> topic = api("GET", "/v1/topics/" + TOPIC, null);
        assertThat(topic.statusCode()).isEqualTo(200);
        assertThat(topic.body()).contains("\"partition_count\":3", "\"replication_factor\":3", "86400000");
    }

    @Test
    @Order(2)
    void aTopicTheGatewayRefusesShowsItsProblemAndIsNotCreated() {
        open("/topics");
        page.getByText("Create a topic").click();
        page.locator("#create").getByLabel("Name", EXACT).fill("ui-refused");
        page.locator("#create").getByLabel("Partitions").fill("0");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create topic")).click();

        that(page.locator("#create .problem")).containsText("INVALID_PARTITIONS");
        that(page.locator("#create").getByLabel("Name", EXACT)).hasValue("ui-refused");
        screenshot("create-refused");
        assertThat(api("GET", "/v1/topics/ui-refused", null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void aRecordProducedInTheConsoleIsFoundInTheMessageBrowser() {
        open("/topics/" + TOPIC + "/produce");
        page.getByLabel("Key (blank: no key)").fill("user-1");
        page.locator("textarea[name=value]").fill("{\"clicks\": 3, \"page\": \"/home\"}");
        page.locator("textarea[name=headers]").fill("trace: abc-123");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Produce")).click();

        Locator produced = page.locator("#produced");
        that(produced).containsText("Written to partition");
        screenshot("produce");
        produced.getByText("Show it").click();

        Locator row = page.locator("#records tbody tr").first();
        that(row).containsText("user-1");
        that(row).containsText("\"clicks\" : 3");
        that(row).containsText("abc-123");
        screenshot("messages");

        open("/topics/" + TOPIC + "/messages?format=hex");
        that(page.locator("#records")).containsText("7b 22 63 6c 69 63 6b 73 22");
    }

    @Test
    @Order(4)
    void aRecordProducedThroughTheApiAppearsInTheLiveTailWithinTwoSeconds() {
        open("/topics/" + TOPIC + "/live");
        page.waitForFunction("document.body.dataset.live === 'open'");

        HttpResponse<String> produced = api("POST", "/v1/topics/" + TOPIC + "/records?key_format=string",
                "[{\"key\":\"live-1\",\"value\":{\"tail\":true}}]");
        assertThat(produced.statusCode()).isEqualTo(200);

        that(page.locator("#live-rows tr").first()).containsText("live-1",
                new LocatorAssertions.ContainsTextOptions().setTimeout(2_000));
        that(page.locator("#live-count")).hasText("1");
        screenshot("live");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pause")).click();
        api("POST", "/v1/topics/" + TOPIC + "/records?key_format=string", "[{\"key\":\"live-2\",\"value\":2}]");
        that(page.locator("#live-held")).hasText("1");
        that(page.locator("#live-rows")).not().containsText("live-2");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Resume")).click();
        that(page.locator("#live-rows tr").first()).containsText("live-2");
        that(page.locator("#live-rows tr")).hasCount(2);
    }

    @Test
    @Order(5)
    void aConfigEditedInTheConsoleIsAnOverride() {
        open("/topics/" + TOPIC);
        Locator form = page.locator("#edit-config");
        form.getByLabel("Name").fill("retention.ms");
        form.getByLabel("Value").fill("3600000");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set override")).click();

        that(page.getByRole(AriaRole.STATUS)).hasText("Set retention.ms = 3600000");
        that(page.locator("#configs tr.override")).containsText("3600000");
        assertThat(api("GET", "/v1/topics/" + TOPIC + "/configs", null).body()).contains("\"3600000\"");

        form = page.locator("#edit-config");
        form.getByLabel("Name").fill("retention.ms");
        form.getByLabel("Value").fill("soon");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set override")).click();
        that(page.locator("#edit-config .problem")).containsText("INVALID_CONFIG");
        assertThat(api("GET", "/v1/topics/" + TOPIC + "/configs", null).body()).contains("\"3600000\"");
    }

    @Test
    @Order(6)
    void theClusterGroupsAndTransactionsPagesShowTheLiveCluster() {
        open("/cluster");
        that(page.locator("#nodes tbody tr")).hasCount(3);
        that(page.locator(".facts")).containsText("3 / 3");
        screenshot("cluster");
        open("/groups");
        that(page.locator("h1")).hasText("Consumer groups");
        screenshot("groups");

        HttpResponse<String> begun = api("POST", "/v1/transactions", "{\"transactional_id\": \"ui-worker-1\"}");
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        page.locator("header.nav a", new Page.LocatorOptions().setHasText("Transactions")).click();
        that(page.locator("h1")).hasText("Transactions");
        that(page.locator("#transactions tr", new Page.LocatorOptions().setHasText("ui-worker-1")))
                .containsText("EMPTY");
        screenshot("transactions");
    }

    @Test
    @Order(7)
    void aGroupsLagIsShownItsOffsetsResetAfterAPreviewThenDeletedWithTheGroup() {
        String group = "ui-billing";
        HttpResponse<String> committed = api("POST", "/v1/groups/" + group + "/offsets",
                "{\"offsets\": [{\"topic\": \"" + TOPIC + "\", \"partition\": 0, \"offset\": 0}]}");
        assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
        long end = json(api("GET", "/v1/topics/" + TOPIC + "/partitions/0", null)).path("high_watermark").asLong();
        assertThat(end).as("records produced to partition 0 by the earlier tests").isPositive();

        open("/groups");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(group)).click();
        that(page.locator("#lag tbody tr")).hasCount(1);
        that(page.locator("#lag tbody tr td").nth(4)).hasText(Long.toString(end));

        Locator reset = page.locator("#reset");
        reset.getByLabel("Topic", EXACT).fill(TOPIC);
        reset.locator("select[name=to]").selectOption("latest");
        reset.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Preview (dry run)")).click();
        that(page.locator("#plan h3")).hasText("Preview: nothing changed yet");
        assertThat(committedOffset(group)).as("a preview changes nothing").isZero();
        page.locator("#reset").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply")).click();
        that(page.locator("#plan h3")).hasText("Applied");
        assertThat(committedOffset(group)).isEqualTo(end);
        screenshot("group");

        Locator offsets = page.locator("#delete-offsets");
        offsets.locator("select[name=topic]").selectOption(TOPIC);
        offsets.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete offsets")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Deleted the offsets of " + TOPIC);
        assertThat(json(api("GET", "/v1/groups/" + group, null)).path("partitions")).isEmpty();

        Locator delete = page.locator("#delete-group");
        delete.getByLabel("Group id").fill(group);
        delete.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete group")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Deleted group " + group);
        assertThat(api("GET", "/v1/groups/" + group, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(8)
    void aTopicIsDeletedOnlyWhenItsNameIsTyped() {
        open("/topics/" + TOPIC);
        Locator form = page.locator("#delete");
        form.getByLabel("Topic name").fill("ui-order");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete topic")).click();
        that(page.locator("#delete .problem")).containsText("nothing was deleted");
        assertThat(api("GET", "/v1/topics/" + TOPIC, null).statusCode()).isEqualTo(200);

        form = page.locator("#delete");
        form.getByLabel("Topic name").fill(TOPIC);
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete topic")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Deleted topic " + TOPIC);
        that(page.locator("#topics")).not().containsText(TOPIC);
        assertThat(api("GET", "/v1/topics/" + TOPIC, null).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void aSearchOverTwentyThousandRecordsFindsTheThreeThatHoldTheMarker() {
        String topic = "ui-search";
        assertThat(api("POST", "/v1/topics", "{\"name\":\"" + topic + "\",\"partition_count\":3,"
                + "\"replication_factor\":3}").statusCode()).isEqualTo(201);
        String marker = "MARKER-7f3a";
        for (int batch = 0; batch < 4; batch++) {
            StringJoiner records = new StringJoiner(",", "{\"key_format\":\"string\",\"records\":[", "]}");
            for (int i = batch * 5_000; i < (batch + 1) * 5_000; i++) {
                String key = i == 12_345 ? "key-" + marker : "k-" + i;
                String value = i == 4_321 ? "{\"n\":" + i + ",\"note\":\"has " + marker + "\"}" : "{\"n\":" + i + "}";
                String headers = i == 17_777 ? "{\"trace\":\"h-" + marker + "\"}" : "{\"trace\":\"t-" + i + "\"}";
                records.add("{\"partition\":" + (i % 3) + ",\"key\":\"" + key + "\",\"value\":" + value
                        + ",\"headers\":" + headers + "}");
            }
            HttpResponse<String> produced = api("POST", "/v1/topics/" + topic + "/records", records.toString());
            assertThat(produced.statusCode()).isEqualTo(200);
            assertThat(produced.body()).doesNotContain("error_code");
        }

        open("/topics/" + topic + "/messages");
        page.locator("#to-search").click();
        page.getByLabel("Search for").fill(marker);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Search")).click();

        LocatorAssertions.HasTextOptions minute = new LocatorAssertions.HasTextOptions().setTimeout(60_000);
        that(page.locator("#search-status .search-state")).hasText("Done", minute);
        that(page.locator("#search-scanned")).hasText("20000");
        that(page.locator("#search-percent")).hasText("100 %");
        that(page.locator("#search-matches")).hasText("3");
        that(page.locator("#match-rows tr")).hasCount(3);
        that(page.locator("#match-rows")).containsText("has " + marker);
        that(page.locator("#match-rows")).containsText("key-" + marker);
        that(page.locator("#match-rows")).containsText("h-" + marker);
        that(page.locator("#cancel")).isDisabled();
        screenshot("search");
    }

    /**
     * A cancelled search's count stands while the same search, left to run in a second tab, scans all 20,000 records:
     * a search that went on after the cancel would have moved on as well.
     */
    @Test
    @Order(10)
    void aCancelledSearchStopsWhereItWas() {
        open("/topics/ui-search/search?q=absent-text");
        that(page.locator("#search-percent")).isVisible();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel")).click();

        that(page.locator("#search-status .search-state")).hasText("Cancelled");
        that(page.locator("#cancel")).isDisabled();
        String scanned = page.locator("#search-scanned").textContent();
        Page control = chromium.newPage();
        try {
            control.navigate(cluster.adminUrl().resolve("/topics/ui-search/search?q=absent-text").toString());
            LocatorAssertions.HasTextOptions minute = new LocatorAssertions.HasTextOptions().setTimeout(60_000);
            that(control.locator("#search-status .search-state")).hasText("Done", minute);
            that(control.locator("#search-scanned")).hasText("20000");
        } finally {
            control.context().close();
        }
        that(page.locator("#search-scanned")).hasText(scanned);
        that(page.locator("#search-status .search-state")).hasText("Cancelled");
        assertThat(Long.parseLong(scanned)).isLessThan(20_000);
    }

    /**
     * A share group with a record acquired is shown with its holder; a reset while the record is held shows the
     * gateway's NON_EMPTY_GROUP and changes nothing; once it is accepted a previewed reset, then an applied one, move
     * the start offset, and the share group is deleted when its id is typed.
     */
    @Test
    @Order(11)
    void aShareGroupIsShownResetOnlyWhenNothingIsAcquiredAfterAPreviewThenDeleted() {
        String group = "ui-workers";
        String topic = "ui-jobs";
        assertThat(api("POST", "/v1/topics", "{\"name\": \"" + topic + "\", \"partition_count\": 1,"
                + " \"replication_factor\": 3}").statusCode()).isEqualTo(201);
        String take = "{\"topic\": \"" + topic + "\", \"member_id\": \"ui-worker\", \"max_records\": 1}";
        // The first take creates the share-partition at the high watermark; the records produced next are taken.
        assertThat(api("POST", "/v1/share-groups/" + group + "/acquisitions", take).statusCode()).isEqualTo(200);
        assertThat(api("POST", "/v1/topics/" + topic + "/records", "{\"records\": [{\"value\": \"a\"},"
                + " {\"value\": \"b\"}]}").statusCode()).isEqualTo(200);
        JsonNode taken = json(api("POST", "/v1/share-groups/" + group + "/acquisitions", take));
        assertThat(taken.path("records").size()).isEqualTo(1);

        open("/share-groups");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(group)).click();
        that(page.locator("#share-partitions tbody tr")).hasCount(1);
        that(page.locator("#share-partitions tbody tr td").nth(4)).hasText("2");
        that(page.locator("#share-partitions tbody tr td").nth(6)).hasText("1");
        that(page.locator("#lock-holders")).containsText("ui-worker");
        waitFor("#share-lag-chart", "points >= 1");
        that(page.locator("#share-lag-chart .u-legend")).containsText(topic + "-0");
        waitFor("#share-lag-seconds-chart", "points >= 1 && latest >= 0");
        screenshot("share-group");

        Locator reset = page.locator("#reset");
        reset.getByLabel("Topic", EXACT).fill(topic);
        reset.locator("select[name=to]").selectOption("latest");
        reset.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply")).click();
        that(page.locator("#reset .problem")).containsText("NON_EMPTY_GROUP");
        assertThat(startOffset(group)).as("a refused reset changes nothing").isZero();

        assertThat(api("POST", "/v1/share-groups/" + group + "/acknowledgements", "{\"member_id\": \"ui-worker\","
                + " \"acknowledgements\": [{\"topic\": \"" + topic + "\", \"partition\": 0, \"acquisition_id\": "
                + taken.path("records").get(0).path("acquisition_id").asLong() + ", \"type\": \"accept\"}]}")
                .statusCode()).isEqualTo(200);
        reset = page.locator("#reset");
        reset.getByLabel("Topic", EXACT).fill(topic);
        reset.locator("select[name=to]").selectOption("latest");
        reset.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Preview (dry run)")).click();
        that(page.locator("#plan h3")).hasText("Preview: nothing changed yet");
        assertThat(startOffset(group)).as("a preview changes nothing").isEqualTo(1);
        page.locator("#reset").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Apply")).click();
        that(page.locator("#plan h3")).hasText("Applied");
        assertThat(startOffset(group)).isEqualTo(2);

        Locator delete = page.locator("#delete-group");
        delete.getByLabel("Group id").fill(group);
        delete.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete share group")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Deleted share group " + group);
        assertThat(api("GET", "/v1/share-groups/" + group, null).statusCode()).isEqualTo(404);
    }

    /**
     * A partition move as a person sees it on the cluster page: the moving partition, its new replica's progress bar
     * and figures, a rate and an ETA once the page has refreshed itself; cancelled with its button, the partition is
     * back on its node. Then a node is decommissioned and its decommissioning lifted with the nodes' buttons.
     */
    @Test
    @Order(12)
    void aMoveIsDrawnWithItsProgressThenCancelledAndANodeIsDecommissionedAndBackFromTheClusterPage() {
        String topic = "ui-moving";
        assertThat(api("POST", "/v1/topics", "{\"name\": \"" + topic + "\", \"partition_count\": 1,"
                + " \"replication_factor\": 1}").statusCode()).isEqualTo(201);
        // About 2 MB in batches of 16 KB, each well inside the throttle's 32 KiB bucket, so the new replica grows
        // steadily: a batch larger than the bucket passes whole when the bucket is full, and two such batches would
        // copy in two lumps, the second ending the move between two listings of the page, before any rate is drawn.
        String value = "x".repeat(1000);
        String records = java.util.stream.IntStream.range(0, 16).mapToObj(i -> "{\"value\": \"" + value + "\"}")
                .collect(java.util.stream.Collectors.joining(",", "{\"records\": [", "]}"));
        for (int i = 0; i < 125; i++) {
            assertThat(api("POST", "/v1/topics/" + topic + "/records", records).statusCode()).isEqualTo(200);
        }
        int from = json(api("GET", "/v1/topics/" + topic, null)).path("partitions").get(0).path("replicas").get(0)
                .asInt();
        int to = from % 3 + 1;
        // About 2 MB to copy at 32 KiB/s: the move lasts about a minute, longer than the test takes to cancel it.
        assertThat(api("PUT", "/v1/nodes/" + from + "/move-throttle", "{\"bytes_per_second\": 32768}").statusCode())
                .isEqualTo(200);
        try {
            HttpResponse<String> moved = api("POST", "/v1/reassignments", "{\"partitions\": [{\"topic\": \"" + topic
                    + "\", \"partition\": 0, \"replicas\": [" + to + "]}]}");
            assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);

            open("/cluster");
            Locator move = page.locator("#reassignments tr[data-partition='" + topic + "-0']");
            that(move.locator("td").nth(1)).hasText("[" + from + "]");
            that(move.locator("td").nth(2)).hasText("[" + to + "]");
            that(move.locator(".catch-up[data-node='" + to + "'] progress")).isVisible();
            that(move.locator(".catch-up[data-node='" + to + "'] .catch-up-figures")).containsText(" of ");
            // The page lists the moves again every 5 s: from the second listing on, a rate and an ETA.
            that(page.locator("#reassignments tr[data-partition='" + topic + "-0'] .catch-up-figures"))
                    .containsText(java.util.regex.Pattern.compile("/s · ETA \\d"),
                            new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
            that(page.locator("#spread .spread-row")).hasCount(3);
            screenshot("cluster-moving");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel the move of " + topic + "-0"))
                    .click();
            that(page.getByRole(AriaRole.STATUS)).hasText("Cancelled the move of " + topic + "-0");
            that(page.locator("#reassignments")).containsText("No partition is moving.");
            assertThat(json(api("GET", "/v1/topics/" + topic, null)).path("partitions").get(0).path("replicas")
                    .toString()).isEqualTo("[" + from + "]");
        } finally {
            api("DELETE", "/v1/nodes/" + from + "/move-throttle", null);
        }

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Decommission node 3")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Decommissioning node 3");
        that(page.locator("#decommissions tr[data-node='3']")).isVisible();
        that(page.locator("#spread .spread-row[data-node='3']")).containsText("decommissioning");
        assertThat(json(api("GET", "/v1/decommissions", null)).path("decommissions").get(0).path("node_id").asInt())
                .isEqualTo(3);
        screenshot("cluster-decommissioning");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Stop decommissioning node 3")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Node 3 is no longer being decommissioned");
        that(page.locator("#decommissions")).hasCount(0);
        assertThat(json(api("GET", "/v1/decommissions", null)).path("decommissions").size()).isZero();
    }

    @Test
    @Order(13)
    void aSchemaIsRegisteredCheckedEvolvedAndComparedAndRecordsAreBrowsedDecodedByTheirSchema() {
        String subject = "ui-payments-value";
        open("/schemas");
        page.getByText("Register a schema").click();
        Locator register = page.locator("#register");
        register.getByLabel("Subject").fill(subject);
        register.locator("textarea[name=schema]").fill(PAYMENT_V1);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register")).click();
        that(page.getByRole(AriaRole.STATUS)).containsText("is registered under " + subject);
        that(page.locator("#versions tbody tr")).hasCount(1);

        Locator candidate = page.locator("#candidate");
        candidate.locator("textarea[name=schema]").fill(PAYMENT_V1.replace("\"double\"", "\"string\""));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Check compatibility")).click();
        that(page.locator("#check")).containsText("Not compatible");
        that(page.locator("#check li")).not().hasCount(0);
        that(page.locator("#versions tbody tr")).hasCount(1);
        screenshot("schema-check");

        page.locator("#candidate textarea[name=schema]").fill(PAYMENT_V2);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Register as a new version")).click();
        that(page.getByRole(AriaRole.STATUS)).containsText("is registered under " + subject);
        that(page.locator("#versions tbody tr")).hasCount(2);
        that(page.locator("#diff tr.insert", new Page.LocatorOptions().setHasText("\"note\""))).hasCount(1);

        page.locator("#subject-config select[name=level]").selectOption("FULL");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set level")).click();
        that(page.locator("#level")).hasText("FULL");
        screenshot("schema-subject");
        assertThat(json(api("GET", "/schema-registry/config/" + subject, null)).path("compatibilityLevel").asString())
                .isEqualTo("FULL");

        assertThat(api("POST", "/v1/topics", "{\"name\":\"ui-payments\",\"partition_count\":1,"
                + "\"replication_factor\":3}").statusCode()).isEqualTo(201);
        assertThat(api("POST", "/v1/topics/ui-payments/records?value_subject=" + subject,
                "[{\"key\":\"p-1\",\"value\":{\"id\":\"p-1\",\"amount\":12.5,\"note\":\"gift\"}}]")
                .statusCode()).isEqualTo(200);
        assertThat(api("POST", "/v1/topics/ui-payments/records", "[{\"key\":\"p-2\",\"value\":{\"plain\":true}}]")
                .statusCode()).isEqualTo(200);

        open("/topics/ui-payments/messages?format=schema");
        Locator decoded = page.locator("#records tbody tr").first();
        that(decoded).containsText("\"note\" : \"gift\"");
        that(decoded.locator("a.fmt")).hasText("schema " + json(api("GET",
                "/schema-registry/subjects/" + subject + "/versions/2", null)).path("id").asInt());
        that(page.locator("#records tbody tr").nth(1)).containsText("\"plain\" : true");
        screenshot("messages-schema");

        decoded.locator("a.fmt").click();
        that(page.locator("#holders")).containsText(subject);
        that(page.locator("#schema-text")).containsText("\"note\"");

        open("/schemas?prefix=ui-");
        that(page.locator("#subjects")).containsText(subject);
        screenshot("schemas");
    }

    @Test
    @Order(14)
    void aMaskedFieldNeverReachesTheBrowserWhileTheApiWithoutMaskingHasIt() {
        String card = "4111111111111111";
        assertThat(api("POST", "/v1/topics", "{\"name\":\"ui-masked-payments\",\"partition_count\":1,"
                + "\"replication_factor\":3}").statusCode()).isEqualTo(201);
        assertThat(api("POST", "/v1/topics/ui-masked-payments/records",
                "[{\"key\":\"p-1\",\"value\":{\"id\":\"p-1\",\"card\":\"" + card + "\"}}]").statusCode())
                .isEqualTo(200);

        open("/topics/ui-masked-payments/messages");
        that(page.locator("#records tbody tr").first()).containsText("\"card\" : \"************1111\"");
        assertThat(page.content()).doesNotContain(card);
        screenshot("messages-masked");
        open("/topics/ui-masked-payments/messages?format=hex");
        that(page.locator("#records tbody tr")).hasCount(1);
        assertThat(page.content()).doesNotContain(card).doesNotContain(hex(card));

        assertThat(api("GET", "/v1/topics/ui-masked-payments/records", null).body()).as("the API, not asking")
                .contains(card);
    }

    private static String hex(String text) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    @Order(15)
    void chartsOfATopicAGroupAndTheClusterGainPointsAndRiseWhenRecordsAreProduced() {
        String topic = "ui-charts";
        String group = "ui-chart-readers";
        assertThat(api("POST", "/v1/topics", "{\"name\": \"" + topic + "\", \"partition_count\": 2,"
                + " \"replication_factor\": 3}").statusCode()).isEqualTo(201);
        produce(topic, 0, 20);
        HttpResponse<String> committed = api("POST", "/v1/groups/" + group + "/offsets",
                "{\"offsets\": [{\"topic\": \"" + topic + "\", \"partition\": 0, \"offset\": 5}]}");
        assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);

        open("/topics/" + topic);
        waitFor("#size-chart", "points >= 2 && latest > 0");
        waitFor("#produce-chart", "points >= 2");
        that(page.locator("#produce-chart canvas").first()).isVisible();
        that(page.locator("#produce-chart .u-legend")).containsText("all partitions");
        Chart size = chart("#size-chart");
        Chart produced = chart("#produce-chart");

        produce(topic, 1, 300);
        waitFor("#size-chart", "points > " + size.points() + " && latest > " + size.latest());
        waitFor("#produce-chart", "points > " + produced.points() + " && peak > " + produced.peak());
        that(page.locator("#produce-chart .chart-status")).containsText("points over the last 60 min");
        screenshot("topic-charts");

        open("/groups/" + group);
        waitFor("#lag-chart", "points >= 1 && latest === 15");
        that(page.locator("#lag-chart .u-legend")).containsText(topic + "-0");
        produce(topic, 0, 10);
        waitFor("#lag-chart", "latest === 25");
        // Lag in seconds: how long ago the oldest record not yet committed (offset 5, produced above) was appended.
        waitFor("#lag-seconds-chart", "points >= 1 && latest > 0");
        that(page.locator("#lag-seconds-chart .u-legend")).containsText(topic + "-0");
        screenshot("group-charts");

        // The group commits 20 records further: the topic's consume chart draws a rate above zero.
        HttpResponse<String> advanced = api("POST", "/v1/groups/" + group + "/offsets",
                "{\"offsets\": [{\"topic\": \"" + topic + "\", \"partition\": 0, \"offset\": 25}]}");
        assertThat(advanced.statusCode()).as(advanced.body()).isEqualTo(200);
        open("/topics/" + topic);
        waitFor("#consume-chart", "points >= 1 && peak > 0");

        open("/cluster");
        waitFor("#node-size-chart", "points >= 2");
        that(page.locator("#node-size-chart .u-legend")).containsText("node 1");
        waitFor("#latency-chart", "points >= 1");
        that(page.locator("#latency-chart .u-legend")).containsText("produce latency p99");
        screenshot("cluster-charts");
    }

    /**
     * A real Connect worker (Connect 4.3.1's distributed worker, a process of its own) on the cluster's Kafka listener:
     * a FileStreamSource created from JSON in the console (after Connect refused one without a topic, shown next to
     * the form) runs its task and its lines reach the topic through the gateway; pause, resume and restart show in the
     * page and in Connect's REST API; a FileStreamSink whose file cannot be created shows its failed task's trace; both
     * are deleted by typing their names. The worker is stopped by its PID.
     */
    @Test
    @Order(16)
    void aConnectorCreatedFromJsonRunsIsPausedResumedRestartedAndDeletedAndAFailedTaskShowsItsTrace()
            throws IOException {
        String topic = "ui-lines";
        String source = "ui-file-source";
        String sink = "ui-file-sink";
        Path work = Files.createDirectories(cluster.baseDir().resolve("connect"));
        Path lines = Files.writeString(work.resolve("lines.txt"), "line-1\nline-2\nline-3\n");
        assertThat(api("POST", "/v1/topics", "{\"name\": \"" + topic + "\", \"partition_count\": 1,"
                + " \"replication_factor\": 3}").statusCode()).isEqualTo(201);
        connect = ConnectWorker.start("connect-worker", CONNECT_PORT,
                ConnectWorker.settings(cluster.kafkaBootstrap(), "ui-connect", "ui-connect"), work,
                Path.of("target", "cluster-logs", "AdminUiBrowserIT", "connect-worker.log").toAbsolutePath());
        try {
            open("/connect");
            that(page.locator("#cluster-local")).containsText("No connectors.");
            that(page.locator("#cluster-offline .problem")).containsText("CONNECT_UNREACHABLE");

            page.locator("#cluster-local").getByText("Create a connector…").click();
            that(page.locator("#plugins")).containsText("org.apache.kafka.connect.file.FileStreamSourceConnector");
            String noTopic = "{\"name\": \"" + source + "\", \"config\": {\"connector.class\":"
                    + " \"org.apache.kafka.connect.file.FileStreamSourceConnector\", \"tasks.max\": \"1\","
                    + " \"file\": \"" + lines + "\"}}";
            page.locator("#create textarea[name=json]").fill(noTopic);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create connector")).click();
            that(page.locator("#create .problem")).containsText("topic");
            that(page.locator("#create textarea[name=json]")).hasValue(noTopic);
            screenshot("connect-create-refused");
            assertThat(connect.get("/connectors/" + source).status()).as("nothing created").isEqualTo(404);

            page.locator("#create textarea[name=json]").fill(noTopic.replace("\"tasks.max\"",
                    "\"topic\": \"" + topic + "\", \"tasks.max\""));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create connector")).click();
            that(page.getByRole(AriaRole.STATUS)).hasText("Created connector " + source);
            awaitConnector("RUNNING", "RUNNING");
            that(page.locator("#config textarea")).containsText(topic);
            Waits.await("the file's lines in " + topic + " through the gateway", Duration.ofSeconds(60), () -> {
                String records = api("GET", "/v1/topics/" + topic + "/partitions/0/records?offset=0", null).body();
                return records.contains("line-1") && records.contains("line-3") ? records : null;
            });
            screenshot("connector");

            page.locator("#state").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pause"))
                    .click();
            that(page.getByRole(AriaRole.STATUS)).hasText("Pausing " + source);
            awaitConnector("PAUSED", "PAUSED");
            assertThat(connectState(source)).isEqualTo("PAUSED");
            open("/connect");
            that(page.locator("#cluster-local .connectors")).containsText("PAUSED");
            screenshot("connect");

            open("/connect/local/connectors/" + source);
            page.locator("#state").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Resume"))
                    .click();
            awaitConnector("RUNNING", "RUNNING");
            assertThat(connectState(source)).isEqualTo("RUNNING");

            page.locator("#restart").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Restart"))
                    .click();
            that(page.getByRole(AriaRole.STATUS)).hasText("Restarting " + source + " and its tasks");
            awaitConnector("RUNNING", "RUNNING");
            assertThat(connectState(source)).isEqualTo("RUNNING");

            open("/connect/local/new");
            page.locator("#create").getByLabel("Name", EXACT).fill(sink);
            page.locator("#create textarea[name=json]").fill("{\"connector.class\":"
                    + " \"org.apache.kafka.connect.file.FileStreamSinkConnector\", \"topics\": \"" + topic + "\","
                    + " \"file\": \"" + work.resolve("no-such-dir").resolve("out.txt") + "\"}");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create connector")).click();
            awaitConnector("RUNNING", "FAILED");
            that(page.locator("#tasks pre.trace")).containsText("Couldn't find or create file");
            screenshot("connector-failed");
            open("/connect");
            that(page.locator("#cluster-local .connectors tr.bad")).containsText(sink);

            deleteConnector(sink);
            deleteConnector(source);
            that(page.locator("#cluster-local")).containsText("No connectors.");
            assertThat(connect.get("/connectors/" + source).status()).isEqualTo(404);
        } finally {
            connect.close();
        }
    }

    /** Reloads the connector's page until it shows the connector and its first task in these states: 60 s. */
    private static void awaitConnector(String state, String taskState) {
        Waits.await("the connector " + state + " with a task " + taskState + " on " + page.url(),
                Duration.ofSeconds(60), () -> {
                    page.reload();
                    return state.equals(page.locator("#connector-state").textContent())
                            && page.locator("#tasks td.state").count() > 0
                            && taskState.equals(page.locator("#tasks td.state").first().textContent()) ? true : null;
                });
    }

    /** The connector's state as Connect's REST API answers it. */
    private static String connectState(String connector) {
        return connect.get("/connectors/" + connector + "/status").json().path("connector").path("state")
                .asString();
    }

    private static void deleteConnector(String connector) {
        open("/connect/local/connectors/" + connector);
        page.locator("#delete").getByLabel("Connector name").fill(connector);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete connector")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Deleted connector " + connector + " of local");
    }

    /** What a chart says it shows: the instants drawn, and its first series' newest and highest values. */
    private record Chart(int points, double latest, double peak) {
    }

    private static Chart chart(String selector) {
        Locator figure = page.locator(selector);
        return new Chart(Integer.parseInt(figure.getAttribute("data-points")),
                Double.parseDouble(figure.getAttribute("data-latest")),
                Double.parseDouble(figure.getAttribute("data-peak")));
    }

    /**
     * Waits until the chart's {@code condition} holds, over its {@code points}, {@code latest} and {@code peak} (the
     * console asks for history every second): 30 s, then the test fails.
     */
    private static void waitFor(String selector, String condition) {
        page.waitForFunction("selector => { const f = document.querySelector(selector);"
                        + " if (!f || !f.dataset.points) { return false; }"
                        + " const points = Number(f.dataset.points), latest = Number(f.dataset.latest),"
                        + " peak = Number(f.dataset.peak); return " + condition + "; }", selector,
                new Page.WaitForFunctionOptions().setTimeout(30_000));
    }

    /** {@code count} small records to one partition through the API. */
    private static void produce(String topic, int partition, int count) {
        StringJoiner records = new StringJoiner(",", "[", "]");
        for (int i = 0; i < count; i++) {
            records.add("{\"partition\": " + partition + ", \"value\": {\"n\": " + i + "}}");
        }
        HttpResponse<String> produced = api("POST", "/v1/topics/" + topic + "/records", records.toString());
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
    }

    /** The search's 20,000 records (test 9): its matches, then every record, exported as files. */
    @Test
    @Order(17)
    void aSearchsMatchesAndAWholeRangeAreExportedAsFilesWithTheirProgressShown() throws IOException {
        String topic = "ui-search";
        open("/topics/" + topic + "/search?q=MARKER-7f3a");
        Download matches = page.waitForDownload(() -> page.locator("#export-csv").click());
        Path csv = Files.createTempFile(SCREENSHOTS.getParent(), "export", ".csv");
        try {
            matches.saveAs(csv);
            List<String> lines = Files.readAllLines(csv);
            assertThat(matches.suggestedFilename()).isEqualTo(topic + ".csv");
            assertThat(lines).hasSize(4);
            assertThat(lines.getFirst()).startsWith("topic,partition,offset,timestamp,key_format,key");
            assertThat(String.join("\n", lines.subList(1, 4))).contains("key-MARKER-7f3a", "has MARKER-7f3a",
                    "h-MARKER-7f3a");
        } finally {
            Files.deleteIfExists(csv);
        }
        that(page.locator("#export-exported")).hasText("3");
        that(page.locator("#export-state")).hasText("Done");

        open("/topics/" + topic + "/messages");
        page.locator("#to-export").click();
        that(page.locator("#export")).containsText("Export every record of this range");
        Download all = page.waitForDownload(() -> page.locator("#export-jsonl").click());
        Path jsonl = Files.createTempFile(SCREENSHOTS.getParent(), "export", ".jsonl");
        try {
            all.saveAs(jsonl);
            try (var lines = Files.lines(jsonl)) {
                assertThat(lines.map(line -> json(line).path("offset").asLong()).count()).isEqualTo(20_000);
            }
        } finally {
            Files.deleteIfExists(jsonl);
        }
        that(page.locator("#export-exported")).hasText("20000");
        that(page.locator("#export-percent")).hasText("100 %");
        screenshot("export");
    }

    private static long startOffset(String group) {
        return json(api("GET", "/v1/share-groups/" + group, null)).path("partitions").get(0).path("start_offset")
                .asLong();
    }

    /** Playwright's auto-waiting assertions on what the page shows. */
    private static LocatorAssertions that(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }

    private static long committedOffset(String group) {
        return json(api("GET", "/v1/groups/" + group, null)).path("partitions").get(0).path("committed_offset").asLong();
    }

    private static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private static void open(String path) {
        page.navigate(cluster.adminUrl().resolve(path).toString());
    }

    private static void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    private static HttpResponse<String> api(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
