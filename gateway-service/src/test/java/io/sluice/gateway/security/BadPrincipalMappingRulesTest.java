package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * security.md: a malformed principal mapping rule stops the gateway's start, naming the setting and quoting the rule,
 * rather than failing clients' sign-ins later.
 */
class BadPrincipalMappingRulesTest {

    @Test
    void aMalformedRuleStopsTheStartQuotingIt() {
        SpringApplicationBuilder gateway = new SpringApplicationBuilder(GatewayApplication.class).properties(
                "server.port=0", "management.server.port=0", "sluice.gateway.coordinator-urls=http://127.0.0.1:1",
                "sluice.security.tls.principal-mapping-rules=RULE:^CN=(.*)$/$1/X,DEFAULT");

        assertThatThrownBy(gateway::run).rootCause()
                .hasMessageContaining("sluice.security.tls.principal-mapping-rules")
                .hasMessageContaining("`RULE:^CN=(.*)$/$1/X`");
    }
}
