package io.sluice.gateway.security;

import io.sluice.protocol.ErrorCode;
import io.sluice.security.SecurityProperties;
import io.sluice.security.SluicePrincipal;
import java.time.Instant;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/** Mints a stream token for the caller's own principal: what a browser's EventSource puts in {@code ?access_token=}. */
@RestController
class StreamTokenController {

    record StreamToken(String token, Instant expiresAt, String principal) {
    }

    private final StreamTokens tokens;
    private final SecurityProperties properties;

    StreamTokenController(StreamTokens tokens, SecurityProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @PostMapping("/v1/stream-tokens")
    StreamToken mint(ServerWebExchange exchange) {
        if (!properties.enabled()) {
            throw ErrorCode.SECURITY_DISABLED.exception("Security is off: streams need no token");
        }
        SluicePrincipal principal = Principals.of(exchange);
        StreamTokens.Minted minted = tokens.mint(principal);
        return new StreamToken(minted.token(), minted.expiresAt(), principal.toString());
    }
}
