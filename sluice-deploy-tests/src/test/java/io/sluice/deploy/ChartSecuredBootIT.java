package io.sluice.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A secured release (values/boot-secured.yaml) really starts from what the chart gives each container: the switch,
 * the cluster and stream-token secrets the chart generates read from their config tree, the users file, the gateway's
 * properties from its ConfigMap, HTTPS from the TLS Secret, and the console's sign-in and its trust in the gateway's
 * certificate. The Secrets an operator creates (users, the certificate) are made here; every Secret and ConfigMap
 * volume is written as the files the kubelet would mount ({@link ChartContainers}, {@link LoopbackCluster}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChartSecuredBootIT {

    // A fixture of this test only (SecurityIT's admin): its bcrypt hash (cost 4) is in the users file.
    private static final String ADMIN = "admin:it-admin-Pw-7f3a";
    private static final String USERS = "admin:$2a$04$sv0sXGofxRM45V/YEJUqw.pBvYF3q6YjHoL.zQejPNxjKJqqpyula\n";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private LoopbackCluster cluster;
    private HttpClient https;
    private URI gateway;

    @BeforeAll
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void startTheSecuredReleaseOnLoopback() throws Exception {
        Path workDir = Path.of("target", "chart-secured-boot").toAbsolutePath();
        Files.createDirectories(workDir);
        Map<String, String> tls = certificate(workDir);
        Manifests manifests = Chart.manifests("boot-secured.yaml");
        cluster = LoopbackCluster.start(workDir, ChartContainers.of(manifests, Dockerfile.read(), Map.of(
                        "sluice-users", Map.of("users", USERS),
                        "sluice-gateway-tls", tls)),
                Set.copyOf(ChartContainers.redisHosts(manifests)));
        https = HttpClient.newBuilder().sslContext(trusting(tls.get("ca.crt"))).connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(new CookieManager()).build();
        gateway = URI.create("https://127.0.0.1:" + cluster.of("gateway-service").getFirst().port());
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theGatewayRefusesAnUnauthenticatedRequestAndServesTheSuperUserOverHttps() throws Exception {
        assertThat(send(HttpRequest.newBuilder(gateway.resolve("/v1/topics"))).statusCode()).isEqualTo(401);

        HttpResponse<String> created = send(signed(gateway.resolve("/v1/topics")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(
                "{\"name\":\"secured\",\"partition_count\":1,\"replication_factor\":1}")));
        HttpResponse<String> produced = send(signed(gateway.resolve("/v1/topics/secured/records?acks=all"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"partition\":0,\"value\":\"over-tls\"}]")));
        HttpResponse<String> read = send(signed(gateway.resolve(
                "/v1/topics/secured/partitions/0/records?offset=earliest")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // The produce crossed the internal plane: the partition service accepted the gateway's cluster secret.
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
        assertThat(read.body()).contains("over-tls");
    }

    @Test
    void theCoordinatorRefusesAnInternalCallWithoutTheClusterSecret() throws Exception {
        URI coordinator = cluster.of("coordinator-service").getFirst().url();

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                coordinator.resolve("/internal/metadata")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    }

    @Test
    void theConsoleAsksToSignInAndThenShowsTheGatewaysTopicsOverHttps() throws Exception {
        send(signed(gateway.resolve("/v1/topics")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"console-secured\",\"partition_count\":1,\"replication_factor\":1}")));
        URI console = cluster.of("admin-ui").getFirst().url();

        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(console.resolve("/topics")));
        Matcher csrf = CSRF.matcher(send(HttpRequest.newBuilder(console.resolve("/sign-in"))).body());
        assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
        String[] user = ADMIN.split(":", 2);
        HttpResponse<String> signIn = send(HttpRequest.newBuilder(console.resolve("/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user[0] + "&password="
                        + URLEncoder.encode(user[1], StandardCharsets.UTF_8) + "&_csrf="
                        + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))));
        HttpResponse<String> topics = send(HttpRequest.newBuilder(console.resolve("/topics")));

        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/sign-in"));
        assertThat(signIn.headers().firstValue("Location")).as("signed in")
                .hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.body()).contains("console-secured");
    }

    private HttpRequest.Builder signed(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return https.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The Secret sluice-gateway-tls: a self-signed certificate for the gateway's Service and loopback (which the
     * console's rewritten URL names), made with the JDK's keytool, as PEM; the certificate is its own CA.
     */
    private static Map<String, String> certificate(Path dir) throws IOException, InterruptedException,
            GeneralSecurityException {
        Path store = dir.resolve("gateway.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=sluice-gateway", "-ext", "san=dns:sluice-gateway,ip:127.0.0.1")
                .redirectErrorStream(true).start();
        String output;
        try (InputStream out = keytool.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String crt = "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(keys.getCertificate("gateway").getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        String key = "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(keys.getKey("gateway",
                "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Files.delete(store);
        return Map.of("tls.crt", crt, "tls.key", key, "ca.crt", crt);
    }

    private static SSLContext trusting(String pem) throws GeneralSecurityException, IOException {
        Certificate ca = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("gateway", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
