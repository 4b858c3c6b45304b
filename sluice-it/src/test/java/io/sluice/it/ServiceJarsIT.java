package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.launcher.RepoRoot;
import io.sluice.launcher.ServiceKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What the packaged service jars promise to whoever runs them with {@code java -jar}: native access for the classpath,
 * without which Netty on JDK 25 releases each pooled memory chunk by closing a shared arena, a pause of every thread
 * (docs/operations.md).
 */
class ServiceJarsIT {

    @Test
    void everyServiceJarGrantsNativeAccessToTheClasspath() throws IOException {
        Path root = RepoRoot.find(Path.of("")).orElseThrow();
        List<ServiceKind> built = List.of(ServiceKind.values()).stream()
                .filter(kind -> kind.availability(root) == ServiceKind.Availability.BUILT)
                .toList();
        assertThat(built).contains(ServiceKind.COORDINATOR, ServiceKind.PARTITION, ServiceKind.GATEWAY);
        for (ServiceKind kind : built) {
            try (JarFile jar = new JarFile(kind.jar(root).toFile())) {
                assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
                        .as("Enable-Native-Access in the manifest of %s", kind.module())
                        .isEqualTo("ALL-UNNAMED");
            }
        }
    }
}
