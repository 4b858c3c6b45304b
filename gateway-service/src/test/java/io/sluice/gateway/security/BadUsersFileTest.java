package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.GatewayApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * security.md: a users file line that is not {@code name:bcrypt-hash} stops the gateway's start, naming the line's
 * number and never its content (it may hold a password typed by mistake).
 */
class BadUsersFileTest {

    @Test
    void aMalformedLineStopsTheStartNamingItsNumberNotItsContent(@TempDir Path dir) throws IOException {
        Path users = Files.writeString(dir.resolve("users"), "# users\nalice:"
                + new BCryptPasswordEncoder(4).encode("alice-secret") + "\nbob:plain-password-typed-by-mistake\n");
        SpringApplicationBuilder gateway = new SpringApplicationBuilder(GatewayApplication.class).properties(
                "server.port=0", "management.server.port=0", "sluice.gateway.coordinator-urls=http://127.0.0.1:1",
                "sluice.security.enabled=true", "sluice.security.basic.users-file=" + users);

        assertThatThrownBy(gateway::run).rootCause()
                .hasMessageContaining("Line 3 of the users file")
                .hasMessageNotContaining("plain-password-typed-by-mistake");
    }
}
