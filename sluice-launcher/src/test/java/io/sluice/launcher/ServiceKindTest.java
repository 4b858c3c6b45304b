package io.sluice.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceKindTest {

    @ParameterizedTest
    @CsvSource({"coordinator, COORDINATOR", "partition-1, PARTITION", "partition-12, PARTITION", "gateway, GATEWAY",
            "admin-ui, ADMIN_UI"})
    void serviceNamesMapToTheirKind(String name, ServiceKind kind) {
        assertThat(ServiceKind.ofServiceName(name)).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"partition", "partition-", "partition-0", "partition-01", "partition-x", "partition-12345",
            "coordinator-service", "redis", ""})
    void otherNamesAreNoService(String name) {
        assertThat(ServiceKind.ofServiceName(name)).isEmpty();
    }

    @Test
    void availabilityFollowsTheCheckout(@TempDir Path repo) throws IOException {
        Files.createDirectories(repo.resolve("gateway-service"));
        Files.writeString(repo.resolve("gateway-service/pom.xml"), "<project/>");
        Files.createDirectories(ServiceKind.COORDINATOR.jar(repo).getParent());
        Files.writeString(ServiceKind.COORDINATOR.jar(repo), "jar");

        assertThat(ServiceKind.COORDINATOR.availability(repo)).isEqualTo(ServiceKind.Availability.BUILT);
        assertThat(ServiceKind.GATEWAY.availability(repo)).isEqualTo(ServiceKind.Availability.NOT_BUILT);
        assertThat(ServiceKind.ADMIN_UI.availability(repo)).isEqualTo(ServiceKind.Availability.ABSENT);
    }
}
