package io.sluice.it;

import io.sluice.launcher.ServiceKind;
import io.sluice.testing.SecurityFiles;
import io.sluice.testing.SluiceCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.UUID;

/**
 * The cluster with security on that {@link SecurityIT} and {@link KafkaSecurityIT} share (a coordinator, three
 * partition services and a gateway, every internal call signed with the cluster secret): HTTP Basic and SASL PLAIN
 * against a users file, JWTs signed by {@link #SIGNER} for OAUTHBEARER, stream tokens, ACLs a second old at most at
 * every service, and a produce quota of 64 KB/s for bob. Its secrets reach the services in a file
 * ({@link SecurityFiles}), deleted with the cluster.
 */
final class SecuredCluster implements AutoCloseable {

    // Fixtures of these tests only; their bcrypt hashes (cost 4) are in the users file below.
    static final String ADMIN_PASSWORD = "it-admin-Pw-7f3a";
    static final String ALICE_PASSWORD = "it-alice-Pw-91c2";
    static final String BOB_PASSWORD = "it-bob-Pw-4d8e";
    static final String USERS = """
            # SecurityIT's and KafkaSecurityIT's users
            admin:$2a$04$sv0sXGofxRM45V/YEJUqw.pBvYF3q6YjHoL.zQejPNxjKJqqpyula
            alice:$2a$04$oomAXcEZr1qThDlEE/WXwuHcu9Fjx7DN7RM3g.0/8SezqsyFLm7He
            bob:$2a$04$gy08ZscBQFwNVzbrsxMd1Ou05iK9rqpUKG2XN8AnVbAtiP.sK0ZeS
            """;
    static final String CLUSTER_SECRET = "it-cluster-" + UUID.randomUUID();
    static final String STREAM_SECRET = "it-stream-" + UUID.randomUUID();
    /** The key the gateway trusts JWTs from. */
    static final KeyPair SIGNER = SecurityFiles.rsaKeyPair();

    private final SluiceCluster cluster;
    private final SecurityFiles secrets;

    private SecuredCluster(SluiceCluster cluster, SecurityFiles secrets) {
        this.cluster = cluster;
        this.secrets = secrets;
    }

    static SecuredCluster start() {
        SecurityFiles secrets = null;
        try {
            secrets = SecurityFiles.create("sluice-secured-it");
            String publicKey = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(SIGNER.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            String importIt = secrets.importArgument(
                    "sluice.security.enabled=true",
                    "sluice.security.cluster-secret=" + CLUSTER_SECRET,
                    "sluice.security.basic.users-file=" + secrets.write("users", USERS),
                    "sluice.security.jwt.public-key-file=" + secrets.write("jwt.pem", publicKey),
                    "sluice.security.super-users=User:admin",
                    "sluice.security.stream-tokens.secret=" + STREAM_SECRET,
                    "sluice.security.acls.refresh-interval=1s",
                    "sluice.security.scram.refresh-interval=1s",
                    "sluice.security.login-throttling.max-failures=1000",
                    "sluice.security.quotas.overrides[User\\:bob].produce-bytes-per-second=64KB");
            SluiceCluster cluster = SluiceCluster.builder("secured").nodes(3).withGateway()
                    .clusterSecret(CLUSTER_SECRET)
                    .args(ServiceKind.COORDINATOR, importIt, "--sluice.coordinator.session-timeout=3s",
                            "--sluice.coordinator.heartbeat-interval=500ms")
                    .args(ServiceKind.PARTITION, importIt)
                    .args(ServiceKind.GATEWAY, importIt)
                    .start();
            return new SecuredCluster(cluster, secrets);
        } catch (IOException e) {
            closeQuietly(secrets);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(secrets);
            throw e;
        }
    }

    SluiceCluster sluice() {
        return cluster;
    }

    @Override
    public void close() throws IOException {
        try {
            cluster.close();
        } finally {
            secrets.close();
        }
    }

    private static void closeQuietly(SecurityFiles secrets) {
        if (secrets != null) {
            try {
                secrets.close();
            } catch (IOException e) {
                System.out.println("[secured] could not delete the secrets' directory: " + e);
            }
        }
    }
}
