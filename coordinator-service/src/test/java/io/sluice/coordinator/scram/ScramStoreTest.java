package io.sluice.coordinator.scram;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.scram.ScramChange;
import io.sluice.internal.scram.ScramCredential;
import io.sluice.internal.scram.ScramCredentialId;
import io.sluice.internal.scram.ScramMechanism;
import io.sluice.internal.scram.ScramSnapshot;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * SCRAM credentials are stored in Redis by the active coordinator, one per user and mechanism, replaced by a newer one
 * and deleted; a change that breaks Kafka's rules, or deletes a credential that does not exist, stores nothing of it.
 */
class ScramStoreTest extends CoordinatorTestSupport {

    private static ScramCredential credential(String user, ScramMechanism mechanism, int iterations, int fill) {
        byte[] key = new byte[mechanism.keyLength()];
        Arrays.fill(key, (byte) fill);
        return new ScramCredential(user, mechanism, iterations, new byte[] {1, 2, 3, (byte) fill}, key, key);
    }

    @Test
    void credentialsShouldBeStoredPerUserAndMechanismReplacedAndDeleted() {
        api();
        long before = snapshot().version();
        alter(new ScramChange(List.of(credential("scram-alice", ScramMechanism.SCRAM_SHA_256, 4096, 1),
                credential("scram-alice", ScramMechanism.SCRAM_SHA_512, 8192, 2)), List.of()), 200);
        alter(new ScramChange(List.of(credential("scram-alice", ScramMechanism.SCRAM_SHA_256, 16384, 3)), List.of()),
                200);

        ScramSnapshot stored = snapshot();
        assertThat(stored.version()).isEqualTo(before + 2);
        assertThat(stored.find("scram-alice", ScramMechanism.SCRAM_SHA_256)).contains(
                credential("scram-alice", ScramMechanism.SCRAM_SHA_256, 16384, 3));
        assertThat(stored.find("scram-alice", ScramMechanism.SCRAM_SHA_512)).contains(
                credential("scram-alice", ScramMechanism.SCRAM_SHA_512, 8192, 2));
        assertThat(TestRedis.shared().commands().hget("sluice:scram-credentials", "SCRAM-SHA-512|scram-alice"))
                .contains("\"iterations\":8192").contains("\"stored_key\"").contains("\"server_key\"");

        alter(new ScramChange(List.of(), List.of(new ScramCredentialId("scram-alice", ScramMechanism.SCRAM_SHA_256))),
                200);
        assertThat(snapshot().credentials()).filteredOn(c -> c.user().equals("scram-alice"))
                .extracting(ScramCredential::mechanism).containsExactly(ScramMechanism.SCRAM_SHA_512);
    }

    @Test
    void aRefusedChangeShouldStoreNothingOfIt() {
        api();
        ScramSnapshot before = snapshot();

        alter(new ScramChange(List.of(credential("scram-bob", ScramMechanism.SCRAM_SHA_256, 4095, 1)), List.of()),
                400);
        alter(new ScramChange(List.of(credential("scram-bob", ScramMechanism.SCRAM_SHA_256, 16385, 1)), List.of()),
                400);
        alter(new ScramChange(List.of(credential("", ScramMechanism.SCRAM_SHA_256, 4096, 1)), List.of()), 400);
        // A good upsertion beside the deletion of a credential that does not exist: neither happens.
        alter(new ScramChange(List.of(credential("scram-bob", ScramMechanism.SCRAM_SHA_256, 4096, 1)),
                List.of(new ScramCredentialId("scram-nobody", ScramMechanism.SCRAM_SHA_512))), 404);

        assertThat(snapshot()).isEqualTo(before);
    }

    private void alter(ScramChange change, int status) {
        web.post().uri("/internal/scram-credentials").contentType(MediaType.APPLICATION_JSON).bodyValue(change)
                .exchange().expectStatus().isEqualTo(status);
    }

    private ScramSnapshot snapshot() {
        return web.get().uri("/internal/scram-credentials").exchange().expectStatus().isOk()
                .expectBody(ScramSnapshot.class).returnResult().getResponseBody();
    }
}
