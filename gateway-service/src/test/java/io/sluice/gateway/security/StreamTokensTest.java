package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.security.SecurityProperties;
import io.sluice.security.SluicePrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aTokenShouldStandForItsPrincipalUntilItExpires() {
        StreamTokens tokens = tokens("key-1", NOW);
        String token = tokens.mint(new SluicePrincipal("alice")).token();

        assertThat(tokens.verify(token)).contains(new SluicePrincipal("alice"));
        assertThat(tokens("key-1", NOW.plus(Duration.ofMinutes(5))).verify(token)).isEmpty();
    }

    @Test
    void aTokenFromAnotherKeyOrAlteredShouldNotVerify() {
        String token = tokens("key-1", NOW).mint(new SluicePrincipal("alice")).token();
        String forged = "Ym9i" + token.substring(token.indexOf('.')); // "bob" with alice's signature

        assertThat(tokens("key-2", NOW).verify(token)).isEmpty();
        assertThat(tokens("key-1", NOW).verify(forged)).isEmpty();
        assertThat(tokens("key-1", NOW).verify("garbage")).isEmpty();
        assertThat(tokens("key-1", NOW).verify("a.b.c")).isEmpty();
    }

    private static StreamTokens tokens(String secret, Instant now) {
        return new StreamTokens(new SecurityProperties.StreamTokens(Duration.ofMinutes(5), secret),
                Clock.fixed(now, ZoneOffset.UTC));
    }
}
