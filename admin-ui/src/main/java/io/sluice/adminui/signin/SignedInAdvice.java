package io.sluice.adminui.signin;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What every page needs from sign-in: the signed-in user's name for the navigation bar ({@code signedIn}, absent when
 * nobody is), and the CSRF token its forms carry ({@code _csrf}, absent when sign-in is off). WebFlux keeps the token
 * as a {@code Mono} in the exchange; resolving it here renders it into the page.
 */
@ControllerAdvice
class SignedInAdvice {

    @ModelAttribute("signedIn")
    Mono<String> signedIn() {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .filter(Authentication::isAuthenticated)
                .map(Authentication::getName);
    }

    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
    }
}
