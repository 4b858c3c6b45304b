package io.sluice.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.ConnectWorker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Connect pages against a fake Kafka Connect REST API (a {@link FakeGateway} answering Connect's JSON) and a second
 * configured cluster nobody listens on: what each page shows for Connect's answers, Connect's refusals shown next to
 * the form with what was typed kept, and bad input refused without a call that would change anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S")
class ConnectPagesTest extends PageRequests {

    private static final FakeGateway CONNECT = new FakeGateway();
    private static final int NOBODY = ConnectWorker.freePort();

    private static final String SOURCE_CLASS = "org.apache.kafka.connect.file.FileStreamSourceConnector";
    private static final String EXPANDED = """
            {"file-source": {
               "status": {"name": "file-source", "connector": {"state": "RUNNING", "worker_id": "10.0.0.1:8083"},
                          "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "10.0.0.1:8083"}], "type": "source"},
               "info": {"name": "file-source", "config": {"connector.class": "%s", "tasks.max": "1"},
                        "tasks": [{"connector": "file-source", "task": 0}], "type": "source"}},
             "file-sink": {
               "status": {"name": "file-sink", "connector": {"state": "RUNNING", "worker_id": "10.0.0.2:8083"},
                          "tasks": [{"id": 0, "state": "FAILED", "worker_id": "10.0.0.2:8083",
                                     "trace": "org.apache.kafka.connect.errors.ConnectException: no such file"},
                                    {"id": 1, "state": "RUNNING", "worker_id": "10.0.0.1:8083"}], "type": "sink"},
               "info": {"name": "file-sink",
                        "config": {"connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector"},
                        "tasks": [], "type": "sink"}}}""".formatted(SOURCE_CLASS);
    private static final String SINK_INFO = """
            {"name": "file-sink", "config": {"connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector",
             "file": "/nowhere/out.txt", "topics": "lines"}, "tasks": [], "type": "sink"}""";
    private static final String SINK_STATUS = """
            {"name": "file-sink", "connector": {"state": "RUNNING", "worker_id": "10.0.0.2:8083"},
             "tasks": [{"id": 0, "state": "FAILED", "worker_id": "10.0.0.2:8083",
                        "trace": "org.apache.kafka.connect.errors.ConnectException: Couldn't find or create file"}],
             "type": "sink"}""";
    private static final String INVALID = """
            {"error_code": 400, "message": "Connector configuration is invalid and contains the following 1 error(s):\\n\
            Missing required configuration \\"topic\\" which has no default value."}""";

    @DynamicPropertySource
    static void connect(DynamicPropertyRegistry registry) {
        registry.add("sluice.admin-ui.gateway-url", () -> "http://127.0.0.1:" + NOBODY);
        registry.add("sluice.admin-ui.request-timeout", () -> "5s");
        registry.add("sluice.admin-ui.connect.clusters[0].name", () -> "local");
        registry.add("sluice.admin-ui.connect.clusters[0].url", CONNECT::url);
        registry.add("sluice.admin-ui.connect.clusters[0].username", () -> "connect-admin");
        registry.add("sluice.admin-ui.connect.clusters[0].password", () -> "secret");
        registry.add("sluice.admin-ui.connect.clusters[1].name", () -> "offline");
        registry.add("sluice.admin-ui.connect.clusters[1].url", () -> "http://127.0.0.1:" + NOBODY);
    }

    @AfterAll
    static void stop() {
        CONNECT.close();
    }

    @BeforeEach
    void resetConnect() {
        CONNECT.reset();
        CONNECT.json("GET", "/connectors/file-sink", SINK_INFO);
        CONNECT.json("GET", "/connectors/file-sink/status", SINK_STATUS);
    }

    @Test
    void theConnectPageListsEachClustersConnectorsWithTheirStatesOrTheProblemTheClusterGave() {
        CONNECT.json("GET", "/", "{\"version\": \"4.3.1\", \"commit\": \"abc\", \"kafka_cluster_id\": \"sluice\"}");
        CONNECT.json("GET", "/connectors", EXPANDED);

        String page = get("/connect");

        assertThat(page).contains("Kafka Connect <span>4.3.1</span>", ">file-source</a>", ">source</td>",
                ">FileStreamSourceConnector</td>", ">file-sink</a>", ">sink</td>", ">FileStreamSinkConnector</td>");
        assertThat(page).as("the sink with a failed task of its two is highlighted")
                .containsPattern("<tr class=\"bad\">\\s*<td><a href=\"/connect/local/connectors/file-sink\">"
                        + "file-sink</a></td>\\s*<td>sink</td>\\s*<td[^>]*>FileStreamSinkConnector</td>\\s*"
                        + "<td class=\"state\">RUNNING</td>\\s*<td class=\"num\">2</td>\\s*<td class=\"num\">1</td>");
        assertThat(page).as("the cluster nobody listens on").contains("offline", "did not answer",
                "CONNECT_UNREACHABLE");
        assertThat(CONNECT.calls("GET")).extracting(FakeGateway.Call::pathAndQuery)
                .contains("/connectors?expand=status&expand=info");
        assertThat(CONNECT.calls()).as("the configured credentials, not a signed-in user's")
                .allSatisfy(call -> assertThat(call.user()).isEqualTo("connect-admin"));
    }

    @Test
    void aConnectorsPageShowsItsConfigItsTasksAndTheTraceOfTheTaskThatFailed() {
        String page = get("/connect/local/connectors/file-sink");

        assertThat(page).contains("id=\"connector-state\">RUNNING</dd>", "FileStreamSinkConnector", "10.0.0.2:8083",
                "Couldn&#39;t find or create file", "&quot;file&quot; : &quot;/nowhere/out.txt&quot;",
                "Restart task", "Delete connector");
        assertThat(page).containsPattern("<tr class=\"bad\">\\s*<td class=\"num\">0</td>\\s*"
                + "<td class=\"state\">FAILED</td>");
    }

    @Test
    void aConnectorJustCreatedWithoutAStatusYetShowsItsConfigAndSaysSo() {
        CONNECT.answer("GET", "/connectors/file-sink/status", 404, "application/json",
                "{\"error_code\": 404, \"message\": \"No status found for connector file-sink\"}");

        assertThat(get("/connect/local/connectors/file-sink")).contains("NOT REPORTED YET", "/nowhere/out.txt");
    }

    @Test
    void anUnknownConnectorOrClusterIsA404PageSayingSo() {
        CONNECT.answer("GET", "/connectors/nope", 404, "application/json",
                "{\"error_code\": 404, \"message\": \"Connector nope not found\"}");
        CONNECT.answer("GET", "/connectors/nope/status", 404, "application/json",
                "{\"error_code\": 404, \"message\": \"No status found for connector nope\"}");

        assertThat(page("/connect/local/connectors/nope", 404)).contains("nope", "<code>404</code>");
        assertThat(page("/connect/elsewhere/connectors/nope", 404)).contains("No Connect cluster named elsewhere",
                "UNKNOWN_CONNECT_CLUSTER");
        assertThat(page("/connect/offline/connectors/x", 502)).contains("CONNECT_UNREACHABLE");
    }

    @Test
    void aConnectorCreatedFromConnectsOwnJsonIsPostedAsTypedAndItsPageFollows() {
        CONNECT.answer("POST", "/connectors", 201, "application/json", SINK_INFO);

        web.post().uri("/connect/local/connectors").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("name", "", "json", """
                        {"name": "file-source", "config": {"connector.class": "%s", "tasks.max": 1,
                         "file": "/tmp/in.txt", "topic": "lines"}}""".formatted(SOURCE_CLASS)))
                .exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", "/connect/local/connectors/file-source\\?notice=.*");

        String body = CONNECT.calls("POST").getFirst().body();
        assertThat(body).contains("\"name\":\"file-source\"", "\"connector.class\":\"" + SOURCE_CLASS + "\"",
                "\"tasks.max\":\"1\"", "\"topic\":\"lines\"");
    }

    @Test
    void aConnectorCreatedFromItsSettingsAloneTakesTheNameField() {
        CONNECT.answer("POST", "/connectors", 201, "application/json", SINK_INFO);

        post("/connect/local/connectors", form("name", "file-source", "json",
                "{\"connector.class\": \"" + SOURCE_CLASS + "\", \"topic\": \"lines\"}"), 303);

        assertThat(CONNECT.calls("POST").getFirst().body()).startsWith("{\"name\":\"file-source\",\"config\":{")
                .contains("\"topic\":\"lines\"");
    }

    @Test
    void connectsValidationErrorsAreShownNextToTheCreateFormWithWhatWasTypedKept() {
        CONNECT.answer("POST", "/connectors", 400, "application/json", INVALID);
        CONNECT.json("GET", "/connector-plugins", "[{\"class\": \"" + SOURCE_CLASS + "\", \"type\": \"source\","
                + " \"version\": \"4.3.1\"}]");

        String page = post("/connect/local/connectors", form("name", "no-topic", "json",
                "{\"connector.class\": \"" + SOURCE_CLASS + "\"}"), 422);

        assertThat(page).contains("Missing required configuration", "(400)", "value=\"no-topic\"",
                "{&quot;connector.class&quot;: &quot;" + SOURCE_CLASS + "&quot;}");
        assertThat(page).as("the plugins beside the form").contains("<code>" + SOURCE_CLASS + "</code>");
    }

    @Test
    void jsonTheConsoleCannotReadIsRefusedWithoutACallToConnect() {
        CONNECT.json("GET", "/connector-plugins", "[]");

        assertThat(post("/connect/local/connectors", form("name", "x", "json", "{not json"), 422))
                .contains("Not JSON");
        assertThat(post("/connect/local/connectors", form("name", "", "json",
                "{\"connector.class\": \"" + SOURCE_CLASS + "\"}"), 422)).contains("A connector needs a name");
        assertThat(post("/connect/local/connectors", form("name", "a", "json",
                "{\"name\": \"b\", \"config\": {\"topic\": \"t\"}}"), 422)).contains("the JSON&#39;s &quot;name&quot; says b");
        assertThat(post("/connect/local/connectors", form("name", "a", "json", "[1, 2]"), 422))
                .contains("must be an object");
        assertThat(post("/connect/local/connectors/file-sink/config", form("json", "{\"file\": {\"x\": 1}}"), 422))
                .contains("Setting file must be a string");

        assertThat(CONNECT.calls("POST")).isEmpty();
        assertThat(CONNECT.calls("PUT")).isEmpty();
    }

    @Test
    void pauseResumeStopAndRestartsAreConnectsCalls() {
        CONNECT.answer("PUT", "/connectors/file-sink/pause", 202, "application/json", "");
        CONNECT.answer("PUT", "/connectors/file-sink/resume", 202, "application/json", "");
        CONNECT.answer("PUT", "/connectors/file-sink/stop", 204, "application/json", "");
        CONNECT.answer("POST", "/connectors/file-sink/restart", 202, "application/json", SINK_STATUS);
        CONNECT.answer("POST", "/connectors/file-sink/tasks/0/restart", 204, "application/json", "");

        post("/connect/local/connectors/file-sink/pause", form(), 303);
        post("/connect/local/connectors/file-sink/resume", form(), 303);
        post("/connect/local/connectors/file-sink/stop", form(), 303);
        post("/connect/local/connectors/file-sink/restart", form("includeTasks", "on", "onlyFailed", "on"), 303);
        post("/connect/local/connectors/file-sink/restart", form(), 303);
        post("/connect/local/connectors/file-sink/tasks/0/restart", form(), 303);

        assertThat(CONNECT.calls()).filteredOn(call -> !call.method().equals("GET"))
                .extracting(call -> call.method() + " " + call.pathAndQuery())
                .containsExactly("PUT /connectors/file-sink/pause", "PUT /connectors/file-sink/resume",
                        "PUT /connectors/file-sink/stop",
                        "POST /connectors/file-sink/restart?includeTasks=true&onlyFailed=true",
                        "POST /connectors/file-sink/restart?includeTasks=false&onlyFailed=false",
                        "POST /connectors/file-sink/tasks/0/restart");
    }

    @Test
    void aRefusedActionIsShownNextToItsForm() {
        CONNECT.answer("POST", "/connectors/file-sink/restart", 409, "application/json",
                "{\"error_code\": 409, \"message\": \"Cannot complete request momentarily due to stale configuration\"}");

        String page = post("/connect/local/connectors/file-sink/restart", form("includeTasks", "on"), 422);

        assertThat(page).contains("stale configuration (409)");
    }

    @Test
    void anEditedConfigIsPutAndConnectsRefusalKeepsWhatWasTyped() {
        CONNECT.answer("PUT", "/connectors/file-sink/config", 400, "application/json", INVALID);

        String page = post("/connect/local/connectors/file-sink/config", form("json",
                "{\"connector.class\": \"x.Y\", \"tasks.max\": \"2\"}"), 422);

        assertThat(page).contains("Missing required configuration", "&quot;tasks.max&quot;: &quot;2&quot;");
        assertThat(CONNECT.calls("PUT").getFirst().body()).isEqualTo("{\"connector.class\":\"x.Y\",\"tasks.max\":\"2\"}");

        CONNECT.answer("PUT", "/connectors/file-sink/config", 200, "application/json", SINK_INFO);
        post("/connect/local/connectors/file-sink/config", form("json", "{\"connector.class\": \"x.Y\"}"), 303);
    }

    @Test
    void aConnectorIsDeletedOnlyWithItsNameTyped() {
        CONNECT.answer("DELETE", "/connectors/file-sink", 204, "application/json", "");

        assertThat(post("/connect/local/connectors/file-sink/delete", form("confirm", "file-sin"), 422))
                .contains("Type the connector&#39;s name, file-sink, to confirm; nothing was deleted");
        assertThat(CONNECT.calls("DELETE")).isEmpty();

        web.post().uri("/connect/local/connectors/file-sink/delete").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("confirm", "file-sink")).exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueMatches("Location", "/connect\\?notice=.*");
        assertThat(CONNECT.calls("DELETE")).extracting(FakeGateway.Call::pathAndQuery)
                .containsExactly("/connectors/file-sink");
    }
}
