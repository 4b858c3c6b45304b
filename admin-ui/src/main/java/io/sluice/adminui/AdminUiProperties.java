package io.sluice.adminui;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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
 * @param search         the message search
 * @param signIn         signing in to the console
 * @param chartRefresh   how often a page's charts ask the gateway for their history again
 * @param connect        the Kafka Connect clusters the console manages
 */
@ConfigurationProperties("sluice.admin-ui")
@Validated
public record AdminUiProperties(@NotNull @DefaultValue("http://127.0.0.1:8080") URI gatewayUrl,
                                String username,
                                String password,
                                String bearerToken,
                                @NotNull @DefaultValue("10s") Duration requestTimeout,
                                @DefaultValue("50") int pageSize,
                                @Valid @NotNull @DefaultValue Search search,
                                @NotNull @DefaultValue SignIn signIn,
                                @NotNull @DefaultValue("5s") Duration chartRefresh,
                                @Valid @NotNull @DefaultValue Connect connect) {

    /**
     * The message search, {@code sluice.admin-ui.search.*}.
     *
     * @param pageSize   records asked for per read while searching (the API takes at most 10000)
     * @param maxShown   matches sent to the page; later ones are counted, not shown
     */
    public record Search(@Min(1) @Max(10000) @DefaultValue("1000") int pageSize,
                         @Min(1) @DefaultValue("500") int maxShown) {
    }

    /**
     * Signing in, {@code sluice.admin-ui.sign-in.*}. When enabled, every page asks for a user name and password, which
     * the console checks by calling the gateway with them and then sends with every call it makes for that user (the
     * gateway authenticates and authorizes each call as that user; the console keeps no users of its own). The
     * credentials stay in the server-side session, never in a cookie.
     *
     * @param enabled whether pages need a signed-in user (off: the console calls the gateway with the fixed
     *                credentials above, if any)
     */
    public record SignIn(@DefaultValue("false") boolean enabled) {
    }

    /**
     * The Kafka Connect clusters the console manages, {@code sluice.admin-ui.connect.*}: none unless configured.
     *
     * @param clusters each by a name of its own and the REST URL of one of its workers
     */
    public record Connect(List<@Valid ConnectCluster> clusters) {

        public Connect {
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
        }
    }

    /**
     * One Connect cluster, {@code sluice.admin-ui.connect.clusters[i].*}. Any worker of the group will do: a worker
     * forwards to its leader what only the leader may do. The console calls it with the credentials here, never with
     * the signed-in user's.
     *
     * @param name     how the console names it (in its pages' URLs too)
     * @param url      a worker's REST URL, e.g. {@code http://connect:8083}
     * @param username with {@code password}: HTTP basic credentials for the REST API (none when blank)
     * @param password see {@code username}
     */
    public record ConnectCluster(@NotBlank String name, @NotNull URI url, String username, String password) {
    }
}
