package io.sluice.adminui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.Disposable;

/**
 * Every page against a fake gateway: what a person sees for the API's answers, the API's problems shown as their
 * detail next to what caused them, and bad form input refused without a call that would change anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S") // not 5 s: a machine that stalls for seconds is slow, not wrong
class ConsolePagesTest extends PageRequests {

    private static final FakeGateway GATEWAY = new FakeGateway();

    private static final String TOPIC = """
            {"name":"orders","topic_id":"t-1","partition_count":2,"replication_factor":3,
             "configs":[{"name":"retention.ms","value":"604800000","is_default":true,"documentation":"How long"},
                        {"name":"cleanup.policy","value":"compact","is_default":false,"documentation":"Policy"}],
             "partitions":[{"partition":0,"leader":1,"replicas":[1,2,3],"isr":[1,2,3],"leader_epoch":0,
                            "log_start_offset":0,"high_watermark":10,"log_end_offset":10},
                           {"partition":1,"leader":2,"replicas":[2,3,1],"isr":[2,3],"leader_epoch":4,
                            "log_start_offset":5,"high_watermark":7,"log_end_offset":7}]}""";

    /** How the console asks for a topic: with what the user may do with it. */
    private static final String ORDERS = "/v1/topics/orders?include_authorized_operations=true";

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("sluice.admin-ui.gateway-url", GATEWAY::url);
        registry.add("sluice.admin-ui.page-size", () -> "2");
        registry.add("sluice.admin-ui.search.page-size", () -> "3");
    }

    @AfterAll
    static void stop() {
        GATEWAY.close();
    }

    @BeforeEach
    void resetGateway() {
        GATEWAY.reset();
        GATEWAY.json("GET", "/v1/topics/orders", TOPIC);
    }

    @Test
    void topicsListShowsEachTopicWithPartitionsReplicationSizeAndMessagesAndFiltersByName() {
        GATEWAY.json("GET", "/v1/topics", """
                {"topics":[{"name":"orders","topic_id":"a","partition_count":6,"replication_factor":3,
                            "under_replicated_partitions":[2],"offline_partitions":[],"size_bytes":3221225,
                            "record_count":12345},
                           {"name":"ordinals","topic_id":"b","partition_count":1,"replication_factor":1,
                            "under_replicated_partitions":[],"offline_partitions":[],"size_bytes":null,
                            "record_count":null}]}""");

        String page = get("/topics?name=ord");

        assertThat(page).contains(">orders</a>", ">6</td>", "class=\"warn\"", "value=\"ord\"", ">3.07 MiB</td>",
                ">12,345</td>");
        assertThat(page).as("a node that did not answer: unknown, not zero").contains(">ordinals</a>", ">—</td>");
        assertThat(page).as("no defaults from the gateway: the list still shows")
                .contains("The gateway did not list the config defaults.");
        // The page asks for the topics and for the config defaults at once: the order of the two calls varies.
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery).contains("/v1/topics?name=ord");
    }

    @Test
    void createFormShowsEveryConfigsDefault() {
        GATEWAY.json("GET", "/v1/topics", "{\"topics\":[]}");
        GATEWAY.json("GET", "/v1/cluster/topic-configs", """
                {"configs":[{"name":"cleanup.policy","value":"delete","is_default":true,"documentation":"What to do"},
                            {"name":"retention.ms","value":"604800000","is_default":true,"documentation":"How long"}]}""");

        String page = get("/topics");

        assertThat(page).contains("id=\"config-defaults\"", "<code>retention.ms</code>", "<code>604800000</code>",
                ">How long</td>").doesNotContain("did not list the config defaults");
    }

    @Test
    void aGatewayProblemIsShownAsItsDetailNeverAStackTrace() {
        GATEWAY.problem("GET", "/v1/topics", 503, "COORDINATOR_NOT_AVAILABLE", "No coordinator is active");

        String page = page("/topics", 502);

        assertThat(page).contains("No coordinator is active", "COORDINATOR_NOT_AVAILABLE").doesNotContain("at io.");
    }

    @Test
    void anUnknownTopicIsA404PageNamingIt() {
        GATEWAY.problem("GET", "/v1/topics/nope", 404, "UNKNOWN_TOPIC", "Topic 'nope' does not exist");

        String page = page("/topics/nope", 404);

        assertThat(page).contains("Topic &#39;nope&#39; does not exist");
    }

    @Test
    void anAnswerThatIsNotAProblemIsShownAsTheGatewaysStatus() {
        GATEWAY.answer("GET", "/v1/cluster", 500, "text/html", "<html>proxy error</html>");
        GATEWAY.json("GET", "/v1/nodes", "{\"nodes\":[]}");

        String page = page("/cluster", 502);

        assertThat(page).contains("The gateway answered 500").doesNotContain("proxy error", "Exception");
    }

    @Test
    void createSendsTheFormAsTheApiNamesItAndRedirectsToTheTopic() {
        GATEWAY.answer("POST", "/v1/topics", 201, "application/json", "{}");

        web.post().uri("/topics").body(form("name", "orders", "partitions", "6", "replicationFactor", "3",
                        "configs", "retention.ms=1000\ncleanup.policy = compact"))
                .exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", "/topics/orders\\?notice=.*");

        assertThat(GATEWAY.calls("POST").getFirst().body()).isEqualTo("{\"name\":\"orders\",\"partition_count\":6,"
                + "\"replication_factor\":3,\"configs\":[{\"name\":\"retention.ms\",\"value\":\"1000\"},"
                + "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}]}");
    }

    @Test
    void aCreateTheGatewayRefusesShowsItsProblemNextToTheFormKeepingWhatWasTyped() {
        GATEWAY.json("GET", "/v1/topics", "{\"topics\":[]}");
        GATEWAY.problem("POST", "/v1/topics", 400, "INVALID_PARTITIONS", "partition_count must be between 1 and 10000, was 0");

        String page = post("/topics", form("name", "orders", "partitions", "0", "replicationFactor", "3", "configs", ""), 422);

        assertThat(page).contains("partition_count must be between 1 and 10000, was 0 (INVALID_PARTITIONS)",
                "value=\"orders\"", "value=\"0\"", "<details class=\"panel\" id=\"create\" open");
    }

    @Test
    void aPartitionCountThatIsNotANumberIsRefusedWithoutAskingTheGateway() {
        GATEWAY.json("GET", "/v1/topics", "{\"topics\":[]}");

        String page = post("/topics", form("name", "orders", "partitions", "six", "replicationFactor", "3"), 422);

        assertThat(page).contains("Partitions must be a whole number, was &#39;six&#39;");
        assertThat(GATEWAY.calls("POST")).isEmpty();
    }

    @Test
    void topicPageHighlightsOutOfSyncReplicasAndShowsOffsetsAndOverrides() {
        String page = get("/topics/orders");

        assertThat(page).contains("class=\"replica out\" title=\"out of sync\">1</span>")
                .contains("<tr class=\"warn\">", ">12</dd>", "<tr class=\"override\">", ">override</td>");
    }

    @Test
    void theTopicPageOffersOnlyWhatTheUsersAclsAllow() {
        GATEWAY.json("GET", "/v1/topics/orders", TOPIC.replace("\"partitions\":[{",
                "\"authorized_operations\":[\"READ\",\"DESCRIBE\",\"ALTER_CONFIGS\"],\"partitions\":[{"));

        String page = get("/topics/orders");

        assertThat(page).contains("id=\"edit-config\"").doesNotContain("id=\"add-partitions\"", "id=\"delete\"")
                .contains("Your ACLs do not let you add partitions (ALTER), delete the topic (DELETE).");
        GATEWAY.json("GET", "/v1/topics/orders", TOPIC);
        assertThat(get("/topics/orders")).as("a gateway that does not say: every action offered")
                .contains("id=\"add-partitions\"", "id=\"delete\"").doesNotContain("id=\"withheld\"");
    }

    @Test
    void theAuditPageListsTheGatewaysLatestEntriesOrItsRefusal() {
        GATEWAY.json("GET", "/v1/audit", """
                {"entries":[{"time":"2026-11-23T12:00:01Z","kind":"authorization","principal":"User:bob",
                  "operation":"WRITE","resource_type":"TOPIC","resource_name":"orders","outcome":"DENIED",
                  "status":null,"request":"POST /v1/topics/orders/records"},
                 {"time":"2026-11-23T12:00:00Z","kind":"admin","principal":"User:admin","operation":"ALTER",
                  "resource_type":"CLUSTER","resource_name":"kafka-cluster","outcome":"SUCCEEDED","status":201,
                  "request":"POST /v1/acls"}]}""");

        String page = get("/audit");

        assertThat(page).contains(">User:bob</td>", ">TOPIC orders</td>", ">DENIED</td>", ">SUCCEEDED (201)</td>",
                "POST /v1/acls</code>");
        assertThat(page.indexOf("User:bob")).as("newest first, as answered").isLessThan(page.indexOf("User:admin"));
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery).contains("/v1/audit?limit=200");

        GATEWAY.problem("GET", "/v1/audit", 400, "SECURITY_DISABLED", "Security is off: nothing is audited");
        assertThat(page("/audit", 400)).contains("Security is off: nothing is audited");
    }

    @Test
    void theAuditPagesFiltersAreAskedOfTheGatewayAndKeptInTheForm() {
        GATEWAY.json("GET", "/v1/audit", "{\"entries\":[]}");

        String page = get("/audit?principal=User:bob&kind=authorization&outcome=DENIED&resourceType=TOPIC"
                + "&resourceName=ord");

        assertThat(GATEWAY.calls().getLast().pathAndQuery()).isEqualTo("/v1/audit?limit=200&principal=User%3Abob"
                + "&kind=authorization&outcome=DENIED&resource_type=TOPIC&resource_name=ord");
        assertThat(page).contains("value=\"User:bob\"", "<option value=\"DENIED\" selected=\"selected\">",
                "value=\"ord\"");
        get("/audit?principal=&kind=");
        assertThat(GATEWAY.calls().getLast().pathAndQuery()).isEqualTo("/v1/audit?limit=200");
        assertThat(get("/audit?kind=authentication")).contains(
                "<option value=\"authentication\" selected=\"selected\">Failed sign-ins</option>");
        assertThat(GATEWAY.calls().getLast().pathAndQuery()).isEqualTo("/v1/audit?limit=200&kind=authentication");
    }

    @Test
    void theAccessPageListsAclsUsersAndQuotasAndShowsEachRefusalInItsPlace() {
        GATEWAY.json("GET", "/v1/acls", """
                {"acls":[{"principal":"User:alice","resource_type":"TOPIC","resource_name":"orders",
                          "pattern_type":"LITERAL","operation":"READ","permission":"ALLOW"},
                         {"principal":"User:bob","resource_type":"TOPIC","resource_name":"logs-",
                          "pattern_type":"PREFIXED","operation":"ALL","permission":"DENY"}]}""");
        GATEWAY.json("GET", "/v1/users", """
                {"users":[{"principal":"User:admin","super_user":true},{"principal":"User:alice","super_user":false}],
                 "super_users":["User:admin"],"password_sign_in":true,"token_sign_in":false}""");
        GATEWAY.problem("GET", "/v1/quotas", 403, "CLUSTER_AUTHORIZATION_FAILED", "Not allowed to describe quotas");

        String page = get("/access?principal=User:alice&resourceType=TOPIC");

        assertThat(page).contains(">User:alice</td>", ">READ</td>", ">TOPIC orders</td>", ">PREFIXED</td>",
                        "super user</td>", "id=\"super-users\">User:admin<")
                .contains("Not allowed to describe quotas (CLUSTER_AUTHORIZATION_FAILED)");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery)
                .contains("/v1/acls?principal=User%3Aalice&resource_type=TOPIC");

        GATEWAY.json("GET", "/v1/quotas", """
                {"defaults":{"produce_bytes_per_second":1048576,"fetch_bytes_per_second":null,
                 "requests_per_second":50.0},"overrides":[{"principal":"User:bob","rates":{
                 "produce_bytes_per_second":null,"fetch_bytes_per_second":null,"requests_per_second":null}}],
                 "unlimited":["User:admin"],"set":[{"entity":{"user":{"name":"bob"},"client_id":{"name":null}},
                 "rates":{"producer_byte_rate":1048576.0,"request_rate":2.5}}]}""");
        assertThat(get("/access")).contains("1.00 MiB/s", ">unlimited</td>", ">User:bob</td>", "super user: no quota",
                "<td>bob</td>", "<td>(default)</td>", "<td>producer_byte_rate=1048576, request_rate=2.5</td>");
    }

    @Test
    void anAclIsCreatedFromTheFormDeletedFromItsRowAndARefusalKeepsWhatWasTyped() {
        GATEWAY.json("GET", "/v1/acls", "{\"acls\":[]}");
        GATEWAY.json("GET", "/v1/users", "{\"users\":[],\"super_users\":[],\"password_sign_in\":true,"
                + "\"token_sign_in\":false}");
        GATEWAY.json("GET", "/v1/quotas", "{\"defaults\":{},\"overrides\":[],\"unlimited\":[]}");
        GATEWAY.answer("POST", "/v1/acls", 201, "application/json", "{}");
        GATEWAY.json("DELETE", "/v1/acls", "{\"acls\":[{\"principal\":\"User:carol\"}]}");

        web.post().uri("/access/acls").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("principal", " User:carol ", "permission", "ALLOW", "operation", "WRITE", "resourceType",
                        "TOPIC", "resourceName", "orders", "patternType", "LITERAL"))
                .exchange().expectStatus().is3xxRedirection();
        assertThat(GATEWAY.calls("POST").getLast().body()).isEqualTo("{\"principal\":\"User:carol\","
                + "\"resource_type\":\"TOPIC\",\"resource_name\":\"orders\",\"pattern_type\":\"LITERAL\","
                + "\"operation\":\"WRITE\",\"permission\":\"ALLOW\"}");

        web.post().uri("/access/acls/delete").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("principal", "User:carol", "permission", "ALLOW", "operation", "WRITE", "resourceType",
                        "TOPIC", "resourceName", "orders", "patternType", "LITERAL"))
                .exchange().expectStatus().is3xxRedirection();
        assertThat(GATEWAY.calls("DELETE").getLast().pathAndQuery()).isEqualTo("/v1/acls?principal=User%3Acarol"
                + "&resource_type=TOPIC&resource_name=orders&pattern_type=LITERAL&operation=WRITE&permission=ALLOW");

        GATEWAY.problem("POST", "/v1/acls", 400, "INVALID_REQUEST", "principal must be User:<name>");
        String refused = post("/access/acls", form("principal", "alice", "permission", "ALLOW", "operation", "READ",
                "resourceType", "TOPIC", "resourceName", "orders", "patternType", "LITERAL"), 422);
        assertThat(refused).contains("principal must be User:&lt;name&gt; (INVALID_REQUEST)", "value=\"alice\"",
                "<details class=\"panel\" id=\"create-acl\" open");
    }

    @Test
    void scramUsersAreListedTheirCredentialsSetFromAPasswordAndDeletedAndARefusalNeverShowsThePassword() {
        GATEWAY.json("GET", "/v1/acls", "{\"acls\":[]}");
        GATEWAY.json("GET", "/v1/users", """
                {"users":[],"scram_users":[{"principal":"User:carol","super_user":false,"credentials":[
                 {"mechanism":"SCRAM-SHA-256","iterations":4096},{"mechanism":"SCRAM-SHA-512","iterations":8192}]}],
                 "super_users":[],"password_sign_in":true,"token_sign_in":false}""");
        GATEWAY.json("GET", "/v1/quotas", "{\"defaults\":{},\"overrides\":[],\"unlimited\":[]}");

        assertThat(get("/access")).contains(">User:carol</td>", ">SCRAM-SHA-256</td>", ">8192</td>",
                "aria-label=\"Delete the SCRAM-SHA-512 credential of User:carol\"");

        GATEWAY.json("PUT", "/v1/users/dave/scram-credentials/SCRAM-SHA-512", "{}");
        web.post().uri("/access/scram").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("user", " User:dave ", "mechanism", "SCRAM-SHA-512", "password", "dave-secret",
                        "iterations", "8192"))
                .exchange().expectStatus().is3xxRedirection();
        assertThat(GATEWAY.calls("PUT").getLast().body())
                .isEqualTo("{\"password\":\"dave-secret\",\"iterations\":8192}");

        GATEWAY.answer("DELETE", "/v1/users/carol/scram-credentials/SCRAM-SHA-256", 204, "application/json", "");
        web.post().uri("/access/scram/delete").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("user", "carol", "mechanism", "SCRAM-SHA-256"))
                .exchange().expectStatus().is3xxRedirection();
        assertThat(GATEWAY.calls("DELETE").getLast().pathAndQuery())
                .isEqualTo("/v1/users/carol/scram-credentials/SCRAM-SHA-256");

        GATEWAY.problem("PUT", "/v1/users/erin/scram-credentials/SCRAM-SHA-512", 400, "UNACCEPTABLE_CREDENTIAL",
                "iterations must be 4096 to 16384, was 100");
        String refused = post("/access/scram", form("user", "erin", "mechanism", "SCRAM-SHA-512", "password",
                "erin-secret", "iterations", "100"), 422);
        assertThat(refused).contains("iterations must be 4096 to 16384, was 100 (UNACCEPTABLE_CREDENTIAL)",
                "value=\"erin\"", "<details class=\"panel\" id=\"set-scram\" open").doesNotContain("erin-secret");
    }

    @Test
    void aQuotaIsSetFromTheFormRemovedFromItsRowAndARefusalKeepsWhatWasTyped() {
        GATEWAY.json("GET", "/v1/acls", "{\"acls\":[]}");
        GATEWAY.json("GET", "/v1/users", "{\"users\":[],\"super_users\":[],\"password_sign_in\":true,"
                + "\"token_sign_in\":false}");
        GATEWAY.json("GET", "/v1/quotas", """
                {"defaults":{},"overrides":[],"unlimited":[],"set":[
                 {"entity":{"user":{"name":"bob"},"client_id":{"name":null}},"rates":{"producer_byte_rate":1024.0}}]}""");
        GATEWAY.json("POST", "/v1/quotas/alterations", "{\"defaults\":{},\"overrides\":[],\"unlimited\":[]}");

        assertThat(get("/access")).contains("aria-label=\"Remove the quotas of user bob, client id (default)\"",
                "<summary>Set a quota</summary>");

        web.post().uri("/access/quotas").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("user", " User:carol ", "clientId", "", "defaultClientId", "true", "producerByteRate",
                        "2048", "consumerByteRate", "", "requestRate", "2.5"))
                .exchange().expectStatus().is3xxRedirection().expectHeader().value("Location", location ->
                        assertThat(URLDecoder.decode(location, StandardCharsets.UTF_8)).endsWith("Set: "
                                + "producer_byte_rate=2048, request_rate=2.5 for user carol, client id (default)"));
        assertThat(GATEWAY.calls("POST").getLast().body()).isEqualTo("[{\"entity\":{\"user\":{\"name\":\"carol\"},"
                + "\"client_id\":{\"name\":null}},\"set\":{\"producer_byte_rate\":2048.0,\"request_rate\":2.5},"
                + "\"remove\":[]}]");

        web.post().uri("/access/quotas/remove").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("user", "bob", "defaultUser", "false", "defaultClientId", "true"))
                .exchange().expectStatus().is3xxRedirection();
        assertThat(GATEWAY.calls("POST").getLast().body()).isEqualTo("[{\"entity\":{\"user\":{\"name\":\"bob\"},"
                + "\"client_id\":{\"name\":null}},\"set\":{},\"remove\":[\"producer_byte_rate\","
                + "\"consumer_byte_rate\",\"request_rate\"]}]");

        int posted = GATEWAY.calls("POST").size();
        assertThat(post("/access/quotas", form("user", "dave", "defaultUser", "true", "requestRate", "5"), 422))
                .contains("Name the user or tick its default, not both", "value=\"dave\"",
                        "<details class=\"panel\" id=\"set-quota\" open");
        assertThat(post("/access/quotas", form("user", "dave"), 422))
                .contains("Give a rate: bytes produced or fetched, or requests, per second");
        assertThat(post("/access/quotas", form("requestRate", "5"), 422))
                .contains("Name a user, a client id or both (or tick their default)");
        assertThat(GATEWAY.calls("POST")).hasSize(posted);

        GATEWAY.problem("POST", "/v1/quotas/alterations", 400, "INVALID_REQUEST",
                "request_rate must be a positive number, not -1.0");
        assertThat(post("/access/quotas", form("user", "erin", "requestRate", "-1"), 422))
                .contains("request_rate must be a positive number, not -1.0 (INVALID_REQUEST)", "value=\"erin\"");
    }

    @Test
    void deleteNeedsTheTopicsNameTypedAndOtherwiseDeletesNothing() {
        String page = post("/topics/orders/delete", form("confirm", "order"), 422);

        assertThat(page).contains("Type the topic&#39;s name, orders, to confirm; nothing was deleted");
        assertThat(GATEWAY.calls("DELETE")).isEmpty();
    }

    @Test
    void deleteWithTheNameTypedDeletesAndReturnsToTheList() {
        GATEWAY.answer("DELETE", "/v1/topics/orders", 204, "application/json", "");

        web.post().uri("/topics/orders/delete").body(form("confirm", "orders")).exchange()
                .expectStatus().is3xxRedirection().expectHeader().valueMatches("Location", "/topics\\?notice=.*");

        assertThat(GATEWAY.calls("DELETE")).hasSize(1);
    }

    @Test
    void configEditSetsAnOverrideOrRemovesItAndShowsARefusal() {
        GATEWAY.answer("PATCH", "/v1/topics/orders/configs", 200, "application/json", "{\"configs\":[]}");
        web.post().uri("/topics/orders/configs").body(form("name", "retention.ms", "value", "5000", "action", "set"))
                .exchange().expectStatus().is3xxRedirection();
        web.post().uri("/topics/orders/configs").body(form("name", "cleanup.policy", "value", "", "action", "reset"))
                .exchange().expectStatus().is3xxRedirection();
        assertThat(GATEWAY.calls("PATCH")).extracting(FakeGateway.Call::body).containsExactly(
                "{\"configs\":[{\"name\":\"retention.ms\",\"value\":\"5000\"}]}",
                "{\"configs\":[{\"name\":\"cleanup.policy\",\"value\":null}]}");

        GATEWAY.problem("PATCH", "/v1/topics/orders/configs", 400, "INVALID_CONFIG", "Unknown config 'retention'");
        String page = post("/topics/orders/configs", form("name", "retention", "value", "1", "action", "set"), 422);
        assertThat(page).contains("Unknown config &#39;retention&#39; (INVALID_CONFIG)");
    }

    /**
     * The topic page's add-partitions form, submitted as the page renders it, asks the gateway for the count typed and
     * comes back to the topic saying so; the gateway's refusal shows in the form, and a count that is not a number is
     * refused without asking.
     */
    @Test
    void theAddPartitionsFormAsksTheGatewayForTheNewCountAndShowsARefusalInTheForm() {
        String form = formWithId(get("/topics/orders"), "add-partitions");
        assertThat(form).as("the form as rendered").contains("action=\"/topics/orders/partitions\"",
                "name=\"partitionCount\"", "value=\"3\"");
        GATEWAY.json("POST", "/v1/topics/orders/partitions", TOPIC);

        web.post().uri("/topics/orders/partitions").body(form("partitionCount", "5")).exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", "/topics/orders\\?notice=Now(\\+|%20)5(\\+|%20)partitions");
        assertThat(GATEWAY.calls("POST")).extracting(FakeGateway.Call::pathAndQuery, FakeGateway.Call::body)
                .containsExactly(tuple("/v1/topics/orders/partitions", "{\"partition_count\":5}"));

        GATEWAY.problem("POST", "/v1/topics/orders/partitions", 400, "INVALID_PARTITIONS",
                "Topic orders has 2 partitions; the new count must be more, was 1");
        String refused = formWithId(post("/topics/orders/partitions", form("partitionCount", "1"), 422), "add-partitions");
        assertThat(refused).contains("Topic orders has 2 partitions; the new count must be more, was 1 (INVALID_PARTITIONS)");

        String notANumber = formWithId(post("/topics/orders/partitions", form("partitionCount", "five"), 422),
                "add-partitions");
        assertThat(notANumber).contains("Partition count must be a whole number, was &#39;five&#39;");
        assertThat(GATEWAY.calls("POST")).as("calls to the gateway").hasSize(2);
    }

    @Test
    void messageBrowserShowsJsonPrettyAndPagesForwardAndBackWithinAPartition() {
        GATEWAY.json("GET", "/v1/topics/orders/partitions/1/records", """
                {"records":[{"topic":"orders","partition":1,"offset":5,"timestamp":0,"key":"k1","key_format":"string",
                             "value":{"a":1},"value_format":"json","headers":[{"key":"trace","value":"abc","value_format":"string"}]},
                            {"topic":"orders","partition":1,"offset":6,"timestamp":0,"key":null,"key_format":"json",
                             "value":"plain","value_format":"string","headers":[]}],
                 "next_offset":7,"high_watermark":7,"log_start_offset":5,"cursor":"c"}""");

        String page = get("/topics/orders/messages?partition=1&start=offset&offset=6");

        assertThat(page).contains("{\n  &quot;a&quot; : 1\n}", ">k1</pre>", "<b>trace</b>", ">plain</pre>")
                .contains("href=\"/topics/orders/messages?partition=1&amp;start=offset&amp;offset=7\" rel=\"next\"")
                .doesNotContain("rel=\"prev\"");
        assertThat(GATEWAY.calls().getLast().pathAndQuery())
                .isEqualTo("/v1/topics/orders/partitions/1/records?max_records=2&offset=6&key_format=json&value_format=json");
    }

    @Test
    void hexDisplayAsksForBinaryAndShowsTheBytes() {
        GATEWAY.json("GET", "/v1/topics/orders/records", """
                {"records":[{"topic":"orders","partition":0,"offset":3,"timestamp":0,"key":null,"key_format":"binary",
                             "value":"AAH/","value_format":"binary","headers":[]}],
                 "cursor":"CUR","partitions":[]}""");

        String page = get("/topics/orders/messages?format=hex&cursor=PREV&trail=~");

        assertThat(page).contains(">00 01 ff</pre>", "rel=\"prev\"",
                "href=\"/topics/orders/messages?start=earliest&amp;format=hex\" rel=\"prev\"",
                "cursor=CUR&amp;trail=~&amp;trail=PREV\" rel=\"next\"");
        assertThat(GATEWAY.calls().getLast().pathAndQuery()).contains("cursor=PREV", "value_format=binary");
    }

    @Test
    void aBadStartIsExplainedAndNothingIsRead() {
        String page = page("/topics/orders/messages?start=offset&offset=-3", 400);

        assertThat(page).contains("Offset must be a number ≥ 0, was &#39;-3&#39;");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery).containsExactly(ORDERS);
    }

    @Test
    void anOffsetOutsideThePartitionShowsTheGatewaysProblem() {
        GATEWAY.problem("GET", "/v1/topics/orders/partitions/0/records", 416, "OFFSET_OUT_OF_RANGE",
                "Offset 99 is outside partition 0: log start 0, high watermark 10");

        String page = page("/topics/orders/messages?partition=0&start=offset&offset=99", 422);

        assertThat(page).contains("Offset 99 is outside partition 0: log start 0, high watermark 10 (OFFSET_OUT_OF_RANGE)");
    }

    @Test
    void produceShowsWhereTheRecordWasWritten() {
        GATEWAY.json("POST", "/v1/topics/orders/records",
                "{\"results\":[{\"partition\":1,\"offset\":42,\"timestamp\":1}]}");

        String page = post("/topics/orders/produce", form("key", "user-1", "keyFormat", "string", "value", "{\"n\": 1}",
                "valueFormat", "json", "headers", "trace: abc", "partition", "1"), 200);

        assertThat(page).contains("Written to partition <b>1</b> at offset <b>42</b>");
        assertThat(GATEWAY.calls("POST").getFirst().body()).isEqualTo("{\"key_format\":\"string\",\"value_format\":"
                + "\"json\",\"records\":[{\"key\":\"user-1\",\"value\":{\"n\":1},\"headers\":[{\"key\":\"trace\","
                + "\"value\":\"abc\"}],\"partition\":1}]}");
    }

    @Test
    void aJsonValueThatDoesNotParseIsRefusedAndNothingIsProduced() {
        String page = post("/topics/orders/produce", form("key", "", "value", "{oops", "valueFormat", "json"), 422);

        assertThat(page).contains("Value is not valid JSON");
        assertThat(GATEWAY.calls("POST")).isEmpty();
    }

    @Test
    void groupsListAndDetailShowStateMembersAndLagAndAResetPreview() {
        GATEWAY.json("GET", "/v1/groups", """
                {"groups":[{"group_id":"billing","state":"STABLE","members":1,"topics":["orders"],"lag":12}]}""");
        GATEWAY.json("GET", "/v1/groups/billing", """
                {"group_id":"billing","state":"STABLE","group_epoch":3,"assignment_epoch":3,
                 "members":[{"member_id":"m-1","member_epoch":3,"state":"STABLE","subscribed_topics":["orders"],
                             "assignment":[{"topic":"orders","partitions":[0,1]}]}],
                 "partitions":[{"topic":"orders","partition":0,"committed_offset":4,"high_watermark":10,"lag":6,
                                "lag_seconds":2.5,"member_id":"m-1"}],"lag":6}""");
        GATEWAY.json("POST", "/v1/groups/billing/offsets/reset", """
                {"group_id":"billing","dry_run":true,"partitions":[{"topic":"orders","partition":0,"current_offset":4,
                 "new_offset":0,"lag":10}]}""");

        assertThat(get("/groups")).contains(">billing</a>", ">STABLE</td>", ">12</td>");
        assertThat(get("/groups/billing")).contains(">m-1</code>", "orders [0, 1]", ">6</td>", ">2.5</td>");
        String preview = post("/groups/billing/reset", form("topic", "orders", "to", "earliest", "action", "preview"), 200);
        assertThat(preview).contains("Preview: nothing changed yet", ">0</td>");
        assertThat(GATEWAY.calls("POST").getFirst().body()).contains("\"dry_run\":true");
    }

    @Test
    void shareGroupsListAndDetailShowTheWindowsAndHoldersAndARefusedResetShowsTheGatewaysProblem() {
        GATEWAY.json("GET", "/v1/share-groups", """
                {"share_groups":[{"group_id":"workers","partitions":2,"in_flight_records":9,"acquired_records":4}]}""");
        GATEWAY.json("GET", "/v1/share-groups/workers", """
                {"group_id":"workers","group_epoch":2,
                 "members":[{"member_id":"consumer-7","member_epoch":2,"client_id":"billing","client_host":"/10.0.0.7",
                             "subscribed_topics":["jobs"],"assignment":[{"topic":"jobs","partitions":[0,1]}]}],
                 "lock_holders":[{"member_id":"worker-1","acquired_records":4}],
                 "partitions":[{"topic":"jobs","partition":0,"start_offset":40,"end_offset":49,"high_watermark":60,
                                "lag":17,"in_flight":{"available":2,"acquired":4,"acknowledged":3,"archived":0},
                                "max_delivery_count":3,"delivery_counts":[]}],"lag":17}""");
        GATEWAY.problem("POST", "/v1/share-groups/workers/reset", 409, "NON_EMPTY_GROUP",
                "4 records of share group 'workers' are acquired");

        assertThat(get("/share-groups")).contains(">workers</a>", ">9</td>", ">4</td>");
        assertThat(get("/share-groups/workers")).contains(">worker-1</code>", ">40</td>", ">60</td>", ">17</td>",
                ">3</td>", ">consumer-7</code>", ">billing</td>", ">jobs-0, jobs-1</td>");
        String refused = post("/share-groups/workers/reset", form("topic", "jobs", "to", "earliest", "action", "apply"),
                422);
        assertThat(refused).contains("4 records of share group &#39;workers&#39; are acquired (NON_EMPTY_GROUP)");
        assertThat(GATEWAY.calls("POST").getFirst().body()).contains("\"dry_run\":false", "\"to\":\"earliest\"");
    }

    @Test
    void transactionsListShowsStateProducerEpochAgeAndPartitionsAndCanShowOnlyOpenOnes() {
        String started = Instant.now().minus(Duration.ofMinutes(150)).toString();
        GATEWAY.json("GET", "/v1/transactional-ids", query -> query.containsKey("state")
                ? "{\"transactional_ids\":[]}"
                : """
                {"transactional_ids":[
                  {"transactional_id":"billing-worker-1","producer_id":4000,"producer_epoch":3,"timeout_ms":60000,
                   "state":"ONGOING","partitions":[{"topic":"orders","partition":0},{"topic":"orders","partition":2}],
                   "groups":[],"started_at":"%s","updated_at":"%s"},
                  {"transactional_id":"sluice-http-0-0","producer_id":17,"producer_epoch":0,"timeout_ms":30000,
                   "state":"COMPLETE_COMMIT","partitions":[],"groups":[],"started_at":null,
                   "updated_at":"2026-01-01T00:00:00Z"}]}""".formatted(started, started));

        String page = get("/transactions");
        String open = get("/transactions?open=true");

        assertThat(page).contains(">billing-worker-1</code>", ">ONGOING</td>", ">4000</td>", ">3</td>",
                ">2h 30m</td>", ">orders-0, orders-2</td>", ">COMPLETE_COMMIT</td>", ">—</td>",
                "class=\"warn\"", "href=\"/transactions\"", "id=\"only-open\"");
        assertThat(open).contains("No open transactions.");
        assertThat(GATEWAY.calls("GET")).extracting(FakeGateway.Call::pathAndQuery)
                .contains("/v1/transactional-ids", "/v1/transactional-ids?state=ONGOING,PREPARE_COMMIT,PREPARE_ABORT");
    }

    private static final String BILLING = """
            {"group_id":"billing","state":"EMPTY","group_epoch":3,"assignment_epoch":3,"members":[],
             "partitions":[{"topic":"payments","partition":0,"committed_offset":4,"high_watermark":10,"lag":6},
                           {"topic":"orders","partition":0,"committed_offset":1,"high_watermark":1,"lag":0}],
             "lag":6}""";

    @Test
    void deletingAGroupNeedsItsIdTypedAndShowsTheGatewaysRefusalNextToTheForm() {
        GATEWAY.json("GET", "/v1/groups/billing", BILLING);
        GATEWAY.problem("DELETE", "/v1/groups/billing", 409, "NON_EMPTY_GROUP", "Group 'billing' has 1 member");

        String mistyped = post("/groups/billing/delete", form("confirm", "bill"), 422);
        assertThat(mistyped).contains("Type the group&#39;s id, billing, to confirm; nothing was deleted");
        assertThat(GATEWAY.calls("DELETE")).isEmpty();

        String refused = post("/groups/billing/delete", form("confirm", "billing"), 422);
        assertThat(refused.substring(refused.indexOf("id=\"delete-group\"")))
                .contains("Group &#39;billing&#39; has 1 member (NON_EMPTY_GROUP)");
        assertThat(refused.substring(0, refused.indexOf("id=\"delete-group\""))).doesNotContain("NON_EMPTY_GROUP");
    }

    @Test
    void deletingAGroupOrItsOffsetsOfATopicCallsTheGatewayAndSaysWhatWasDone() {
        GATEWAY.json("GET", "/v1/groups/billing", BILLING);
        GATEWAY.answer("DELETE", "/v1/groups/billing/topics/payments/offsets", 204, "application/json", "");
        GATEWAY.answer("DELETE", "/v1/groups/billing", 204, "application/json", "");

        assertThat(get("/groups/billing")).contains("id=\"delete-offsets\"", "<option value=\"orders\">orders</option>",
                "<option value=\"payments\">payments</option>");
        web.post().uri("/groups/billing/offsets/delete").body(form("topic", "payments")).exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", "/groups/billing\\?notice=Deleted.*payments");
        web.post().uri("/groups/billing/delete").body(form("confirm", "billing")).exchange()
                .expectStatus().is3xxRedirection().expectHeader().valueMatches("Location", "/groups\\?notice=.*");

        assertThat(GATEWAY.calls("DELETE")).extracting(FakeGateway.Call::pathAndQuery)
                .containsExactly("/v1/groups/billing/topics/payments/offsets", "/v1/groups/billing");
        assertThat(get("/groups/billing?notice=Deleted+the+offsets+of+payments"))
                .contains("role=\"status\">Deleted the offsets of payments</div>");
        GATEWAY.json("GET", "/v1/groups", "{\"groups\":[]}");
        assertThat(get("/groups?notice=Deleted+group+billing")).contains("role=\"status\">Deleted group billing</div>");
    }

    @Test
    void liveTailTurnsTheGatewaysRecordEventsIntoRowsAndItsErrorsIntoProblems() {
        GATEWAY.answer("GET", "/v1/topics/orders/records", 200, "text/event-stream", """
                :stream open
                retry:2000

                event:record
                id:CURSOR-1
                data:{"topic":"orders","partition":1,"offset":8,"timestamp":0,"key":"k9","key_format":"string","value":{"x":[1,2]},"value_format":"json","headers":[]}

                event:error
                data:{"detail":"No leader for orders-1","error_code":"LEADER_NOT_AVAILABLE"}

                """);

        String stream = web.get().uri("/topics/orders/live/events").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        assertThat(stream).contains(":stream open", "event:record", "id:CURSOR-1", "<td class=\"num\">8</td>",
                ">k9</pre>", "event:problem", "No leader for orders-1");
        assertThat(stream).as("each row is one data line, JSON indentation kept").contains("{&#10;  &quot;x&quot;");
        assertThat(GATEWAY.calls().getLast().pathAndQuery()).isEqualTo("/v1/topics/orders/records");
        assertThat(get("/topics/orders/live")).contains("sse-connect=\"/topics/orders/live/events");
    }

    @Test
    void clusterPageShowsCoordinatorThroughputNodesAndPartitionsInTrouble() {
        GATEWAY.json("GET", "/v1/cluster", """
                {"metadata_version":17,"coordinator":{"instance_id":"coord-a","url":"http://c","fencing_token":4,
                 "reachable":true},"node_count":3,"live_node_count":2,"reporting_node_count":2,"topic_count":1,
                 "partition_count":2,"offline_partitions":[],"under_replicated_partitions":[{"topic":"orders","partition":1}],
                 "size_bytes":2048,"throughput":{"records_in_per_sec":1234.5,"bytes_in_per_sec":1536,
                 "records_out_per_sec":3.4,"bytes_out_per_sec":0}}""");
        GATEWAY.json("GET", "/v1/nodes", """
                {"nodes":[{"node_id":1,"url":"http://n1","rack":null,"status":"ALIVE","leader_count":1,"replica_count":2,
                           "size_bytes":1024,"throughput":{"records_in_per_sec":12.25,"bytes_in_per_sec":1,
                           "records_out_per_sec":0,"bytes_out_per_sec":0},"decommissioning":true,"dead_since":null},
                          {"node_id":2,"url":"http://n2","rack":null,"status":"DEAD","leader_count":0,"replica_count":2,
                           "size_bytes":null,"throughput":null,"decommissioning":false,
                           "dead_since":"2026-11-28T12:00:00Z"}]}""");

        String page = get("/cluster");

        assertThat(page).contains(">17</dd>", ">2 / 3</dd>", ">DEAD</span>", "orders-1</a> under-replicated",
                ">coord-a at http://c, lease term 4</dd>", ">2.00 KiB</dd>", "id=\"records-in\">1,235</dd>",
                "id=\"records-out\">3.40</dd>", ">1.50 KiB/s / 0 B/s</dd>", ">1.00 KiB</td>", ">12.3</td>");
        assertThat(page).as("node 2 did not answer").contains(">—</td>");
        assertThat(page).contains(">ALIVE</span><span class=\"hint\"> (decommissioning)</span>",
                ">DEAD</span><span class=\"hint\"> (since 2026-11-28T12:00:00Z)</span>");
    }

    @Test
    void clusterPageDrawsTheReplicaSpreadEachMovesProgressAndTheDecommissionsAndCancelsAMove() {
        GATEWAY.json("GET", "/v1/cluster", """
                {"metadata_version":9,"coordinator":{"instance_id":"coord-a","url":"http://c","fencing_token":1,
                 "reachable":true},"node_count":3,"live_node_count":3,"reporting_node_count":3,"topic_count":1,
                 "partition_count":2,"offline_partitions":[],"under_replicated_partitions":[],"size_bytes":0,
                 "throughput":null}""");
        GATEWAY.json("GET", "/v1/nodes", """
                {"nodes":[{"node_id":1,"url":"http://n1","status":"ALIVE","leader_count":2,"replica_count":4,
                           "decommissioning":true,"move_throttle_bytes_per_second":1048576},
                          {"node_id":2,"url":"http://n2","status":"ALIVE","leader_count":0,"replica_count":1,
                           "decommissioning":false,"move_throttle_bytes_per_second":null}]}""");
        GATEWAY.json("GET", "/v1/reassignments", """
                {"reassignments":[{"topic":"orders","partition":1,"replicas":[2,3,1],"adding_replicas":[2,3],
                  "removing_replicas":[1],"leader":1,"progress":[
                    {"node_id":2,"bytes_copied":4194304,"bytes_to_go":6291456,"offsets_to_go":900,
                     "bytes_per_second":2097152.0,"eta_seconds":3},
                    {"node_id":3,"bytes_copied":null,"bytes_to_go":null,"offsets_to_go":null,
                     "bytes_per_second":null,"eta_seconds":null}]}]}""");
        GATEWAY.json("GET", "/v1/decommissions", """
                {"decommissions":[{"node_id":1,"status":"ALIVE","partitions_remaining":4,"partitions_moving_off":1,
                  "safe_to_remove":false}]}""");

        String page = get("/cluster").replaceAll("\\s+", " ");

        assertThat(page).as("the spread: node 1's bar the longest, half of it leaders; node 2's a quarter")
                .contains("style=\"width:100%\" title=\"replicas: 4\"><span class=\"spread-leaders\" "
                                + "style=\"width:50%\"",
                        "style=\"width:25%\" title=\"replicas: 1\"><span class=\"spread-leaders\" "
                                + "style=\"width:0%\"",
                        "4 replicas, 2 leaders, decommissioning", "1 replica, 0 leaders");
        assertThat(page).contains(">1.00 MiB/s</td>", ">default</td>", "Stop decommissioning", "Decommission</button>");
        assertThat(page).as("the move: from, to, each new replica's progress")
                .contains("data-partition=\"orders-1\"", ">[1]</td>", ">[2, 3]</td>",
                        "<progress max=\"100\" value=\"40\">40%</progress>",
                        "40% · 4.00 MiB of 10.0 MiB · 2.00 MiB/s · ETA 3 s", "— of — · — · ETA —",
                        "action=\"/cluster/moves/orders/1/cancel\"");
        assertThat(page).contains("id=\"decommissions\"", ">not yet</td>");

        GATEWAY.answer("DELETE", "/v1/reassignments/orders/1", 204, "application/json", "");
        web.post().uri("/cluster/moves/orders/1/cancel").exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", "/cluster\\?notice=Cancelled.*orders-1");
        GATEWAY.answer("DELETE", "/v1/reassignments/orders/1", 409, "application/problem+json",
                FakeGateway.problem(409, "NO_REASSIGNMENT_IN_PROGRESS", "orders-1 is not moving"));
        assertThat(post("/cluster/moves/orders/1/cancel", form(), 422))
                .contains("orders-1 is not moving (NO_REASSIGNMENT_IN_PROGRESS)");
        GATEWAY.answer("POST", "/v1/nodes/2/decommission", 202, "application/json", "{}");
        web.post().uri("/cluster/nodes/2/decommission").exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", "/cluster\\?notice=Decommissioning.*2");
        assertThat(GATEWAY.calls("DELETE")).extracting(FakeGateway.Call::pathAndQuery)
                .containsExactly("/v1/reassignments/orders/1", "/v1/reassignments/orders/1");
        assertThat(GATEWAY.calls("POST")).extracting(FakeGateway.Call::pathAndQuery)
                .containsExactly("/v1/nodes/2/decommission");
    }

    @Test
    void aUserWhoMayNotSeeTheMovesStillGetsTheClusterPageWithWhy() {
        GATEWAY.json("GET", "/v1/cluster", """
                {"metadata_version":3,"coordinator":{"instance_id":"coord-a","url":"http://c","fencing_token":2,
                 "reachable":true},"node_count":1,"live_node_count":1,"reporting_node_count":1,"topic_count":0,
                 "partition_count":0,"offline_partitions":[],"under_replicated_partitions":[],"size_bytes":null,
                 "throughput":null}""");
        GATEWAY.json("GET", "/v1/nodes", "{\"nodes\":[]}");
        GATEWAY.answer("GET", "/v1/reassignments", 403, "application/problem+json",
                FakeGateway.problem(403, "CLUSTER_AUTHORIZATION_FAILED", "DESCRIBE on the cluster is needed"));
        GATEWAY.answer("GET", "/v1/decommissions", 403, "application/problem+json",
                FakeGateway.problem(403, "CLUSTER_AUTHORIZATION_FAILED", "DESCRIBE on the cluster is needed"));

        String page = get("/cluster");

        assertThat(page).contains("DESCRIBE on the cluster is needed (CLUSTER_AUTHORIZATION_FAILED)")
                .doesNotContain("id=\"reassignments\"", "id=\"decommissions\"");
    }

    @Test
    void clusterPageSaysWhenTheCoordinatorDoesNotAnswer() {
        GATEWAY.json("GET", "/v1/cluster", """
                {"metadata_version":3,"coordinator":{"instance_id":"coord-a","url":"http://c","fencing_token":2,
                 "reachable":false},"node_count":1,"live_node_count":1,"reporting_node_count":0,"topic_count":0,
                 "partition_count":0,"offline_partitions":[],"under_replicated_partitions":[],"size_bytes":null,
                 "throughput":null}""");
        GATEWAY.json("GET", "/v1/nodes", "{\"nodes\":[]}");

        String page = get("/cluster");

        assertThat(page).contains("lease term 2 (not answering)</dd>", ">0 / 1</dd>").doesNotContain("records-in");
    }

    @Test
    void searchReadsEveryPageOfTheRangeAndStreamsItsMatchesAndProgress() {
        // orders: partition 0 holds offsets 0-9, partition 1 offsets 5-6; marker in a value, a key and a header.
        GATEWAY.json("GET", "/v1/topics/orders/partitions/0/records", pages(0, 10, offset -> offset == 4
                ? record(0, offset, "\"k\"", "{\"note\":\"has MARK-1 in it\"}", "[]")
                : offset == 8 ? record(0, offset, "\"key-MARK-1\"", "1", "[]") : record(0, offset, "\"k\"", "1", "[]")));
        GATEWAY.json("GET", "/v1/topics/orders/partitions/1/records", pages(1, 7, offset -> offset == 6
                ? record(1, offset, "null", "2", "[{\"key\":\"trace\",\"value\":\"x-MARK-1\",\"value_format\":\"string\"}]")
                : record(1, offset, "null", "2", "[]")));

        String stream = events("/topics/orders/search/events?q=MARK-1");

        assertThat(stream.split("event:match", -1)).hasSize(4);
        assertThat(stream).contains("<td class=\"num\">4</td>", "key-MARK-1", "x-MARK-1");
        assertThat(stream.substring(stream.lastIndexOf("event:"))).startsWith("event:done")
                .contains(">100 %</b>", "<span id=\"search-scanned\">12</span>", "<span id=\"search-matches\">3</span>",
                        ">Done</span>");
        assertThat(stream).as("progress after each page").contains(">25 %</b>", ">50 %</b>", ">83 %</b>");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery).containsExactly(ORDERS,
                "/v1/topics/orders/partitions/0/records?max_records=3&offset=0&key_format=json&value_format=json",
                "/v1/topics/orders/partitions/0/records?max_records=3&offset=3&key_format=json&value_format=json",
                "/v1/topics/orders/partitions/0/records?max_records=3&offset=6&key_format=json&value_format=json",
                "/v1/topics/orders/partitions/0/records?max_records=3&offset=9&key_format=json&value_format=json",
                "/v1/topics/orders/partitions/1/records?max_records=3&offset=5&key_format=json&value_format=json");

        assertThat(events("/topics/orders/search/events?q=mark-1")).as("case matters by default")
                .doesNotContain("event:match").contains("<span id=\"search-matches\">0</span>");
        assertThat(events("/topics/orders/search/events?q=mark-1&ignoreCase=on").split("event:match", -1))
                .as("unless ignored").hasSize(4);
        assertThat(get("/topics/orders/search?q=mark-1&ignoreCase=on")).as("the box stays ticked, the stream asks again")
                .contains("name=\"ignoreCase\" value=\"on\" checked", "ignoreCase=on");
    }

    @Test
    void searchInOnePartitionFromATimestampToAnOffsetReadsOnlyThatRange() {
        GATEWAY.json("GET", "/v1/topics/orders/partitions/0/offsets",
                "{\"topic\":\"orders\",\"partition\":0,\"offset\":3,\"timestamp\":1000}");
        GATEWAY.json("GET", "/v1/topics/orders/partitions/0/records",
                pages(0, 10, offset -> record(0, offset, "\"k\"", "\"v" + offset + "\"", "[]")));

        String stream = events("/topics/orders/search/events?q=v5&in=value&partition=0&start=timestamp"
                + "&timestamp=1000&end=offset&endOffset=5");

        assertThat(stream.split("event:match", -1)).hasSize(2);
        assertThat(stream).contains("<span id=\"search-scanned\">3</span>", ">100 %</b>");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery).containsExactly(ORDERS,
                "/v1/topics/orders/partitions/0/offsets?timestamp=1000",
                "/v1/topics/orders/partitions/0/records?max_records=3&offset=3&key_format=json&value_format=json");
    }

    @Test
    void theSearchPageOpensTheStreamOfTheSearchItNames() {
        String page = get("/topics/orders/search?q=a b&partition=1");

        assertThat(page).contains("sse-connect=\"/topics/orders/search/events?q=a%20b&amp;in=any&amp;partition=1"
                + "&amp;start=earliest&amp;end=latest\"", "sse-close=\"done\"", "id=\"cancel\"");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery).containsExactly(ORDERS);
        assertThat(get("/topics/orders/search")).doesNotContain("sse-connect");
        GATEWAY.json("GET", "/v1/topics/orders/partitions/1/records", pages(1, 7, offset -> record(1, offset, "null", "1", "[]")));
        assertThat(get("/topics/orders/messages?partition=1&start=offset&offset=5")).contains("href=\"/topics/orders/search?partition=1\"");
    }

    @Test
    void aBadSearchIsExplainedAndReadsNothing() {
        assertThat(page("/topics/orders/search?q=", 400)).contains("Type the text to search for").doesNotContain("sse-connect");
        assertThat(page("/topics/orders/search?q=x&start=offset&offset=-1", 400))
                .contains("Offset must be a number ≥ 0, was &#39;-1&#39;");
        assertThat(page("/topics/orders/search?q=x&start=offset&offset=9&end=offset&endOffset=3", 400))
                .contains("End offset 3 is before the start offset 9");
        assertThat(events("/topics/orders/search/events?q=x&partition=7"))
                .contains("event:problem", "Partition 7 does not exist: orders has 2 (0 to 1)", "event:done", ">Stopped</span>");
        assertThat(events("/topics/orders/search/events?q=")).contains("Type the text to search for", "event:done");
        GATEWAY.problem("GET", "/v1/topics/nope", 404, "UNKNOWN_TOPIC", "Topic 'nope' does not exist");
        assertThat(events("/topics/nope/search/events?q=x")).contains("does not exist (UNKNOWN_TOPIC)", "event:done");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery)
                .noneMatch(path -> path.contains("/records"));
    }

    /**
     * A search whose stream the client closes reads no more pages. The control: a second search, left open on the other
     * partition, reads twenty pages after the first one's reads had time to stop and twenty more while the first one's
     * count must stand; a search that went on reading would read in step with it.
     */
    @Test
    void cancellingTheSearchStreamStopsItsReads() {
        GATEWAY.json("GET", "/v1/topics/orders", TOPIC.replace("\"high_watermark\":10", "\"high_watermark\":1000000000")
                .replace("\"high_watermark\":7", "\"high_watermark\":1000000000"));
        GATEWAY.json("GET", "/v1/topics/orders/partitions/0/records",
                pages(0, 1_000_000_000, offset -> record(0, offset, "\"k\"", "1", "[]")));
        GATEWAY.json("GET", "/v1/topics/orders/partitions/1/records",
                pages(1, 1_000_000_000, offset -> record(1, offset, "\"k\"", "1", "[]")));

        web.get().uri("/topics/orders/search/events?q=absent&partition=0").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk().returnResult(String.class).getResponseBody()
                .take(5).blockLast(Duration.ofSeconds(10));
        CompletableFuture<Void> controlEnded = new CompletableFuture<>();
        Disposable control = web.get().uri("/topics/orders/search/events?q=absent&partition=1")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk().returnResult(String.class)
                .getResponseBody().subscribe(event -> { }, controlEnded::completeExceptionally,
                        () -> controlEnded.complete(null));
        try {
            awaitReadsOf(1, 20); // a read in flight when the first stream closed has been answered by now
            long reads = GATEWAY.count("GET", "/v1/topics/orders/partitions/0/records");
            awaitReadsOf(1, GATEWAY.count("GET", "/v1/topics/orders/partitions/1/records") + 20);
            assertThat(GATEWAY.count("GET", "/v1/topics/orders/partitions/0/records"))
                    .as("reads of the closed search while the open one read twenty pages").isEqualTo(reads);
        } finally {
            endSearchesOf(1, controlEnded, control);
        }
    }

    @Test
    void anExportStreamsEveryRecordOfTheRangeAsCsvWithItsHeaderAndQuotedFieldsAndItsProgressIsDone() {
        GATEWAY.json("GET", "/v1/topics/orders/partitions/1/records", pages(1, 7, offset -> offset == 5
                ? record(1, offset, "\"k,1\"", "{\"note\":\"say \\\"hi\\\"\"}",
                        "[{\"key\":\"trace\",\"value\":\"abc\",\"value_format\":\"string\"}]")
                : record(1, offset, "null", "2", "[]")));

        var result = web.get().uri("/topics/orders/export?partition=1&as=csv&export=e-1").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();

        assertThat(result.getResponseHeaders().getContentDisposition().getFilename()).isEqualTo("orders-1.csv");
        assertThat(result.getResponseHeaders().getContentType().toString()).startsWith("text/csv");
        assertThat(result.getResponseBody()).isEqualTo(
                "topic,partition,offset,timestamp,key_format,key,value_format,value,headers\r\n"
                + "orders,1,5,1970-01-01T00:00:00Z,json,\"k,1\",json,\"{\"\"note\"\":\"\"say \\\"\"hi\\\"\"\"\"}\","
                + "\"[{\"\"key\"\":\"\"trace\"\",\"\"value\"\":\"\"abc\"\",\"\"value_format\"\":\"\"string\"\"}]\"\r\n"
                + "orders,1,6,1970-01-01T00:00:00Z,json,,json,2,\r\n");
        String progress = web.get().uri("/exports/e-1").exchange().expectStatus().isEqualTo(286)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(progress).contains("<span id=\"export-exported\">2</span>", ">Done</span>", ">100 %</b>");
        assertThat(get("/exports/unknown")).contains("No export started yet");
    }

    @Test
    void anExportOfASearchHoldsOnlyItsMatchesAsJsonLines() {
        GATEWAY.json("GET", "/v1/topics/orders/partitions/0/records", pages(0, 10, offset -> offset == 4
                ? record(0, offset, "\"k\"", "{\"note\":\"has MARK-1 in it\"}", "[]")
                : record(0, offset, "\"k\"", "1", "[]")));
        GATEWAY.json("GET", "/v1/topics/orders/partitions/1/records", pages(1, 7, offset -> record(1, offset, "null",
                "2", "[]")));

        var result = web.get().uri("/topics/orders/export?q=MARK-1&as=jsonl").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult();

        assertThat(result.getResponseHeaders().getContentDisposition().getFilename()).isEqualTo("orders.jsonl");
        assertThat(result.getResponseBody()).isEqualTo("{\"topic\":\"orders\",\"partition\":0,\"offset\":4,"
                + "\"timestamp\":0,\"key\":\"k\",\"key_format\":\"json\",\"value\":{\"note\":\"has MARK-1 in it\"},"
                + "\"value_format\":\"json\",\"headers\":[]}\n");
        assertThat(GATEWAY.count("GET", "/v1/topics/orders/partitions/1/records")).as("every partition read").isEqualTo(1);
    }

    @Test
    void aBadExportIsRefusedAndReadsNothingAndTheSearchPageOffersTheExportOfItsSearch() {
        assertThat(web.get().uri("/topics/orders/export?as=xml").exchange().expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody()).contains("An export is as jsonl or csv");
        assertThat(web.get().uri("/topics/orders/export?as=csv&partition=7").exchange().expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody())
                .contains("Partition 7 does not exist: orders has 2");
        assertThat(web.get().uri("/topics/orders/export?as=csv&start=offset&offset=-1").exchange().expectStatus()
                .isBadRequest().expectBody(String.class).returnResult().getResponseBody())
                .contains("Offset must be a number");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery)
                .noneMatch(path -> path.contains("/records"));

        String page = get("/topics/orders/search?q=a b&partition=1");
        assertThat(page).contains("href=\"/topics/orders/export?q=a%20b&amp;in=any&amp;partition=1&amp;start=earliest"
                + "&amp;end=latest&amp;as=csv&amp;export=", "Export the records of this range that hold the text");
        assertThat(get("/topics/orders/search?partition=1")).contains("Export every record of this range",
                "hx-get=\"/exports/");
    }

    /**
     * An export whose download the client stops reads no more pages: as for a search, a control search left open on
     * the other partition reads forty pages meanwhile.
     */
    @Test
    void stoppingAnExportsDownloadStopsItsReads() {
        GATEWAY.json("GET", "/v1/topics/orders", TOPIC.replace("\"high_watermark\":10", "\"high_watermark\":1000000000")
                .replace("\"high_watermark\":7", "\"high_watermark\":1000000000"));
        GATEWAY.json("GET", "/v1/topics/orders/partitions/0/records",
                pages(0, 1_000_000_000, offset -> record(0, offset, "\"k\"", "1", "[]")));
        GATEWAY.json("GET", "/v1/topics/orders/partitions/1/records",
                pages(1, 1_000_000_000, offset -> record(1, offset, "\"k\"", "1", "[]")));

        web.get().uri("/topics/orders/export?partition=0&as=jsonl").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody().take(5).blockLast(Duration.ofSeconds(10));
        CompletableFuture<Void> controlEnded = new CompletableFuture<>();
        Disposable control = web.get().uri("/topics/orders/search/events?q=absent&partition=1")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk().returnResult(String.class)
                .getResponseBody().subscribe(event -> { }, controlEnded::completeExceptionally,
                        () -> controlEnded.complete(null));
        try {
            awaitReadsOf(1, 20);
            long reads = GATEWAY.count("GET", "/v1/topics/orders/partitions/0/records");
            awaitReadsOf(1, GATEWAY.count("GET", "/v1/topics/orders/partitions/1/records") + 20);
            assertThat(GATEWAY.count("GET", "/v1/topics/orders/partitions/0/records"))
                    .as("reads of the stopped export while the search read twenty pages").isEqualTo(reads);
        } finally {
            endSearchesOf(1, controlEnded, control);
        }
    }

    /**
     * Ends a search still reading {@code partition} the way a search ends on its own: the partition answers nothing
     * more, so the search stops and its stream completes. Closing the stream instead would leave a read in flight that
     * could reach the gateway after the next test has reset it.
     */
    private static void endSearchesOf(int partition, CompletableFuture<Void> ended, Disposable stream) {
        GATEWAY.json("GET", "/v1/topics/orders/partitions/" + partition + "/records",
                params -> "{\"records\":[],\"next_offset\":%s,\"high_watermark\":1000000000,\"log_start_offset\":0,\"cursor\":\"c\"}"
                        .formatted(params.get("offset")));
        try {
            ended.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the search of partition " + partition + " did not end", e);
        } finally {
            stream.dispose();
        }
    }

    /** Waits (up to 30 s) until the gateway has been asked for {@code count} reads of partition {@code partition}. */
    private static void awaitReadsOf(int partition, long count) {
        String path = "/v1/topics/orders/partitions/" + partition + "/records";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (GATEWAY.count("GET", path) < count) {
            assertThat(System.nanoTime()).as("%d reads of partition %d within 30 s, were %d", count, partition,
                    GATEWAY.count("GET", path)).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** A partition's pages as the API answers them: up to {@code max_records} records from {@code offset}. */
    private static java.util.function.Function<java.util.Map<String, String>, String> pages(int partition, long highWatermark,
                                                                                          java.util.function.LongFunction<String> record) {
        return params -> {
            long from = Long.parseLong(params.get("offset"));
            long next = Math.min(highWatermark, from + Integer.parseInt(params.get("max_records")));
            java.util.StringJoiner records = new java.util.StringJoiner(",");
            for (long offset = from; offset < next; offset++) {
                records.add(record.apply(offset));
            }
            return "{\"records\":[%s],\"next_offset\":%d,\"high_watermark\":%d,\"log_start_offset\":0,\"cursor\":\"c\"}"
                    .formatted(records, next, highWatermark);
        };
    }

    private static final String ORDER_V1 = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Order\\\","
            + "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"}]}";
    private static final String ORDER_V2 = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Order\\\","
            + "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"},"
            + "{\\\"name\\\":\\\"note\\\",\\\"type\\\":\\\"string\\\",\\\"default\\\":\\\"\\\"}]}";

    /** The registry's answers for a subject orders-value with two Avro versions and no level of its own. */
    private static void ordersValueSubject() {
        GATEWAY.json("GET", "/schema-registry/subjects/orders-value/versions", "[1,2]");
        GATEWAY.json("GET", "/schema-registry/subjects/orders-value/versions/1",
                "{\"subject\":\"orders-value\",\"version\":1,\"id\":4,\"schema\":\"" + ORDER_V1 + "\"}");
        GATEWAY.json("GET", "/schema-registry/subjects/orders-value/versions/2",
                "{\"subject\":\"orders-value\",\"version\":2,\"id\":9,\"schema\":\"" + ORDER_V2 + "\"}");
        GATEWAY.answer("GET", "/schema-registry/config/orders-value", 404, "application/vnd.schemaregistry.v1+json",
                "{\"error_code\":40408,\"message\":\"Subject 'orders-value' does not have subject-level compatibility "
                        + "configured\"}");
        GATEWAY.json("GET", "/schema-registry/config", "{\"compatibilityLevel\":\"FULL\"}");
    }

    @Test
    void schemasListShowsEachSubjectsLatestVersionWithTheRegistrysLevelAndMode() {
        GATEWAY.json("GET", "/schema-registry/schemas", """
                [{"subject":"orders-value","version":2,"id":9,"schema":"{}"},
                 {"subject":"orders-key","version":1,"id":3,"schemaType":"PROTOBUF","schema":"syntax = \\"proto3\\";"}]""");
        GATEWAY.json("GET", "/schema-registry/config", "{\"compatibilityLevel\":\"FULL\"}");
        GATEWAY.json("GET", "/schema-registry/mode", "{\"mode\":\"READONLY\"}");

        String page = get("/schemas?prefix=orders");

        assertThat(page).contains("href=\"/schemas/subjects/orders-value\"", "href=\"/schemas/ids/9\"",
                        "<td>AVRO</td>", "<td>PROTOBUF</td>")
                .contains("id=\"registry-level\">FULL<", "id=\"registry-mode\">READONLY<");
        assertThat(GATEWAY.calls().stream().map(FakeGateway.Call::pathAndQuery))
                .contains("/schema-registry/schemas?latestOnly=true&subjectPrefix=orders");
    }

    @Test
    void aSubjectShowsItsVersionsTheLatestPrettyPrintedAndTheLastTwoSideBySide() {
        ordersValueSubject();

        String page = get("/schemas/subjects/orders-value");

        assertThat(page).contains("id=\"shown-version\">2<", "href=\"/schemas/ids/4\"", "href=\"/schemas/ids/9\"")
                .contains("&quot;name&quot; : &quot;note&quot;")
                .contains("id=\"level\">FULL<", "the registry&#39;s");
        assertThat(page.substring(page.indexOf("id=\"diff\"")))
                .contains("<th>Version 1</th>", "<th>Version 2</th>", "class=\"insert\"")
                .contains("class=\"equal\"");

        String first = get("/schemas/subjects/orders-value?version=1&from=2&to=1");
        assertThat(first).contains("id=\"shown-version\">1<", "<th>Version 2</th>", "class=\"delete\"");
    }

    @Test
    void aCandidateIsCheckedWithoutBeingRegisteredAndTheRegistrysReasonsAreShown() {
        ordersValueSubject();
        GATEWAY.json("POST", "/schema-registry/compatibility/subjects/orders-value/versions", """
                {"is_compatible":false,"messages":["reader's field 'id' has type long, the writer's string"]}""");

        String page = post("/schemas/subjects/orders-value/candidate", form("type", "AVRO", "schema",
                "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}",
                "action", "check"), 200);

        assertThat(page).contains("Not compatible", "reader&#39;s field &#39;id&#39; has type long")
                .contains("&quot;type&quot;:&quot;long&quot;");
        FakeGateway.Call check = GATEWAY.calls("POST").getLast();
        assertThat(check.pathAndQuery())
                .isEqualTo("/schema-registry/compatibility/subjects/orders-value/versions?verbose=true");
        assertThat(check.body()).contains("\"schemaType\":\"AVRO\"", "\\\"long\\\"");
        assertThat(GATEWAY.count("POST", "/schema-registry/subjects/orders-value/versions")).isZero();
    }

    @Test
    void aRegistrationTheRegistryRefusesShowsItsMessageAndCodeAndKeepsTheSchema() {
        ordersValueSubject();
        GATEWAY.answer("POST", "/schema-registry/subjects/orders-value/versions", 409,
                "application/vnd.schemaregistry.v1+json",
                "{\"error_code\":40901,\"message\":\"Schema being registered is incompatible with an earlier schema\"}");

        String page = post("/schemas/subjects/orders-value/candidate", form("type", "AVRO", "schema", "{\"type\":\"int\"}",
                "action", "register"), 422);

        assertThat(page).contains("Schema being registered is incompatible with an earlier schema (40901)",
                "{&quot;type&quot;:&quot;int&quot;}");

        GATEWAY.json("GET", "/schema-registry/schemas", "[]");
        GATEWAY.json("GET", "/schema-registry/mode", "{\"mode\":\"READWRITE\"}");
        GATEWAY.answer("POST", "/schema-registry/subjects/bad/versions", 422, "application/vnd.schemaregistry.v1+json",
                "{\"error_code\":42201,\"message\":\"Invalid schema: not JSON\"}");
        String list = post("/schemas", form("subject", "bad", "type", "AVRO", "schema", "not json"), 422);
        assertThat(list).contains("Invalid schema: not JSON (42201)", ">not json</textarea>", "value=\"bad\"");
    }

    @Test
    void aSubjectsLevelIsSetAndRemoved() {
        ordersValueSubject();
        GATEWAY.json("PUT", "/schema-registry/config/orders-value", "{\"compatibility\":\"NONE\"}");
        GATEWAY.json("DELETE", "/schema-registry/config/orders-value", "{\"compatibilityLevel\":\"NONE\"}");

        web.post().uri("/schemas/subjects/orders-value/config").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("level", "NONE")).exchange().expectStatus().is3xxRedirection();
        web.post().uri("/schemas/subjects/orders-value/config").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("level", "NONE", "remove", "true")).exchange().expectStatus().is3xxRedirection();

        assertThat(GATEWAY.calls("PUT").getLast().body()).isEqualTo("{\"compatibility\":\"NONE\"}");
        assertThat(GATEWAY.count("DELETE", "/schema-registry/config/orders-value")).isEqualTo(1);
    }

    @Test
    void theSchemaDisplayAsksForFormatSchemaAndLinksEachDecodedValueToItsSchema() {
        GATEWAY.json("GET", "/v1/topics/orders/records", """
                {"records":[{"topic":"orders","partition":0,"offset":3,"timestamp":0,"key":"k","key_format":"string",
                             "value":{"id":"o-1"},"value_format":"avro","value_schema_id":9,"headers":[]}],
                 "cursor":"CUR","partitions":[]}""");

        String page = get("/topics/orders/messages?format=schema");

        assertThat(page).contains("{\n  &quot;id&quot; : &quot;o-1&quot;\n}", ">avro</span>",
                "href=\"/schemas/ids/9\"", ">schema 9</a>");
        assertThat(GATEWAY.calls().getLast().pathAndQuery()).endsWith("key_format=schema&value_format=schema");
    }

    @Test
    void aSchemaByIdShowsItsTextAndTheSubjectsHoldingIt() {
        GATEWAY.json("GET", "/schema-registry/schemas/ids/9", "{\"schema\":\"" + ORDER_V2 + "\"}");
        GATEWAY.json("GET", "/schema-registry/schemas/ids/9/versions", "[{\"subject\":\"orders-value\",\"version\":2}]");

        String page = get("/schemas/ids/9");

        assertThat(page).contains("href=\"/schemas/subjects/orders-value?version=2\"", "&quot;name&quot; : &quot;Order&quot;");
        assertThat(page(("/schemas/ids/10"), 404)).contains("No route");
    }

    private static String record(int partition, long offset, String key, String value, String headers) {
        return ("{\"topic\":\"orders\",\"partition\":%d,\"offset\":%d,\"timestamp\":0,\"key\":%s,\"key_format\":\"json\","
                + "\"value\":%s,\"value_format\":\"json\",\"headers\":%s}").formatted(partition, offset, key, value, headers);
    }

    private String events(String uri) {
        return web.get().uri(uri).accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** The {@code <form>} element with {@code id} in a page, or a failure naming the forms it has. */
    private static String formWithId(String page, String id) {
        int at = page.indexOf("id=\"" + id + "\"");
        assertThat(at).as("a form with id " + id + " in the page").isNotNegative();
        int start = page.lastIndexOf("<form", at);
        return page.substring(start, page.indexOf("</form>", at) + "</form>".length());
    }

    @Test
    void chartsGetTheGatewaysHistoryAsJson() {
        GATEWAY.json("GET", "/v1/topics/orders/history", """
                {"interval_ms":10000,"window_ms":3600000,"series":[{"metric":"size_bytes","unit":"bytes",
                 "topic":"orders","partition":null,"node_id":null,"times":[1000,11000],"values":[512.0,2048.0]}]}""");

        web.get().uri("/charts/topics/orders").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.interval_ms").isEqualTo(10000)
                .jsonPath("$.series[0].metric").isEqualTo("size_bytes")
                .jsonPath("$.series[0].times[1]").isEqualTo(11000)
                .jsonPath("$.series[0].values[1]").isEqualTo(2048.0);
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::pathAndQuery)
                .containsExactly("/v1/topics/orders/history");
    }

    @Test
    void aHistoryTheGatewayRefusesIsItsStatusAndProblemAndAFailedGatewayIsA502() {
        GATEWAY.problem("GET", "/v1/groups/nope/history", 404, "UNKNOWN_GROUP", "Group 'nope' does not exist");
        GATEWAY.problem("GET", "/v1/cluster/history", 503, "COORDINATOR_NOT_AVAILABLE", "No coordinator is active");

        web.get().uri("/charts/groups/nope").exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("UNKNOWN_GROUP")
                .jsonPath("$.detail").isEqualTo("Group 'nope' does not exist");
        web.get().uri("/charts/cluster").exchange()
                .expectStatus().isEqualTo(502)
                .expectBody().jsonPath("$.error_code").isEqualTo("COORDINATOR_NOT_AVAILABLE");
    }
}
