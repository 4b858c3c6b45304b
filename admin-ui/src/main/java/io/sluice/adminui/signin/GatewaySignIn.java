package io.sluice.adminui.signin;

import io.sluice.adminui.gateway.GatewayClient;
import io.sluice.adminui.gateway.GatewayProblem;
import java.util.List;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks a user name and password with the gateway ({@link GatewayClient#checkCredentials}): the console has no users
 * of its own. A success keeps the password in the authentication, in the server-side session, so that the console can
 * call the gateway as that user ({@link GatewayClient} reads it from the security context).
 */
@Component
class GatewaySignIn implements ReactiveAuthenticationManager {

    private final GatewayClient gateway;

    GatewaySignIn(GatewayClient gateway) {
        this.gateway = gateway;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication attempt) {
        String username = attempt.getName();
        String password = attempt.getCredentials() == null ? "" : attempt.getCredentials().toString();
        if (username == null || username.isBlank()) {
            return Mono.error(new BadCredentialsException("no user name"));
        }
        return gateway.checkCredentials(username, password)
                .then(Mono.<Authentication>fromSupplier(() -> UsernamePasswordAuthenticationToken.authenticated(
                        username, password, List.of(new SimpleGrantedAuthority("ROLE_CONSOLE_USER")))))
                .onErrorMap(GatewayProblem.class, problem -> switch (problem.status()) {
                    case 401 -> new BadCredentialsException("the gateway refused the credentials");
                    case 429 -> new LockedException("the gateway throttled sign-ins");
                    default -> new AuthenticationServiceException("the gateway could not check the credentials: "
                            + problem.errorCode(), problem);
                });
    }
}
