package io.sluice.coordinator.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.acl.AclSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** ACLs are stored in Redis by the active coordinator: created once however often, listed, deleted by filter. */
class AclStoreTest extends CoordinatorTestSupport {

    private static final String ALICE_READS_ORDERS = """
            {"principal": "User:alice", "resource_type": "TOPIC", "resource_name": "orders", "pattern_type": "LITERAL",
             "operation": "READ", "permission": "ALLOW"}""";
    private static final String EVERYONE_WRITES_LOGS = """
            {"principal": "User:*", "resource_type": "TOPIC", "resource_name": "logs-", "pattern_type": "PREFIXED",
             "operation": "WRITE", "permission": "ALLOW"}""";

    @Test
    void createdAclsShouldBeListedOnceAndDeletedByFilter() {
        api();
        create(ALICE_READS_ORDERS);
        create(ALICE_READS_ORDERS);
        create(EVERYONE_WRITES_LOGS);

        AclSnapshot stored = snapshot();
        assertThat(stored.acls()).hasSize(2);
        assertThat(stored.version()).isEqualTo(3);
        assertThat(TestRedis.shared().commands().hlen("sluice:acls")).isEqualTo(2);

        web.post().uri("/internal/acls/delete").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"principal\": \"User:alice\"}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].resource_name").isEqualTo("orders").jsonPath("$.length()").isEqualTo(1);

        assertThat(snapshot().acls()).singleElement()
                .satisfies(acl -> assertThat(acl.principal()).isEqualTo("User:*"));
    }

    @Test
    void anAclOutOfFormShouldBeInvalidAclAndStoreNothing() {
        api();
        long before = snapshot().version();
        web.post().uri("/internal/acls").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ALICE_READS_ORDERS.replace("User:alice", "alice")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error_code").isEqualTo("INVALID_ACL");
        web.post().uri("/internal/acls").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(ALICE_READS_ORDERS.replace("\"TOPIC\", \"resource_name\": \"orders\"",
                        "\"CLUSTER\", \"resource_name\": \"orders\"")).exchange()
                .expectStatus().isBadRequest();

        assertThat(snapshot().version()).isEqualTo(before);
    }

    private void create(String json) {
        web.post().uri("/internal/acls").contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange()
                .expectStatus().isOk();
    }

    private AclSnapshot snapshot() {
        return web.get().uri("/internal/acls").exchange().expectStatus().isOk()
                .expectBody(AclSnapshot.class).returnResult().getResponseBody();
    }
}
