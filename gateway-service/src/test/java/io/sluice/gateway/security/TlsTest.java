package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The public port over TLS from PEM files (a Spring Boot SSL bundle): served with the certificate in the files, and
 * with a new one after the files are replaced, without a restart. Certificates are made with the JDK's keytool.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sluice.gateway.coordinator-urls=http://127.0.0.1:1",
        "logging.level.io.sluice.internal.client=OFF",
        "server.ssl.bundle=public",
        "spring.ssl.bundle.pem.public.reload-on-update=true",
        "spring.ssl.bundle.watch.file.quiet-period=200ms"})
class TlsTest {

    private static final Path DIR = temporaryDirectory();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void certificate(DynamicPropertyRegistry registry) throws Exception {
        writePem(DIR, "first");
        registry.add("spring.ssl.bundle.pem.public.keystore.certificate", () -> "file:" + DIR.resolve("tls.crt"));
        registry.add("spring.ssl.bundle.pem.public.keystore.private-key", () -> "file:" + DIR.resolve("tls.key"));
    }

    @AfterAll
    static void removeCertificates() throws IOException {
        // deleteOnExit cannot remove a directory that still holds files: the test removes what it wrote.
        for (String file : List.of("tls.key", "tls.crt")) {
            Files.deleteIfExists(DIR.resolve(file));
        }
        Files.deleteIfExists(DIR);
    }

    @Test
    void thePublicPortShouldServeHttpsWithThePemCertificateAndReloadItWhenTheFilesChange() throws Exception {
        X509Certificate first = served();
        assertThat(first.getSubjectX500Principal().getName()).contains("CN=first");

        writePem(DIR, "second");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        X509Certificate now = served();
        while (now.getSubjectX500Principal().getName().contains("CN=first") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = served();
        }
        assertThat(now.getSubjectX500Principal().getName()).as("served after the files changed").contains("CN=second");
        assertThat(now.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    }

    /** The certificate the gateway presents on a new connection (any certificate trusted: we look at which). */
    private X509Certificate served() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingManager()}, null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/v1/openapi.yaml")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            SSLSession session = response.sslSession().orElseThrow();
            return (X509Certificate) session.getPeerCertificates()[0];
        }
    }

    /** A self-signed certificate for localhost and its key, as PEM files {@code tls.crt} and {@code tls.key}. */
    static void writePem(Path dir, String commonName) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(commonName + ".p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + commonName, "-ext", "san=dns:localhost,ip:127.0.0.1")
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
        Certificate certificate = keys.getCertificate("server");
        byte[] key = keys.getKey("server", "changeit".toCharArray()).getEncoded();
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes());
        // The key first: the bundle reloads when the certificate, written last, changes.
        Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key)
                + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\n"
                + pem.encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.delete(store);
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("sluice-tls-test");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Trusts any server: the test checks which certificate is served, not who signed it. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
