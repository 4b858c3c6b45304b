package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.SluiceJson;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.SluiceCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real cluster with security on (Basic users, ACLs, the closed internal plane), driven over HTTP only:
 * an authorization matrix of principals × resources × operations → status over produce, reads, SSE, groups and
 * admin, with literal and prefixed ACLs and a deny over an allow; transactional ids listed and described only where
 * the principal may DESCRIBE them; calls straight to a partition service and to the
 * coordinator without the cluster secret are refused and change nothing; and no password, token or secret of the
 * run appears in any service log. On the secured cluster it shares with {@link KafkaSecurityIT} ({@link SecuredCluster}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SecuredClusterExtension.class)
class SecurityIT {

    private static final String ADMIN_PASSWORD = SecuredCluster.ADMIN_PASSWORD;
    private static final String ALICE_PASSWORD = SecuredCluster.ALICE_PASSWORD;
    private static final String BOB_PASSWORD = SecuredCluster.BOB_PASSWORD;
    private static final String WRONG_PASSWORD = "it-wrong-Pw-" + UUID.randomUUID();
    private static final String CLUSTER_SECRET = SecuredCluster.CLUSTER_SECRET;
    private static final String STREAM_SECRET = SecuredCluster.STREAM_SECRET;
    /** The topics this class makes; the other class on the cluster makes others. */
    private static final List<String> TOPICS = List.of("orders", "logs-app", "logs-secret", "private");

    private static SluiceCluster cluster;
    private static final List<String> issuedTokens = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = SluiceJson.mapper();

    @BeforeAll
    static void useSecuredCluster(SluiceCluster shared) {
        cluster = shared;
    }

    @Test
    @Order(1)
    void theAuthorizationMatrixHolds() throws Exception {
        for (String topic : TOPICS) {
            assertThat(status("admin", "POST", "/v1/topics",
                    "{\"name\":\"" + topic + "\",\"partition_count\":1,\"replication_factor\":3}")).isEqualTo(201);
        }
        acl("User:alice", "TOPIC", "orders", "LITERAL", "WRITE", "ALLOW");
        acl("User:alice", "TOPIC", "orders", "LITERAL", "READ", "ALLOW");
        acl("User:alice", "TOPIC", "logs-", "PREFIXED", "READ", "ALLOW");
        acl("User:alice", "TOPIC", "logs-secret", "LITERAL", "READ", "DENY");
        acl("User:alice", "GROUP", "alice-", "PREFIXED", "READ", "ALLOW");
        acl("User:bob", "TOPIC", "orders", "LITERAL", "READ", "ALLOW");
        awaitProduced("admin", "orders");
        awaitProduced("admin", "logs-app");

        // principal, method, path, body → status
        Object[][] matrix = {
                // produce: WRITE on the topic
                {"alice", "POST", "/v1/topics/orders/records", "[{\"value\":1}]", 200},
                {"bob", "POST", "/v1/topics/orders/records", "[{\"value\":1}]", 403},
                {"alice", "POST", "/v1/topics/logs-app/records", "[{\"value\":1}]", 403},
                {null, "POST", "/v1/topics/orders/records", "[{\"value\":1}]", 401},
                // reads: READ, by literal and by prefix; the deny wins over the prefix
                {"alice", "GET", "/v1/topics/orders/records?offset=earliest", null, 200},
                {"bob", "GET", "/v1/topics/orders/partitions/0/records?offset=earliest", null, 200},
                {"alice", "GET", "/v1/topics/logs-app/records?offset=earliest", null, 200},
                {"alice", "GET", "/v1/topics/logs-secret/records?offset=earliest", null, 403},
                {"bob", "GET", "/v1/topics/logs-app/records?offset=earliest", null, 403},
                {"bob", "GET", "/v1/topics/private/partitions/0/offsets?timestamp=0", null, 403},
                // groups: READ on the group and on its topics
                {"alice", "POST", "/v1/groups/alice-pollers/members", "{\"topics\":[\"orders\"]}", 201},
                {"alice", "POST", "/v1/groups/alice-pollers/members", "{\"topics\":[\"private\"]}", 403},
                {"bob", "POST", "/v1/groups/alice-pollers/members", "{\"topics\":[\"orders\"]}", 403},
                {"bob", "GET", "/v1/groups/alice-pollers", null, 403},
                // admin: each its operation; super user may do all
                {"alice", "DELETE", "/v1/topics/private", null, 403},
                {"alice", "PATCH", "/v1/topics/orders/configs", "{\"configs\":[{\"name\":\"retention.ms\",\"value\":\"60000\"}]}", 403},
                {"alice", "GET", "/v1/topics/orders/configs", null, 403},
                {"admin", "GET", "/v1/topics/orders/configs", null, 200},
                {"alice", "GET", "/v1/nodes", null, 403},
                {"admin", "GET", "/v1/nodes", null, 200},
                {"alice", "POST", "/v1/topics", "{\"name\":\"alices\",\"partition_count\":1,\"replication_factor\":1}", 403},
                {"bob", "GET", "/v1/acls", null, 403},
                {"alice", "POST", "/v1/acls", aclJson("User:alice", "CLUSTER", "kafka-cluster", "LITERAL", "ALL", "ALLOW"), 403},
                {"admin", "GET", "/v1/acls?principal=User:alice", null, 200},
        };
        List<String> wrong = new ArrayList<>();
        for (Object[] row : matrix) {
            HttpResponse<String> answer = send((String) row[0], (String) row[1], (String) row[2], (String) row[3]);
            if (answer.statusCode() != (int) row[4]) {
                wrong.add(row[0] + " " + row[1] + " " + row[2] + " → " + answer.statusCode() + ", expected " + row[4]
                        + ": " + answer.body());
            }
        }
        assertThat(wrong).as("rows of the matrix with another status").isEmpty();

        // SSE: READ per connection, with a stream token in the query string as an EventSource sends it
        assertThat(stream("alice", "/v1/topics/orders/records?offset=earliest")).isEqualTo(200);
        assertThat(stream("alice", "/v1/topics/logs-secret/records")).isEqualTo(403);
        assertThat(stream("bob", "/v1/topics/logs-app/records")).isEqualTo(403);
        assertThat(stream("alice", "/v1/groups/alice-streamers/records?topics=orders")).isEqualTo(200);
        assertThat(stream("bob", "/v1/groups/alice-streamers/records?topics=orders")).isEqualTo(403);

        // listings: only what the principal may describe (READ implies DESCRIBE; the deny is of READ only)
        assertThat(topicNames("alice")).filteredOn(TOPICS::contains)
                .containsExactly("logs-app", "logs-secret", "orders");
        assertThat(topicNames("bob")).filteredOn(TOPICS::contains).containsExactly("orders");
        assertThat(topicNames("admin")).contains("private");

        // a deny added later overrides the allow, at this gateway at once
        acl("User:bob", "TOPIC", "orders", "LITERAL", "ALL", "DENY");
        assertThat(status("bob", "GET", "/v1/topics/orders/records?offset=earliest", null)).isEqualTo(403);
        assertThat(status(null, "GET", "/v1/topics", null)).isEqualTo(401);
        assertThat(status("alice-with-a-wrong-password", "GET", "/v1/topics", null)).isEqualTo(401);
    }

    @Test
    @Order(2)
    void directCallsWithoutTheClusterSecretAreRefusedAndChangeNothing() throws Exception {
        TopicMetadata orders = cluster.coordinator().describeTopic("orders");
        PartitionState partition = orders.partitions().getFirst();
        long before = recordCount("orders");

        try (PartitionApi partitions = new PartitionApi(cluster::nodeUrl)) {
            PartitionApi.ProduceResult refused = partitions.produce(partition.leader(), new TopicPartition("orders", 0),
                    partition.leaderEpoch(), Batches.of("intruder"), "1", 5000);
            assertThat(refused.errorCode()).isEqualTo("SASL_AUTHENTICATION_FAILED");
        }
        HttpResponse<String> createTopic = http.send(HttpRequest.newBuilder(cluster.coordinatorUrl()
                        .resolve("/internal/topics")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sneaky\",\"partitions\":1,\"replication_factor\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> createAcl = http.send(HttpRequest.newBuilder(cluster.coordinatorUrl()
                        .resolve("/internal/acls")).header("Content-Type", "application/json")
                .header("Sluice-Cluster-Secret", "a-guess")
                .POST(HttpRequest.BodyPublishers.ofString(aclJson("User:bob", "CLUSTER", "kafka-cluster", "LITERAL",
                        "ALL", "ALLOW"))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> readTopics = http.send(HttpRequest.newBuilder(cluster.coordinatorUrl()
                .resolve("/internal/topics")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(createTopic.statusCode(), createAcl.statusCode(), readTopics.statusCode()))
                .containsOnly(401);
        assertThat(createTopic.body()).contains("SASL_AUTHENTICATION_FAILED");
        assertThat(recordCount("orders")).as("nothing appended").isEqualTo(before);
        assertThat(status("admin", "GET", "/v1/topics/sneaky", null)).isEqualTo(404);
        assertThat(status("bob", "GET", "/v1/nodes", null)).as("no ACL was stored").isEqualTo(403);
    }

    @Test
    @Order(3)
    void transactionalIdsAreListedAndDescribedOnlyWhereThePrincipalMayDescribe() throws Exception {
        for (String id : List.of("alice-txn-1", "bob-txn-1")) {
            HttpResponse<String> begun = send("admin", "POST", "/v1/transactions",
                    "{\"transactional_id\":\"" + id + "\"}");
            assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        }
        acl("User:alice", "TRANSACTIONAL_ID", "alice-", "PREFIXED", "DESCRIBE", "ALLOW");

        assertThat(transactionalIds("alice")).containsExactly("alice-txn-1");
        assertThat(transactionalIds("bob")).isEmpty();
        assertThat(transactionalIds("admin")).contains("alice-txn-1", "bob-txn-1");
        assertThat(status("alice", "GET", "/v1/transactional-ids/alice-txn-1", null)).isEqualTo(200);
        HttpResponse<String> denied = send("alice", "GET", "/v1/transactional-ids/bob-txn-1", null);
        assertThat(denied.statusCode()).as(denied.body()).isEqualTo(403);
        assertThat(denied.body()).contains("TRANSACTIONAL_ID_AUTHORIZATION_FAILED");
        assertThat(status("alice", "GET", "/v1/transactional-ids/alice-txn-never", null)).isEqualTo(404);
    }

    @Test
    @Order(4)
    void noPasswordTokenOrSecretAppearsInAnyLog() throws IOException {
        List<String> secretsOfTheRun = new ArrayList<>(List.of(ADMIN_PASSWORD, ALICE_PASSWORD, BOB_PASSWORD,
                WRONG_PASSWORD, CLUSTER_SECRET, STREAM_SECRET, basic("admin", ADMIN_PASSWORD).substring(6),
                basic("alice", ALICE_PASSWORD).substring(6)));
        secretsOfTheRun.addAll(issuedTokens);
        assertThat(issuedTokens).as("stream tokens were issued and used").isNotEmpty();

        List<Path> logs;
        try (Stream<Path> files = Files.walk(cluster.baseDir())) {
            logs = files.filter(file -> file.toString().endsWith(".log")).toList();
        }
        assertThat(logs).as("service logs of the run").hasSizeGreaterThanOrEqualTo(5);
        StringBuilder all = new StringBuilder();
        for (Path log : logs) {
            String content = Files.readString(log, StandardCharsets.ISO_8859_1); // byte for byte: not every log is UTF-8
            all.append(content);
            for (String secret : secretsOfTheRun) {
                assertThat(content).as("%s must not contain a secret of the run", log.getFileName())
                        .doesNotContain(secret);
            }
        }
        assertThat(all).as("the audit trail: denials and admin actions, with who and what")
                .contains("audit kind=authorization principal=User:bob operation=WRITE resource_type=TOPIC "
                        + "resource_name=orders outcome=DENIED")
                .contains("audit kind=admin principal=User:admin operation=ALTER resource_type=CLUSTER");
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private int status(String user, String method, String path, String body) throws Exception {
        return send(user, method, path, body).statusCode();
    }

    private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.gatewayUrl().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", basic(user, password(user)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens an SSE stream as an EventSource would, with a freshly minted stream token; answers the status. */
    private int stream(String user, String path) throws Exception {
        HttpResponse<String> minted = send(user, "POST", "/v1/stream-tokens", null);
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        String token = json.readTree(minted.body()).path("token").asString();
        issuedTokens.add(token);
        URI uri = cluster.gatewayUrl().resolve(path + (path.contains("?") ? "&" : "?") + "access_token=" + token);
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    private List<String> topicNames(String user) throws Exception {
        HttpResponse<String> response = send(user, "GET", "/v1/topics", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json.readTree(response.body()).path("topics").forEach(topic -> names.add(topic.path("name").asString()));
        return names;
    }

    private List<String> transactionalIds(String user) throws Exception {
        HttpResponse<String> response = send(user, "GET", "/v1/transactional-ids", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json.readTree(response.body()).path("transactional_ids")
                .forEach(txn -> ids.add(txn.path("transactional_id").asString()));
        return ids;
    }

        private long recordCount(String topic) throws Exception {
        HttpResponse<String> response = send("admin", "GET", "/v1/topics/" + topic + "/partitions/0", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode partition = json.readTree(response.body());
        return partition.path("log_end_offset").asLong();
    }

    /** Produces one record as {@code user} until the new topic's leader takes it. */
    private void awaitProduced(String user, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status;
        do {
            status = status(user, "POST", "/v1/topics/" + topic + "/records?acks=all", "[{\"value\":0}]");
            if (status != 200) {
                Thread.sleep(200);
            }
        } while (status != 200 && System.nanoTime() < deadline);
        assertThat(status).as("a first record in " + topic).isEqualTo(200);
    }

    private void acl(String principal, String type, String name, String pattern, String operation, String permission)
            throws Exception {
        HttpResponse<String> created = send("admin", "POST", "/v1/acls",
                aclJson(principal, type, name, pattern, operation, permission));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static String aclJson(String principal, String type, String name, String pattern, String operation,
                                  String permission) {
        return "{\"principal\":\"" + principal + "\",\"resource_type\":\"" + type + "\",\"resource_name\":\"" + name
                + "\",\"pattern_type\":\"" + pattern + "\",\"operation\":\"" + operation + "\",\"permission\":\""
                + permission + "\"}";
    }

    private static String password(String user) {
        return switch (user) {
            case "admin" -> ADMIN_PASSWORD;
            case "alice" -> ALICE_PASSWORD;
            case "bob" -> BOB_PASSWORD;
            default -> WRONG_PASSWORD;
        };
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
