package io.sluice.gateway.security;

import static io.sluice.gateway.security.SecurityFixtures.ADMIN_PASSWORD;
import static io.sluice.gateway.security.SecurityFixtures.basic;
import static io.sluice.gateway.security.SecurityFixtures.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * ACLs at the gateway: each route needs its operation, deny beats allow, prefixes and wildcards match, listings show
 * only what the principal may describe, a 403 names the operation and the resource, and denials are audited. The
 * principals are JWT subjects (carol, dave, …) so that each test has its own; admin is the super user.
 */
@FakeClusterWebTest
class AuthorizationTest {

    private static final String RECORD = "[{\"value\": 1}]";

    @DynamicPropertySource
    static void security(DynamicPropertyRegistry registry) {
        SecurityFixtures.register(registry);
        registry.add("sluice.security.super-users", () -> "User:admin");
        registry.add("sluice.security.login-throttling.max-failures", () -> "100000");
    }

    @Autowired
    WebTestClient client;

    @Autowired
    FakeCluster cluster;

    @Autowired
    MeterRegistry meters;

    @Test
    void produceShouldNeedWriteAndA403ShouldNameTheOperationAndTopic() {
        topic("authz-orders");

        produce("carol", "authz-orders").expectStatus().isForbidden()
                .expectBody()
                .jsonPath("$.error_code").isEqualTo("TOPIC_AUTHORIZATION_FAILED")
                .jsonPath("$.operation").isEqualTo("WRITE")
                .jsonPath("$.resource_type").isEqualTo("TOPIC")
                .jsonPath("$.resource_name").isEqualTo("authz-orders")
                .jsonPath("$.detail").isEqualTo("User:carol may not WRITE topic 'authz-orders'");
        assertThat(cluster.records("authz-orders", 0)).as("nothing appended").isEmpty();

        allow("User:carol", "TOPIC", "authz-orders", "LITERAL", "WRITE");
        produce("carol", "authz-orders").expectStatus().isOk();
        read("carol", "authz-orders").expectStatus().isForbidden()
                .expectBody().jsonPath("$.operation").isEqualTo("READ");
    }

    @Test
    void aPrefixedAclShouldCoverEveryTopicItPrefixesAndADenyShouldWinOverIt() {
        topic("authz-eu-1");
        topic("authz-eu-2");
        topic("authz-us-1");
        allow("User:dave", "TOPIC", "authz-eu-", "PREFIXED", "READ");
        acl("User:dave", "TOPIC", "authz-eu-2", "LITERAL", "ALL", "DENY");

        read("dave", "authz-eu-1").expectStatus().isOk();
        read("dave", "authz-eu-2").expectStatus().isForbidden();
        read("dave", "authz-us-1").expectStatus().isForbidden();
    }

    @Test
    void aWildcardPrincipalAndAWildcardNameShouldMatchEveryone() {
        topic("authz-public");
        allow("User:*", "TOPIC", "authz-public", "LITERAL", "READ");

        read("erin", "authz-public").expectStatus().isOk();
        read("frank", "authz-public").expectStatus().isOk();
    }

    @Test
    void authorizedOperationsShouldBeWhatThePrincipalMayDoWithATopicOrTheCluster() {
        topic("authz-ops");
        allow("User:kim", "TOPIC", "authz-ops", "LITERAL", "READ");
        allow("User:kim", "TOPIC", "authz-ops", "LITERAL", "ALTER_CONFIGS");
        allow("User:kim", "CLUSTER", "kafka-cluster", "LITERAL", "DESCRIBE");

        client.get().uri("/v1/topics/authz-ops?include_authorized_operations=true")
                .header(HttpHeaders.AUTHORIZATION, bearer("kim")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.authorized_operations")
                .isEqualTo(List.of("READ", "DESCRIBE", "DESCRIBE_CONFIGS", "ALTER_CONFIGS"));
        client.get().uri("/v1/topics/authz-ops").header(HttpHeaders.AUTHORIZATION, bearer("kim")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.authorized_operations").doesNotExist();
        client.get().uri("/v1/cluster?include_authorized_operations=true")
                .header(HttpHeaders.AUTHORIZATION, bearer("kim")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.authorized_operations").isEqualTo(List.of("DESCRIBE"));
        client.get().uri("/v1/cluster?include_authorized_operations=true")
                .header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.authorized_operations")
                .isEqualTo(List.of("CREATE", "ALTER", "DESCRIBE", "DESCRIBE_CONFIGS", "ALTER_CONFIGS"));
    }

    @Test
    void superUsersShouldSeeTheLatestAuditEntriesAndOthersShouldNot() {
        topic("authz-audited");
        produce("lena", "authz-audited").expectStatus().isForbidden();

        admin(client.get().uri("/v1/audit?limit=1000")).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.entries[?(@.principal == 'User:lena')].outcome").isEqualTo(List.of("DENIED"))
                .jsonPath("$.entries[?(@.principal == 'User:lena')].request")
                .isEqualTo(List.of("POST /v1/topics/authz-audited/records"));
        admin(client.get().uri("/v1/audit?limit=0")).exchange().expectStatus().isBadRequest();
        client.get().uri("/v1/audit").header(HttpHeaders.AUTHORIZATION, bearer("lena")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER");
    }

    @Test
    void listingsShouldShowOnlyWhatThePrincipalMayDescribe() {
        topic("authz-list-mine");
        topic("authz-list-other");
        allow("User:grace", "TOPIC", "authz-list-mine", "LITERAL", "READ");

        client.get().uri("/v1/topics?name=authz-list").header(HttpHeaders.AUTHORIZATION, bearer("grace")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.topics.length()").isEqualTo(1)
                .jsonPath("$.topics[0].name").isEqualTo("authz-list-mine");
        client.get().uri("/v1/topics?name=authz-list").header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.topics.length()").isEqualTo(2);
    }

    @Test
    void groupStreamsShouldNeedReadOnTheGroupAndOnItsTopics() {
        topic("authz-group-topic");
        String stream = "/v1/groups/authz-readers/records?topics=authz-group-topic";

        client.get().uri(stream).header(HttpHeaders.AUTHORIZATION, bearer("heidi")).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.error_code").isEqualTo("GROUP_AUTHORIZATION_FAILED");
        allow("User:heidi", "GROUP", "authz-readers", "LITERAL", "READ");
        client.get().uri(stream).header(HttpHeaders.AUTHORIZATION, bearer("heidi")).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.error_code").isEqualTo("TOPIC_AUTHORIZATION_FAILED");
        client.post().uri("/v1/groups/authz-readers/members").header(HttpHeaders.AUTHORIZATION, bearer("heidi"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"topics\": [\"authz-group-topic\"]}")
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.resource_name").isEqualTo("authz-group-topic");
    }

    @Test
    void shareGroupTakesAndAcknowledgementsShouldNeedReadOnTheGroupAndOnTheTopic() {
        topic("authz-share-topic");
        String take = "{\"topic\": \"authz-share-topic\"}";
        String ack = "{\"member_id\": \"m\", \"acknowledgements\": [{\"topic\": \"authz-share-topic\","
                + " \"partition\": 0, \"acquisition_id\": 1, \"type\": \"accept\"}]}";

        for (String[] call : List.of(new String[] {"acquisitions", take}, new String[] {"acknowledgements", ack})) {
            client.post().uri("/v1/share-groups/authz-workers/" + call[0]).header(HttpHeaders.AUTHORIZATION,
                            bearer("quentin")).contentType(MediaType.APPLICATION_JSON).bodyValue(call[1])
                    .exchange().expectStatus().isForbidden()
                    .expectBody().jsonPath("$.error_code").isEqualTo("GROUP_AUTHORIZATION_FAILED");
        }
        allow("User:quentin", "GROUP", "authz-workers", "LITERAL", "READ");
        for (String[] call : List.of(new String[] {"acquisitions", take}, new String[] {"acknowledgements", ack})) {
            client.post().uri("/v1/share-groups/authz-workers/" + call[0]).header(HttpHeaders.AUTHORIZATION,
                            bearer("quentin")).contentType(MediaType.APPLICATION_JSON).bodyValue(call[1])
                    .exchange().expectStatus().isForbidden()
                    .expectBody().jsonPath("$.error_code").isEqualTo("TOPIC_AUTHORIZATION_FAILED")
                    .jsonPath("$.operation").isEqualTo("READ")
                    .jsonPath("$.resource_name").isEqualTo("authz-share-topic");
        }
    }

    @Test
    void shareGroupAdministrationShouldNeedWhatConsumerGroupAdministrationNeeds() {
        topic("authz-share-admin");
        String group = "/v1/share-groups/authz-queue";
        String reset = "{\"topic\": \"authz-share-admin\", \"to\": \"earliest\"}";

        client.get().uri(group).header(HttpHeaders.AUTHORIZATION, bearer("rosa")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.error_code").isEqualTo("GROUP_AUTHORIZATION_FAILED")
                .jsonPath("$.operation").isEqualTo("DESCRIBE");
        client.delete().uri(group).header(HttpHeaders.AUTHORIZATION, bearer("rosa")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("DELETE");
        client.post().uri(group + "/reset").header(HttpHeaders.AUTHORIZATION, bearer("rosa"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(reset).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.error_code").isEqualTo("GROUP_AUTHORIZATION_FAILED")
                .jsonPath("$.operation").isEqualTo("READ");
        allow("User:rosa", "GROUP", "authz-queue", "LITERAL", "READ");
        client.post().uri(group + "/reset").header(HttpHeaders.AUTHORIZATION, bearer("rosa"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(reset).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.error_code").isEqualTo("TOPIC_AUTHORIZATION_FAILED")
                .jsonPath("$.resource_name").isEqualTo("authz-share-admin");
        // A group's configs, as at Kafka: DESCRIBE_CONFIGS to read them, ALTER_CONFIGS to change them (READ is neither).
        client.get().uri(group + "/configs").header(HttpHeaders.AUTHORIZATION, bearer("rosa")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.error_code").isEqualTo("GROUP_AUTHORIZATION_FAILED")
                .jsonPath("$.operation").isEqualTo("DESCRIBE_CONFIGS");
        client.patch().uri(group + "/configs").header(HttpHeaders.AUTHORIZATION, bearer("rosa"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"configs\": [{\"name\": \"share.delivery.count.limit\", \"value\": \"3\"}]}").exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.error_code").isEqualTo("GROUP_AUTHORIZATION_FAILED")
                .jsonPath("$.operation").isEqualTo("ALTER_CONFIGS");
    }

    @Test
    void adminRoutesShouldNeedTheirOperationAndAclAdministrationAlterOnTheCluster() {
        topic("authz-admin");
        client.delete().uri("/v1/topics/authz-admin").header(HttpHeaders.AUTHORIZATION, bearer("ivan")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("DELETE");
        client.patch().uri("/v1/topics/authz-admin/configs").header(HttpHeaders.AUTHORIZATION, bearer("ivan"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"configs\": [{\"name\": \"retention.ms\", \"value\": \"1000\"}]}")
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER_CONFIGS");
        client.post().uri("/v1/topics").header(HttpHeaders.AUTHORIZATION, bearer("ivan"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"authz-new\", \"partition_count\": 1, \"replication_factor\": 1}")
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("CREATE");
        client.get().uri("/v1/nodes").header(HttpHeaders.AUTHORIZATION, bearer("ivan")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.error_code").isEqualTo("CLUSTER_AUTHORIZATION_FAILED");
        client.post().uri("/v1/acls").header(HttpHeaders.AUTHORIZATION, bearer("ivan"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(aclJson("User:ivan", "TOPIC", "x", "LITERAL", "ALL", "ALLOW"))
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER");

        allow("User:ivan", "TOPIC", "authz-admin", "LITERAL", "ALTER_CONFIGS");
        client.get().uri("/v1/topics/authz-admin/configs").header(HttpHeaders.AUTHORIZATION, bearer("ivan")).exchange()
                .expectStatus().isOk();
    }

    @Test
    void brokerConfigsShouldNeedDescribeConfigsAndAlterConfigsOnTheCluster() {
        String change = "{\"configs\": [{\"name\": \"num.partitions\", \"value\": \"6\"}]}";
        client.get().uri("/v1/cluster/configs").header(HttpHeaders.AUTHORIZATION, bearer("bruno")).exchange()
                .expectStatus().isForbidden().expectBody()
                .jsonPath("$.error_code").isEqualTo("CLUSTER_AUTHORIZATION_FAILED")
                .jsonPath("$.operation").isEqualTo("DESCRIBE_CONFIGS");
        client.patch().uri("/v1/cluster/configs").header(HttpHeaders.AUTHORIZATION, bearer("bruno"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(change).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER_CONFIGS");
        assertThat(cluster.brokerConfigs().block().values()).as("nothing set").isEmpty();

        allow("User:bruno", "CLUSTER", "kafka-cluster", "LITERAL", "DESCRIBE_CONFIGS");
        client.get().uri("/v1/cluster/configs").header(HttpHeaders.AUTHORIZATION, bearer("bruno")).exchange()
                .expectStatus().isOk();
        client.patch().uri("/v1/cluster/configs").header(HttpHeaders.AUTHORIZATION, bearer("bruno"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(change).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER_CONFIGS");
    }

    @Test
    void movingPartitionsAndDecommissioningShouldNeedAlterOnTheClusterAndListingThemDescribe() {
        client.post().uri("/v1/reassignments").header(HttpHeaders.AUTHORIZATION, bearer("liam"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partitions\": [{\"topic\": \"t\", \"partition\": 0, \"replicas\": [1]}]}")
                .exchange().expectStatus().isForbidden().expectBody()
                .jsonPath("$.error_code").isEqualTo("CLUSTER_AUTHORIZATION_FAILED")
                .jsonPath("$.operation").isEqualTo("ALTER");
        client.delete().uri("/v1/reassignments/t/0").header(HttpHeaders.AUTHORIZATION, bearer("liam")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER");
        client.post().uri("/v1/nodes/1/decommission").header(HttpHeaders.AUTHORIZATION, bearer("liam")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER");
        client.delete().uri("/v1/nodes/1/decommission").header(HttpHeaders.AUTHORIZATION, bearer("liam")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("ALTER");
        client.get().uri("/v1/reassignments").header(HttpHeaders.AUTHORIZATION, bearer("liam")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("DESCRIBE");
        client.get().uri("/v1/decommissions").header(HttpHeaders.AUTHORIZATION, bearer("liam")).exchange()
                .expectStatus().isForbidden().expectBody().jsonPath("$.operation").isEqualTo("DESCRIBE");

        allow("User:liam", "CLUSTER", "kafka-cluster", "LITERAL", "DESCRIBE");
        client.get().uri("/v1/reassignments").header(HttpHeaders.AUTHORIZATION, bearer("liam")).exchange()
                .expectStatus().isOk();
        client.get().uri("/v1/decommissions").header(HttpHeaders.AUTHORIZATION, bearer("liam")).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aclsShouldBeListedAndDeletedByFilterThroughThePublicApi() {
        allow("User:judy", "TOPIC", "authz-judy", "LITERAL", "READ");
        allow("User:judy", "GROUP", "authz-judy", "LITERAL", "READ");

        admin(client.get().uri("/v1/acls?principal=User:judy&resource_type=group")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.acls.length()").isEqualTo(1)
                .jsonPath("$.acls[0].resource_type").isEqualTo("GROUP");
        admin(client.delete().uri("/v1/acls")).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error_code").isEqualTo("INVALID_ACL");
        admin(client.delete().uri("/v1/acls?principal=User:judy")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.acls.length()").isEqualTo(2);
        admin(client.get().uri("/v1/acls?principal=User:judy")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.acls.length()").isEqualTo(0);
        admin(client.post().uri("/v1/acls")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(aclJson("judy", "TOPIC", "x", "LITERAL", "READ", "ALLOW")).exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.error_code").isEqualTo("INVALID_ACL");
    }

    @Test
    void everyDenialShouldBeCounted() {
        topic("authz-audit");
        double before = denials();

        read("mallory", "authz-audit").expectStatus().isForbidden();

        assertThat(denials() - before).isEqualTo(1.0);
    }

    /** A topic of the fake cluster, once this gateway's metadata has it. */
    private void topic(String name) {
        cluster.topicServedBy(client.mutate().defaultHeader(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD))
                .build(), name, 1, Map.of());
    }

    private double denials() {
        return meters.find("sluice.audit.events").tag("kind", "authorization").tag("operation", "READ")
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private WebTestClient.ResponseSpec produce(String subject, String topic) {
        return client.post().uri("/v1/topics/{t}/records", topic).header(HttpHeaders.AUTHORIZATION, bearer(subject))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(RECORD).exchange();
    }

    private WebTestClient.ResponseSpec read(String subject, String topic) {
        return client.get().uri("/v1/topics/{t}/records?offset=earliest", topic)
                .header(HttpHeaders.AUTHORIZATION, bearer(subject)).exchange();
    }

    private void allow(String principal, String type, String name, String pattern, String operation) {
        acl(principal, type, name, pattern, operation, "ALLOW");
    }

    private void acl(String principal, String type, String name, String pattern, String operation, String permission) {
        admin(client.post().uri("/v1/acls")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(aclJson(principal, type, name, pattern, operation, permission)).exchange()
                .expectStatus().isCreated();
    }

    private static <S extends WebTestClient.RequestHeadersSpec<?>> S admin(S spec) {
        spec.header(HttpHeaders.AUTHORIZATION, basic("admin", ADMIN_PASSWORD));
        return spec;
    }

    private static String aclJson(String principal, String type, String name, String pattern, String operation,
                                  String permission) {
        return """
                {"principal": "%s", "resource_type": "%s", "resource_name": "%s", "pattern_type": "%s",
                 "operation": "%s", "permission": "%s"}""".formatted(principal, type, name, pattern, operation, permission);
    }
}
