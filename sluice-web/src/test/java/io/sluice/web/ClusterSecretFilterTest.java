package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.client.InternalTls;
import io.sluice.launcher.LocalCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may use an internal route with security on: a connection whose client certificate the cluster's CA issued, or
 * a request with the cluster secret; nobody else, and a certificate opens nothing without internal TLS configured.
 */
class ClusterSecretFilterTest {

    private static final String SECRET = "the-cluster-secret-of-this-test";

    @TempDir
    static Path dir;

    private static List<X509Certificate> member;
    private static List<X509Certificate> stranger;
    private static InternalTls clusterTls;

    @BeforeAll
    static void twoCas() throws Exception {
        Path cluster = Files.createDirectory(dir.resolve("cluster"));
        Path other = Files.createDirectory(dir.resolve("other"));
        LocalCa.issue(cluster, LocalCa.keytool(), ClusterSecretFilterTest::write);
        LocalCa.issue(other, LocalCa.keytool(), ClusterSecretFilterTest::write);
        member = LocalCa.readCertificates(Files.readString(cluster.resolve(LocalCa.CERTIFICATE)));
        stranger = LocalCa.readCertificates(Files.readString(other.resolve(LocalCa.CERTIFICATE)));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca",
                LocalCa.readCertificates(Files.readString(cluster.resolve(LocalCa.CA_CERTIFICATE))).getFirst());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        clusterTls = new InternalTls(null, trustManagers);
    }

    @Test
    void aClientCertificateOfTheClusterCaIsLetThrough() {
        assertThat(passes(filter(clusterTls), request(member, null))).isTrue();
    }

    @Test
    void aClientCertificateOfAnotherCaIsRefused() {
        assertThat(passes(filter(clusterTls), request(stranger, null))).isFalse();
    }

    @Test
    void theSecretAloneIsLetThroughAndNothingIsRefused() {
        assertThat(passes(filter(clusterTls), request(null, SECRET))).isTrue();
        assertThat(passes(filter(clusterTls), request(null, null))).isFalse();
        assertThat(passes(filter(clusterTls), request(null, "a-guess"))).isFalse();
    }

    @Test
    void withoutInternalTlsACertificateOpensNothing() {
        assertThat(passes(filter(null), request(member, null))).isFalse();
        assertThat(passes(filter(null), request(member, SECRET))).isTrue();
    }

    private static ClusterSecretFilter filter(InternalTls tls) {
        return new ClusterSecretFilter(ClusterAdmission.closed(new ClusterSecurityProperties(true, SECRET), tls),
                JsonMapper.builder().build());
    }

    private static MockServerHttpRequest request(List<X509Certificate> chain, String secret) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/internal/produce");
        if (chain != null) {
            request.sslInfo(SslInfo.from("session", chain.toArray(X509Certificate[]::new)));
        }
        if (secret != null) {
            request.header("Sluice-Cluster-Secret", secret);
        }
        return request.build();
    }

    /** Whether the filter handed the request on; a refusal is a 401. */
    private static boolean passes(ClusterSecretFilter filter, MockServerHttpRequest request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        AtomicBoolean handedOn = new AtomicBoolean();
        filter.filter(exchange, next -> Mono.fromRunnable(() -> handedOn.set(true))).block();
        if (!handedOn.get()) {
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        }
        return handedOn.get();
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardOpenOption.CREATE_NEW);
    }
}
