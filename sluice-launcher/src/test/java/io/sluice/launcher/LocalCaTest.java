package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA that {@code up --secure} makes with keytool, issued once for the class (keytool takes about a second). */
class LocalCaTest {

    @TempDir
    static Path dir;

    private static X509Certificate ca;
    private static List<X509Certificate> chain;

    @BeforeAll
    static void issue() throws Exception {
        LocalCa.issue(dir, LocalCa.keytool(), SecureMaterial::writeOwnerOnly);
        ca = LocalCa.readCertificates(Files.readString(dir.resolve(LocalCa.CA_CERTIFICATE))).getFirst();
        chain = LocalCa.readCertificates(Files.readString(dir.resolve(LocalCa.CERTIFICATE)));
    }

    @Test
    void theCertificateNamesLocalhostAndTheLoopbackAddress() throws Exception {
        X509Certificate node = chain.getFirst();

        assertThat(node.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(node.getSubjectAlternativeNames())
                .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    }

    @Test
    void theCertificateServesAndIsPresentedAsAClientButSignsNoCertificate() throws Exception {
        X509Certificate node = chain.getFirst();

        assertThat(node.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(node.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(node.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(node.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    }

    @Test
    void theCaIsACaThatOnlySigns() {
        assertThat(ca.getBasicConstraints()).isEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
    }

    @Test
    void bothAreValidNowAndForAYear() {
        Instant now = Instant.now();
        for (X509Certificate certificate : List.of(ca, chain.getFirst())) {
            assertThat(certificate.getNotBefore().toInstant()).isBefore(now.plusSeconds(1));
            assertThat(Duration.between(now, certificate.getNotAfter().toInstant()))
                    .isBetween(LocalCa.VALIDITY.minusDays(1), LocalCa.VALIDITY.plusDays(1));
        }
    }

    @Test
    void theChainVerifiesAgainstTheCaAlone() throws Exception {
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(ca);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(Instant.now()));

        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(chain.getFirst())), parameters);
    }

    @Test
    void thePrivateKeyIsTheCertificatesAndReadsAsPkcs8() throws Exception {
        String pem = Files.readString(dir.resolve(LocalCa.PRIVATE_KEY));
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n");
        PrivateKey key = LocalCa.readPrivateKey(pem, chain.getFirst());

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(chain.getFirst().getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void onlyThePemFilesAreLeftEachReadableByItsOwnerOnly() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> left = files.toList();
            assertThat(left).extracting(path -> path.getFileName().toString())
                    .containsExactlyInAnyOrder(LocalCa.CA_CERTIFICATE, LocalCa.CERTIFICATE, LocalCa.PRIVATE_KEY);
            for (Path file : left) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void theLaunchersTlsContextLoadsThem() throws Exception {
        assertThat(LocalCa.sslContext(dir).getProtocol()).isEqualTo("TLS");
    }
}
