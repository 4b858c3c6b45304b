package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/** The files of {@code up --secure}: made once, secret, reused. */
class SecureMaterialTest {

    @TempDir
    Path baseDir;

    @Test
    void ensureMakesSecretFilesOnceAndReusesThem() throws Exception {
        SecureMaterial material = SecureMaterial.of(baseDir);
        List<String> reports = new ArrayList<>();

        material.ensure(reports::add);
        String properties = Files.readString(material.properties());
        String password = material.adminPassword();
        material.ensure(reports::add);

        assertThat(Files.readString(material.properties())).as("reused").isEqualTo(properties);
        assertThat(material.adminPassword()).isEqualTo(password);
        assertThat(reports.getLast()).startsWith("Reusing");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(material.dir()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(material.dir())) {
            assertThat(files.map(file -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).hasSize(6).containsOnly("rw-------");
        }
    }

    @Test
    void theAdminUserIsASuperUserWithTheBcryptOfItsRandomPassword() throws Exception {
        SecureMaterial material = SecureMaterial.of(baseDir);
        material.ensure(report -> { });
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(material.properties())) {
            properties.load(in);
        }

        String[] user = Files.readString(material.usersFile()).strip().split(":", 2);
        assertThat(user[0]).isEqualTo("admin");
        assertThat(OpenBSDBCrypt.checkPassword(user[1], material.adminPassword().toCharArray())).isTrue();
        assertThat(material.adminPassword()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(properties).containsEntry("sluice.security.enabled", "true")
                .containsEntry("sluice.security.super-users", "User:admin")
                .containsEntry("sluice.security.basic.users-file", material.usersFile().toString())
                .containsEntry("sluice.internal-tls.bundle", SecureMaterial.BUNDLE)
                .containsEntry("spring.ssl.bundle.pem.sluice.truststore.certificate", "file:" + material.caCertificate());
        assertThat(properties.getProperty("sluice.security.cluster-secret")).hasSizeGreaterThanOrEqualTo(40);
        assertThat(properties.getProperty("sluice.security.stream-tokens.secret"))
                .hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(properties.getProperty("sluice.security.cluster-secret"));
    }

    @Test
    void aSecureClustersArgumentsCarryNoSecret() throws Exception {
        ClusterConfig config = ClusterConfig.defaults(Path.of("/repo")).withBaseDir(baseDir).withSecure(true);
        config.secureMaterial().ensure(report -> { });
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(config.secureMaterial().properties())) {
            properties.load(in);
        }

        for (ServiceSpec spec : config.services()) {
            assertThat(spec.url()).hasScheme("https");
            assertThat(spec.args()).contains("--spring.config.import=file:" + config.secureMaterial().properties(),
                    "--server.ssl.bundle=sluice");
            assertThat(String.join(" ", LaunchCommand.of(config, spec)))
                    .doesNotContain(properties.getProperty("sluice.security.cluster-secret"),
                            properties.getProperty("sluice.security.stream-tokens.secret"),
                            config.secureMaterial().adminPassword());
        }
        assertThat(config.spec("partition-1").orElseThrow().args())
                .contains("--server.ssl.client-auth=want", "--sluice.partition.advertised-url=https://127.0.0.1:9501",
                        "--sluice.partition.coordinator-urls=https://127.0.0.1:9400");
        assertThat(config.spec("admin-ui").orElseThrow().args())
                .contains("--sluice.admin-ui.gateway-url=https://127.0.0.1:8080", "--sluice.admin-ui.sign-in.enabled=true");
    }
}
