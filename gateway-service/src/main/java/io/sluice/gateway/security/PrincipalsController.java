package io.sluice.gateway.security;

import io.sluice.protocol.ErrorCode;
import io.sluice.security.Credentials;
import io.sluice.security.SecurityProperties;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who may sign in, as this gateway is configured (docs/security.md): {@code GET /v1/users}, the users file's users
 * and the super users (ALTER on the cluster, as the audit trail); read-only, the users are the gateways' settings.
 * With security off there are none, and the call says so. The quotas are {@link QuotaController}'s.
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

    private void requireSecurity(String consequence) {
        requireSecurity(security, consequence);
    }

    /** SECURITY_DISABLED, saying what follows from it, when security is off. */
    static void requireSecurity(SecurityProperties security, String consequence) {
        if (!security.enabled()) {
            throw ErrorCode.SECURITY_DISABLED.exception("Security is off (sluice.security.enabled): " + consequence);
        }
    }
}
