package io.sluice.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Confluent's Schema Registry API on the gateway of a real cluster (coordinator, partition services, gateway as
 * processes), spoken as Confluent's clients speak it: their media type, their bodies and their error codes. Each
 * test uses subjects of its own.
 */
@ExtendWith(SharedGatewayCluster.class)
class SchemaRegistryApiIT {

    private static final String TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String BASE = "/schema-registry";
    private static final String USER_V1 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.example\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    private static final String USER_V2 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.example\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\","
            + "\"default\":0}]}";
    private static final String USER_BAD = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.example\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"int\"}]}";

    private static GatewayCluster cluster;

    @BeforeAll
    static void cluster(GatewayCluster shared) {
        cluster = shared;
    }

    @Test
    void aSchemaIsRegisteredReadByIdAndByVersionAndLookedUp() {
        int id = register("api-users-value", USER_V1).path("id").asInt();

        JsonNode byId = ok(get("/schemas/ids/" + id));
        JsonNode latest = ok(get("/subjects/api-users-value/versions/latest"));
        JsonNode found = ok(post("/subjects/api-users-value", schema(USER_V1)));
        Response raw = get("/schemas/ids/" + id + "/schema");

        assertThat(byId.has("schemaType")).as("Avro is implied, as Confluent answers").isFalse();
        assertThat(GatewayCluster.JSON.readTree(byId.path("schema").asString()).path("name").asString())
                .isEqualTo("User");
        assertThat(latest.path("subject").asString()).isEqualTo("api-users-value");
        assertThat(latest.path("version").asInt()).isEqualTo(1);
        assertThat(latest.path("id").asInt()).isEqualTo(id);
        assertThat(found.path("version").asInt()).isEqualTo(1);
        assertThat(raw.status()).isEqualTo(200);
        assertThat(GatewayCluster.JSON.readTree(raw.text()).path("type").asString()).isEqualTo("record");
        assertThat(values(get("/subjects"))).contains("api-users-value");
        assertThat(values(get("/subjects/api-users-value/versions"))).containsExactly("1");
        assertThat(ok(get("/schemas/ids/" + id + "/versions")).get(0).path("subject").asString())
                .isEqualTo("api-users-value");
        assertThat(values(get("/schemas/types"))).containsExactlyInAnyOrder("AVRO", "PROTOBUF", "JSON");
    }

    @Test
    void anIncompatibleSchemaIsAConflictWithConfluentsCodeAndACompatibleOneANewVersion() {
        register("api-compat-value", USER_V1);

        Response refused = post("/subjects/api-compat-value/versions", schema(USER_BAD));
        JsonNode check = ok(post("/compatibility/subjects/api-compat-value/versions/latest?verbose=true",
                schema(USER_BAD)));
        int v2 = register("api-compat-value", USER_V2).path("id").asInt();

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error_code").asInt()).isEqualTo(40901);
        assertThat(check.path("is_compatible").asBoolean()).isFalse();
        assertThat(check.path("messages")).isNotEmpty();
        assertThat(ok(get("/subjects/api-compat-value/versions/2")).path("id").asInt()).isEqualTo(v2);
    }

    @Test
    void errorsAreConfluentsBodiesAndCodes() {
        register("api-errors-value", USER_V1);

        assertError(get("/subjects/api-nobody-value/versions"), 404, 40401);
        assertError(get("/subjects/api-errors-value/versions/9"), 404, 40402);
        assertError(get("/schemas/ids/99999"), 404, 40403);
        assertError(get("/subjects/api-errors-value/versions/zero"), 422, 42202);
        assertError(post("/subjects/api-errors-value/versions", schema("{\"type\":\"nonsense\"}")), 422, 42201);
        assertError(cluster.call("PUT", BASE + "/config/api-errors-value", "{\"compatibility\":\"SIDEWAYS\"}", TYPE),
                422, 42203);
        assertError(post("/subjects/api-errors-value/versions", "{\"schema\": "), 422, 422);
        assertError(get("/config/api-errors-value"), 404, 40408);
    }

    @Test
    void levelsAndModesAreSetReadAndRemovedAsConfluentsAre() {
        register("api-config-value", USER_V1);

        JsonNode set = ok(cluster.call("PUT", BASE + "/config/api-config-value", "{\"compatibility\":\"NONE\"}", TYPE));
        int unchecked = register("api-config-value", USER_BAD).path("id").asInt();
        JsonNode global = ok(get("/config"));
        JsonNode removed = ok(cluster.call("DELETE", BASE + "/config/api-config-value", null, null));
        JsonNode inherited = ok(get("/config/api-config-value?defaultToGlobal=true"));
        ok(cluster.call("PUT", BASE + "/mode/api-config-value", "{\"mode\":\"READONLY\"}", TYPE));
        Response readOnly = post("/subjects/api-config-value/versions", schema(USER_V2));
        JsonNode mode = ok(get("/mode/api-config-value"));
        ok(cluster.call("DELETE", BASE + "/mode/api-config-value", null, null));

        assertThat(set.path("compatibility").asString()).isEqualTo("NONE");
        assertThat(unchecked).isPositive();
        assertThat(global.path("compatibilityLevel").asString()).isEqualTo("BACKWARD");
        assertThat(removed.path("compatibilityLevel").asString()).isEqualTo("NONE");
        assertThat(inherited.path("compatibilityLevel").asString()).isEqualTo("BACKWARD");
        assertError(readOnly, 422, 42205);
        assertThat(mode.path("mode").asString()).isEqualTo("READONLY");
    }

    @Test
    void aSubjectIsDeletedSoftlyThenForGood() {
        register("api-delete-value", USER_V1);

        assertThat(values(cluster.call("DELETE", BASE + "/subjects/api-delete-value", null, null)))
                .containsExactly("1");
        assertError(get("/subjects/api-delete-value/versions"), 404, 40401);
        assertThat(values(get("/subjects?deleted=true"))).contains("api-delete-value");
        assertThat(values(cluster.call("DELETE", BASE + "/subjects/api-delete-value?permanent=true", null, null)))
                .containsExactly("1");
        assertThat(values(get("/subjects?deleted=true"))).doesNotContain("api-delete-value");
    }

    /**
     * The registry is the metadata's: a coordinator SIGKILLed and started again (on the Redis it left) answers every
     * subject and version, and gives the next schema an id no schema had.
     */
    @Test
    void theRegistryOutlivesItsCoordinatorsDeathAndNeverGivesAnIdTwice() {
        int before = register("api-failover-value", USER_V1).path("id").asInt();

        cluster.processes().kill(LocalCluster.COORDINATOR);
        cluster.processes().start(LocalCluster.COORDINATOR);
        Response versions = Waits.await("the registry answering again", Duration.ofSeconds(90), () -> {
            Response answer = get("/subjects/api-failover-value/versions");
            return answer.status() == 200 ? answer : null;
        });
        int after = register("api-failover-value", USER_V2).path("id").asInt();

        assertThat(values(versions)).containsExactly("1");
        assertThat(after).isGreaterThan(before);
        assertThat(ok(get("/subjects/api-failover-value/versions/2")).path("id").asInt()).isEqualTo(after);
    }

    @Test
    void unknownQueryParametersOfNewerClientsAreIgnored() {
        int id = register("api-lenient-value", USER_V1).path("id").asInt();

        assertThat(get("/schemas/ids/" + id + "?fetchMaxId=false&format=resolved").status()).isEqualTo(200);
    }

    private static JsonNode register(String subject, String schema) {
        return ok(post("/subjects/" + subject + "/versions", schema(schema)));
    }

    private static String schema(String schema) {
        return GatewayCluster.JSON.writeValueAsString(Map.of("schema", schema));
    }

    private static Response get(String path) {
        return cluster.call("GET", BASE + path, null, null);
    }

    private static Response post(String path, String body) {
        return cluster.call("POST", BASE + path, body, TYPE);
    }

    private static JsonNode ok(Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static List<String> values(Response response) {
        return ok(response).valueStream().map(JsonNode::asString).toList();
    }

    private static void assertError(Response response, int status, int code) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().path("error_code").asInt()).as(response.text()).isEqualTo(code);
        assertThat(response.json().path("message").asString()).isNotBlank();
    }
}
