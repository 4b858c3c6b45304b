package io.sluice.gateway.security;

import io.sluice.internal.scram.ScramCredential;
import io.sluice.protocol.ErrorCode;
import io.sluice.security.Credentials;
import io.sluice.security.SecurityProperties;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Who may sign in (docs/security.md): {@code GET /v1/users}, the users file's users, the cluster's SCRAM users with
 * their mechanisms and iterations (never a salt or key) and the super users (ALTER on the cluster, as the audit
 * trail); {@code PUT} and {@code DELETE /v1/users/{name}/scram-credentials/{mechanism}}, a SCRAM user's credential
 * made from a password, or deleted ({@link ScramUsers}; ALTER on the cluster). The users file is the gateways'
 * setting, read-only here. With security off there are no users, and the calls say so. The quotas are
 * {@link QuotaController}'s.
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
    record Users(List<User> users, List<ScramUser> scramUsers, List<String> superUsers, boolean passwordSignIn,
                 boolean tokenSignIn) {
    }

    /** A SCRAM credential as listed: its mechanism and iterations. */
    record ScramCredentialInfo(String mechanism, int iterations) {

        static ScramCredentialInfo of(ScramCredential credential) {
            return new ScramCredentialInfo(credential.mechanism().mechanismName(), credential.iterations());
        }
    }

    /** A user with SCRAM credentials (stored by the cluster; it signs in with SCRAM, PLAIN and HTTP Basic). */
    record ScramUser(String principal, boolean superUser, List<ScramCredentialInfo> credentials) {
    }

    /** A password to make a SCRAM credential of; {@code iterations} defaults to 4096. */
    record ScramPassword(String password, Integer iterations) {
    }

    private final SecurityProperties security;
    private final ObjectProvider<Credentials> credentials;
    private final ScramUsers scram;

    PrincipalsController(SecurityProperties security, ObjectProvider<Credentials> credentials, ScramUsers scram) {
        this.security = security;
        this.credentials = credentials;
        this.scram = scram;
    }

    @GetMapping("/v1/users")
    Mono<Users> users() {
        requireSecurity("no one signs in");
        Credentials signIn = credentials.getObject();
        Set<String> superUsers = Set.copyOf(security.superUsers());
        List<User> users = signIn.userNames().stream()
                .map(name -> new User("User:" + name, superUsers.contains("User:" + name)))
                .toList();
        return scram.credentials().map(snapshot -> {
            Map<String, List<ScramCredentialInfo>> byUser = new TreeMap<>();
            snapshot.credentials().stream()
                    .sorted(Comparator.comparing(ScramCredential::mechanism))
                    .forEach(c -> byUser.computeIfAbsent(c.user(), u -> new ArrayList<>())
                            .add(ScramCredentialInfo.of(c)));
            List<ScramUser> scramUsers = byUser.entrySet().stream()
                    .map(e -> new ScramUser("User:" + e.getKey(), superUsers.contains("User:" + e.getKey()),
                            List.copyOf(e.getValue())))
                    .toList();
            return new Users(users, scramUsers, security.superUsers().stream().sorted().toList(),
                    signIn.acceptsPasswords(), signIn.acceptsBearerTokens());
        });
    }

    /** A SCRAM credential of {@code mechanism} for {@code name}, salted and hashed here from the password given. */
    @PutMapping("/v1/users/{name}/scram-credentials/{mechanism}")
    Mono<ScramUser> putScramCredential(@PathVariable String name, @PathVariable String mechanism,
                                       @RequestBody ScramPassword body) {
        requireSecurity("no one signs in");
        return scram.put(name, mechanism, body.password(), body.iterations())
                .map(stored -> new ScramUser("User:" + name, security.superUsers().contains("User:" + name),
                        List.of(ScramCredentialInfo.of(stored))));
    }

    @DeleteMapping("/v1/users/{name}/scram-credentials/{mechanism}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteScramCredential(@PathVariable String name, @PathVariable String mechanism) {
        requireSecurity("no one signs in");
        return scram.delete(name, mechanism);
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
