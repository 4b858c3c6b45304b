package io.sluice.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's security ({@code sluice.security.*}), all of it off unless {@code enabled}: with it off every request
 * is served as the anonymous principal and nothing below is read. docs/security.md says how to turn each part on.
 *
 * @param enabled         the one switch: authentication on every public route but the API's documents and health
 * @param basic           HTTP Basic against a file of users and bcrypt hashes
 * @param jwt             OAuth2 bearer tokens (JWTs), validated as a resource server
 * @param loginThrottling how many failed sign-ins an address or a user name may have before it must wait
 * @param streamTokens    the short-lived tokens an {@code EventSource} sends in the query string
 * @param superUsers      principals ({@code User:admin}) allowed everything, whatever the ACLs say
 * @param acls            how the gateway keeps its copy of the coordinator's ACLs
 * @param scram           how gateways and partition services keep their copy of the SCRAM credentials
 * @param quotas          per-principal rates of produced bytes, fetched bytes and requests
 * @param cors            browser clients from other origins (off unless origins are listed; independent of
 *                        {@code enabled})
 * @param tls             client certificates on the Kafka listeners, and how a certificate names its principal
 * @param sasl            how long a Kafka connection's SASL sign-in lasts before it must sign in again (KIP-368)
 */
@Validated
@ConfigurationProperties("sluice.security")
public record SecurityProperties(
        @DefaultValue("false") boolean enabled,
        @Valid @DefaultValue Basic basic,
        @Valid @DefaultValue Jwt jwt,
        @Valid @DefaultValue LoginThrottling loginThrottling,
        @Valid @DefaultValue StreamTokens streamTokens,
        @DefaultValue List<String> superUsers,
        @Valid @DefaultValue Acls acls,
        @Valid @DefaultValue Quotas quotas,
        @Valid @DefaultValue Cors cors,
        @Valid @DefaultValue Scram scram,
        @Valid @DefaultValue Tls tls,
        @Valid @DefaultValue Sasl sasl) {

    public SecurityProperties {
        tls = tls != null ? tls : new Tls(null, null);
        sasl = sasl != null ? sasl : new Sasl(null);
    }

    /**
     * @param usersFile one user a line, {@code name:bcrypt-hash} ({@code htpasswd -nbB} writes them); {@code #}
     *                  starts a comment. Unset: no Basic authentication.
     */
    public record Basic(Path usersFile) {
    }

    /**
     * Bearer tokens are accepted when a {@code jwkSetUri} or a {@code publicKeyFile} is set (not both).
     *
     * @param issuer         the {@code iss} every token must carry; unset: not checked
     * @param audience       a value the token's {@code aud} must contain; unset: not checked
     * @param jwkSetUri      the identity provider's JWKS endpoint (keys are fetched and cached by Nimbus)
     * @param publicKeyFile  a PEM RSA public key ({@code -----BEGIN PUBLIC KEY-----}) that signs the tokens (RS256)
     * @param clockSkew      how far {@code exp} and {@code nbf} may be off the gateway's clock
     * @param principalClaim the claim that names the principal ({@code User:<claim>})
     */
    public record Jwt(String issuer,
                      String audience,
                      URI jwkSetUri,
                      Path publicKeyFile,
                      @DefaultValue("60s") Duration clockSkew,
                      @DefaultValue("sub") String principalClaim) {

        public boolean configured() {
            return jwkSetUri != null || publicKeyFile != null;
        }
    }

    /**
     * A client address, or a Basic user name, with {@code maxFailures} failed sign-ins within {@code window} (from the
     * first of them) is answered 429 THROTTLED, with Retry-After, until the window ends — right credentials included.
     */
    public record LoginThrottling(@DefaultValue("10") @Min(1) int maxFailures,
                                  @DefaultValue("1m") Duration window) {
    }

    /**
     * @param ttl    how long a minted stream token is accepted
     * @param secret the HMAC key that signs them; every gateway of a cluster needs the same one for a token minted at
     *               one to work at another. Unset: a random key per gateway process
     */
    public record StreamTokens(@DefaultValue("5m") Duration ttl, String secret) {
    }

    /**
     * The gateway reads every ACL from the coordinator each {@code refreshInterval} (and at once after a change made
     * through it), so a change made elsewhere is enforced within about that interval while the coordinator is
     * reachable. Until the first read succeeds, only super users are served; if reads fail, the last set read stays in
     * force.
     *
     * @param refreshInterval how often the ACLs are read
     */
    public record Acls(@DefaultValue("5s") Duration refreshInterval) {
    }

    /**
     * Per-principal quotas, Kafka's kinds: bytes produced per second, bytes fetched per second (reads, polls and SSE
     * streams), and requests per second. {@code defaults} apply to every principal without an entry in
     * {@code overrides} (keyed by principal, {@code User:alice}); an unset rate is unlimited. Super users have no
     * quota.
     */
    public record Quotas(@Valid @DefaultValue Quota defaults, Map<String, Quota> overrides) {

        public Quotas {
            overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        }

        public Quota of(String principal) {
            return overrides.getOrDefault(principal, defaults);
        }
    }

    /**
     * @param produceBytesPerSecond bytes of produce request bodies per second
     * @param fetchBytesPerSecond   bytes of read responses per second
     * @param requestsPerSecond     requests per second, any route
     */
    public record Quota(DataSize produceBytesPerSecond, DataSize fetchBytesPerSecond, Double requestsPerSecond) {
    }

    /**
     * SCRAM-SHA-256 and SCRAM-SHA-512 users are the cluster's (stored by the coordinator, managed with Kafka's
     * AlterUserScramCredentials or {@code PUT /v1/users/{name}/scram-credentials/{mechanism}}). Each gateway and
     * partition service re-reads them every {@code refreshInterval}, and a gateway at once after a change made
     * through it.
     *
     * @param refreshInterval how often the SCRAM credentials are read
     */
    public record Scram(@DefaultValue("5s") Duration refreshInterval) {
    }

    /**
     * @param allowedOrigins origins ({@code https://console.example.com}) whose pages may call the API; empty: CORS off
     * @param maxAge         how long a browser may cache a preflight answer
     */
    public record Cors(@DefaultValue List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {
    }

    /** Whether a TLS listener asks its clients for a certificate: Kafka's {@code ssl.client.auth}. */
    public enum ClientAuth {
        /** Every client must present a certificate the listener's trust store accepts, or the handshake fails. */
        REQUIRED,
        /** A certificate is asked for; one the trust store does not accept fails the handshake, none is fine. */
        REQUESTED,
        /** No certificate is asked for. */
        NONE
    }

    /**
     * Client certificates on the Kafka listeners of gateways and partition services that serve TLS (the gateway's
     * HTTPS follows Spring Boot's {@code server.ssl.client-auth}, and maps certificates by the same rules). A
     * certificate is checked against the trust store of the listener's SSL bundle; with security on, a client
     * whose certificate passed is signed in as the principal its subject maps to, unless it signs in with SASL too
     * (SASL's principal then wins, as on Kafka's SASL_SSL listeners).
     *
     * @param clientAuth             {@code required}, {@code requested} or {@code none}
     * @param principalMappingRules  Kafka's {@code ssl.principal.mapping.rules} ({@link PrincipalMappingRules}); a
     *                               malformed rule stops the start
     */
    public record Tls(ClientAuth clientAuth, String principalMappingRules) {

        public Tls {
            clientAuth = clientAuth != null ? clientAuth : ClientAuth.NONE;
            principalMappingRules = principalMappingRules != null ? principalMappingRules
                    : PrincipalMappingRules.DEFAULT;
            try {
                PrincipalMappingRules.parse(principalMappingRules);
            } catch (IllegalArgumentException e) {
                // The message says it all; without a cause it is the root cause a failed start reports.
                throw new IllegalArgumentException("sluice.security.tls.principal-mapping-rules: " + e.getMessage());
            }
        }

        /** The mapping rules, parsed (they were checked when the settings were bound). */
        public PrincipalMappingRules rules() {
            return PrincipalMappingRules.parse(principalMappingRules);
        }
    }

    /**
     * @param maxSessionLifetime how long a SASL sign-in on a Kafka connection lasts (Kafka's
     *                           {@code connections.max.reauth.ms}): the client is told so in SaslAuthenticate's
     *                           {@code session_lifetime_ms} and must sign in again before it ends (KIP-368), or its
     *                           next request closes the connection. An OAUTHBEARER sign-in lasts at most as long as
     *                           its token. 0: no limit but the token's
     */
    public record Sasl(Duration maxSessionLifetime) {

        public Sasl {
            maxSessionLifetime = maxSessionLifetime != null ? maxSessionLifetime : Duration.ZERO;
            if (maxSessionLifetime.isNegative()) {
                throw new IllegalArgumentException("sluice.security.sasl.max-session-lifetime must not be negative: "
                        + maxSessionLifetime);
            }
        }
    }
}
