package io.sluice.adminui;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The console's settings, {@code sluice.admin-ui.*}.
 *
 * @param gatewayUrl     the gateway's base URL; every page is built from its public API
 * @param username       with {@code password}: HTTP basic credentials sent to the gateway (none when blank)
 * @param password       see {@code username}
 * @param bearerToken    a token sent as {@code Authorization: Bearer} instead (none when blank)
 * @param requestTimeout how long one gateway call may take before the page shows a timeout
 * @param pageSize       records per page in the message browser
 */
@ConfigurationProperties("sluice.admin-ui")
@Validated
public record AdminUiProperties(@NotNull @DefaultValue("http://127.0.0.1:8080") URI gatewayUrl,
                                String username,
                                String password,
                                String bearerToken,
                                @NotNull @DefaultValue("10s") Duration requestTimeout,
                                @DefaultValue("50") int pageSize) {
}
