package io.sluice.gateway.security;

import io.sluice.protocol.ErrorCode;
import io.sluice.security.Credentials;
import io.sluice.security.SecurityProperties;
import io.sluice.security.SecurityProperties.Quota;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who may sign in and at what rates, as this gateway is configured (docs/security.md): {@code GET /v1/users}, the
 * users file's users and the super users (ALTER on the cluster, as the audit trail), and {@code GET /v1/quotas}, the
 * default quota and each principal's override (DESCRIBE_CONFIGS on the cluster). Both are read-only: users and quotas
 * are the gateways' settings. With security off there are neither, and the calls say so.
 */
@RestController
class PrincipalsController {

    /** A user of the users file; {@code superUser}: allowed everything, whatever the ACLs say. */
    record User(String principal, boolean superUser) {
    }

    /**
     * @param users          the users file's users (none without one)
     * @param superUsers     every super user, whether the users file has them or a token names them
     * @param passwordSignIn whether users sign in with a password (HTTP Basic, SASL PLAIN)
     * @param tokenSignIn    whether bearer tokens (JWT) are taken, each naming its own principal
     */
    record Users(List<User> users, List<String> superUsers, boolean passwordSignIn, boolean tokenSignIn) {
    }

    /** A quota's three rates: bytes per second of produce and of reads, requests per second; null is unlimited. */
    record Rates(Long produceBytesPerSecond, Long fetchBytesPerSecond, Double requestsPerSecond) {

        static Rates of(Quota quota) {
            return new Rates(quota.produceBytesPerSecond() == null ? null : quota.produceBytesPerSecond().toBytes(),
                    quota.fetchBytesPerSecond() == null ? null : quota.fetchBytesPerSecond().toBytes(),
                    quota.requestsPerSecond());
        }
    }

    record PrincipalQuota(String principal, Rates rates) {
    }

    /** The default quota, each override, and the super users, who have none. */
    record Quotas(Rates defaults, List<PrincipalQuota> overrides, List<String> unlimited) {
    }

    private final SecurityProperties security;
    private final ObjectProvider<Credentials> credentials;

    PrincipalsController(SecurityProperties security, ObjectProvider<Credentials> credentials) {
        this.security = security;
        this.credentials = credentials;
    }

    @GetMapping("/v1/users")
    Users users() {
        requireSecurity("no one signs in");
        Credentials signIn = credentials.getObject();
        Set<String> superUsers = Set.copyOf(security.superUsers());
        List<User> users = signIn.userNames().stream()
                .map(name -> new User("User:" + name, superUsers.contains("User:" + name)))
                .toList();
        return new Users(users, security.superUsers().stream().sorted().toList(), signIn.acceptsPasswords(),
                signIn.acceptsBearerTokens());
    }

    @GetMapping("/v1/quotas")
    Quotas quotas() {
        requireSecurity("there are no quotas");
        List<PrincipalQuota> overrides = security.quotas().overrides().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new PrincipalQuota(entry.getKey(), Rates.of(entry.getValue())))
                .toList();
        return new Quotas(Rates.of(security.quotas().defaults()), overrides,
                security.superUsers().stream().sorted().toList());
    }

    private void requireSecurity(String consequence) {
        if (!security.enabled()) {
            throw ErrorCode.SECURITY_DISABLED.exception("Security is off (sluice.security.enabled): " + consequence);
        }
    }
}
