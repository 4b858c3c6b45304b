package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.kafka.KafkaBroker;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.launcher.LocalCa;
import io.sluice.testing.KafkaWire;
import io.sluice.testing.Waits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Client certificates at a gateway serving HTTPS and Kafka over TLS from one bundle whose trust store is a local CA
 * ({@link LocalCa}), asking for them ({@code server.ssl.client-auth=want}, {@code sluice.security.tls.client-auth=
 * requested}): a verified certificate without other credentials signs an HTTP request and a Kafka connection in as
 * the principal its subject maps to, other credentials win over it, one no rule maps signs nothing in (the Kafka
 * connection is closed, an audit line), one of another CA fails the handshake (an audit line at the Kafka listener). And KIP-368 on the Kafka listener, with sessions of 2 s: a connection that signs in
 * again keeps working, one that does not is closed at its next request, and one that signs in again as another
 * principal is refused and closed.
 */
@FakeClusterWebTest
class ClientCertificateTest {

    private static final Path CA = directory("sluice-mtls-ca");
    private static final Path OTHER_CA = directory("sluice-mtls-other-ca");
    private static final Duration SESSION = Duration.ofSeconds(2);

    @LocalServerPort
    int port;

    @Autowired
    KafkaBroker broker;

    @DynamicPropertySource
    static void mutualTls(DynamicPropertyRegistry registry) throws IOException {
        LocalCa.issue(CA, LocalCa.keytool(), Files::writeString,
                Map.of("admin", "CN=Admin,OU=clients,O=Example", "bob", "CN=bob,OU=clients,O=Example",
                        "robot", "CN=robot,OU=machines,O=Example"));
        LocalCa.issue(OTHER_CA, LocalCa.keytool(), Files::writeString, Map.of("admin", "CN=Admin,OU=clients,O=Example"));
        SecurityFixtures.register(registry);
        registry.add("sluice.security.super-users", () -> "User:admin");
        registry.add("sluice.security.login-throttling.max-failures", () -> "100000");
        registry.add("spring.ssl.bundle.pem.mtls.keystore.certificate", () -> "file:" + CA.resolve("node.pem"));
        registry.add("spring.ssl.bundle.pem.mtls.keystore.private-key", () -> "file:" + CA.resolve("node.key"));
        registry.add("spring.ssl.bundle.pem.mtls.truststore.certificate", () -> "file:" + CA.resolve("ca.pem"));
        registry.add("server.ssl.bundle", () -> "mtls");
        registry.add("server.ssl.client-auth", () -> "want");
        registry.add("sluice.security.tls.client-auth", () -> "requested");
        // No DEFAULT: a subject outside OU=clients maps to no principal.
        registry.add("sluice.security.tls.principal-mapping-rules", () -> "RULE:^CN=([^,]*),OU=clients.*$/$1/L");
        registry.add("sluice.security.sasl.max-session-lifetime", () -> SESSION.toMillis() + "ms");
    }

    @AfterAll
    static void removeCertificates() throws IOException {
        for (Path dir : List.of(CA, OTHER_CA)) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    @Test
    void aVerifiedCertificateWithoutOtherCredentialsSignsAnHttpRequestInAsItsMappedPrincipal() throws Exception {
        assertThat(get(tls(CA, "admin"), null).statusCode()).as("admin, a super user, by its certificate")
                .isEqualTo(200);

        HttpResponse<String> bob = get(tls(CA, "bob"), null);
        assertThat(bob.statusCode()).isEqualTo(403);
        assertThat(bob.body()).contains("User:bob may not ALTER");

        assertThat(get(tls(CA, "bob"), SecurityFixtures.basic("admin", SecurityFixtures.ADMIN_PASSWORD)).statusCode())
                .as("Basic credentials win over the certificate").isEqualTo(200);
        assertThat(get(tls(CA, null), null).statusCode()).as("no certificate, no credentials").isEqualTo(401);
        assertThatThrownBy(() -> get(tls(OTHER_CA, "admin"), null)).as("a certificate of another CA")
                .isInstanceOf(IOException.class);
    }

    @Test
    void aVerifiedCertificateSignsAKafkaConnectionInWithoutSasl() throws Exception {
        try (KafkaWire.Connection admin = kafka(tls(CA, "admin"))) {
            MetadataResponse metadata = (MetadataResponse) admin.call(ApiKeys.METADATA,
                    new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of())));
            assertThat(metadata.brokers()).as("answered, without a SASL sign-in").isNotEmpty();
        }
        try (KafkaWire.Connection anonymous = kafka(tls(CA, null))) {
            anonymous.send(frame(new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of()))));
            assertThat(anonymous.closedByPeer()).as("no certificate and no SASL sign-in").isTrue();
        }
    }

    @Test
    void aCertificateNoRuleMapsSignsNothingIn() throws Exception {
        assertThat(get(tls(CA, "robot"), null).statusCode()).as("HTTP").isEqualTo(401);
        try (KafkaWire.Connection robot = kafka(tls(CA, "robot"))) {
            robot.send(frame(new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of()))));
            assertThat(robot.closedByPeer()).as("signed in by nothing: its first request without SASL closes it")
                    .isTrue();
        }
        try (KafkaWire.Connection robot = kafka(tls(CA, "robot"))) {
            // SASL over the unmapped certificate, which Kafka's SASL_SSL ignores.
            signIn(robot, "alice", SecurityFixtures.ALICE_PASSWORD);
            MetadataResponse metadata = (MetadataResponse) robot.call(ApiKeys.METADATA,
                    new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of())));
            assertThat(metadata.brokers()).as("answered to alice").isNotEmpty();
        }
        Waits.await("the unmapped certificate in the audit trail", Duration.ofSeconds(30), () -> {
            try {
                String audit = get(tls(CA, "admin"), null, "/v1/audit?kind=authentication").body();
                return audit.contains("no principal mapping rule maps the certificate's subject "
                        + "CN=robot,OU=machines,O=Example") ? audit : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aKafkaHandshakeWithACertificateOfAnotherCaFailsAndIsAudited() throws Exception {
        assertThatThrownBy(() -> {
            try (KafkaWire.Connection stranger = kafka(tls(OTHER_CA, "admin"))) {
                stranger.call(ApiKeys.API_VERSIONS, new ApiVersionsRequest.Builder());
            }
        }).isInstanceOf(IOException.class);

        Waits.await("the refused handshake in the audit trail", Duration.ofSeconds(30), () -> {
            try {
                String audit = get(tls(CA, "admin"), null, "/v1/audit?kind=authentication").body();
                return audit.contains("Kafka TLS handshake from") && audit.contains("\"outcome\":\"FAILED\"")
                        ? audit : null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aConnectionThatSignsInAgainKeepsWorkingPastItsFirstSession() throws Exception {
        try (KafkaWire.Connection alice = kafka(tls(CA, null))) {
            assertThat(signIn(alice, "alice", SecurityFixtures.ALICE_PASSWORD).sessionLifetimeMs())
                    .isEqualTo(SESSION.toMillis());
            long ended = System.nanoTime() + SESSION.toNanos();
            assertThat(apiVersions(alice)).isEqualTo(Errors.NONE);
            waitUntil(ended);

            assertThat(signIn(alice, "alice", SecurityFixtures.ALICE_PASSWORD).sessionLifetimeMs())
                    .as("signed in again after the session ended").isEqualTo(SESSION.toMillis());
            assertThat(apiVersions(alice)).isEqualTo(Errors.NONE);
        }
    }

    @Test
    void aConnectionWhoseSessionEndedIsClosedAtItsNextRequest() throws Exception {
        try (KafkaWire.Connection alice = kafka(tls(CA, null))) {
            signIn(alice, "alice", SecurityFixtures.ALICE_PASSWORD);
            waitUntil(System.nanoTime() + SESSION.toNanos());

            alice.send(frame(new ApiVersionsRequest.Builder()));
            assertThat(alice.closedByPeer()).isTrue();
        }
    }

    @Test
    void signingInAgainAsAnotherPrincipalIsRefusedAndClosesTheConnection() throws Exception {
        try (KafkaWire.Connection alice = kafka(tls(CA, null))) {
            signIn(alice, "alice", SecurityFixtures.ALICE_PASSWORD);

            SaslAuthenticateResponse bob = authenticate(alice, "bob", SecurityFixtures.BOB_PASSWORD);
            assertThat(Errors.forCode(bob.data().errorCode())).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(bob.data().errorMessage()).contains("Cannot change principals");
            assertThat(alice.closedByPeer()).isTrue();
        }
    }

    private static SaslAuthenticateResponse signIn(KafkaWire.Connection connection, String user, String password)
            throws IOException {
        SaslAuthenticateResponse answer = authenticate(connection, user, password);
        assertThat(Errors.forCode(answer.data().errorCode())).as(user + "'s sign-in").isEqualTo(Errors.NONE);
        return answer;
    }

    private static SaslAuthenticateResponse authenticate(KafkaWire.Connection connection, String user,
                                                         String password) throws IOException {
        SaslHandshakeResponse handshake = (SaslHandshakeResponse) connection.call(ApiKeys.SASL_HANDSHAKE, (short) 1,
                new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism("PLAIN")));
        assertThat(Errors.forCode(handshake.data().errorCode())).isEqualTo(Errors.NONE);
        return (SaslAuthenticateResponse) connection.call(ApiKeys.SASL_AUTHENTICATE, (short) 2,
                new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                        .setAuthBytes(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8))));
    }

    private static Errors apiVersions(KafkaWire.Connection connection) throws IOException {
        return Errors.forCode(((ApiVersionsResponse) connection.call(ApiKeys.API_VERSIONS, (short) 3,
                new ApiVersionsRequest.Builder())).data().errorCode());
    }

    /** Waits out a session: the wait is the lifetime itself, the outcome is read afterwards. */
    private static void waitUntil(long nanoTime) {
        long left;
        while ((left = nanoTime + TimeUnit.MILLISECONDS.toNanos(100) - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static byte[] frame(org.apache.kafka.common.requests.AbstractRequest.Builder<?> builder) {
        ApiKeys api = builder.apiKey();
        short version = builder.latestAllowedVersion();
        java.nio.ByteBuffer payload = builder.build(version)
                .serializeWithHeader(new org.apache.kafka.common.requests.RequestHeader(api, version, "raw", 1));
        byte[] frame = new byte[4 + payload.remaining()];
        java.nio.ByteBuffer.wrap(frame).putInt(payload.remaining()).put(payload);
        return frame;
    }

    private KafkaWire.Connection kafka(SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", broker.advertisedPort());
        socket.startHandshake();
        return new KafkaWire.Connection(socket);
    }

    private HttpResponse<String> get(SSLContext context, String authorization) throws Exception {
        return get(context, authorization, "/v1/audit");
    }

    private HttpResponse<String> get(SSLContext context, String authorization, String path) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(context).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Trusts {@code ca}'s CA; presents {@code client}'s certificate of it, none for null. */
    private static SSLContext tls(Path ca, String client) {
        PemSslStoreDetails key = client == null ? null
                : PemSslStoreDetails.forCertificate("file:" + ca.resolve(client + ".pem"))
                        .withPrivateKey("file:" + ca.resolve(client + ".key"));
        return SslBundle.of(new PemSslStoreBundle(key, PemSslStoreDetails.forCertificate("file:"
                + CA.resolve("ca.pem")))).createSslContext();
    }

    private static Path directory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
