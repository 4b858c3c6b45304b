package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.sluice.launcher.LocalCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --ca-file: the PEM file a TLS context trusts, as the one {@code bin/sluice up --secure} makes. */
class GatewayTest {

    @TempDir
    Path dir;

    @Test
    void aLocalCasCertificateMakesATlsContext() throws IOException {
        LocalCa.issue(dir, LocalCa.keytool(), Files::writeString);

        assertThat(Gateway.trusting(dir.resolve(LocalCa.CA_CERTIFICATE)).getProtocol()).isEqualTo("TLS");
    }

    @Test
    void whenTheFileHoldsNoCertificateShouldSaySo() throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

        assertThatIllegalArgumentException().isThrownBy(() -> Gateway.trusting(notPem))
                .withMessageStartingWith("Cannot use " + notPem + " as a CA file");
        assertThatIllegalArgumentException().isThrownBy(() -> Gateway.trusting(dir.resolve("missing.pem")))
                .withMessageStartingWith("Cannot use " + dir.resolve("missing.pem") + " as a CA file");
    }
}
