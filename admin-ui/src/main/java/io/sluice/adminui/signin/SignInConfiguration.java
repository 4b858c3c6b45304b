package io.sluice.adminui.signin;

import io.sluice.adminui.AdminUiProperties;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Who may see the console. With {@code sluice.admin-ui.sign-in.enabled}, every page but the sign-in page, the
 * static assets and the health and metrics endpoints needs a user signed in with a form ({@link GatewaySignIn} checks
 * the credentials with the gateway), and every form carries a CSRF token. Without it, nothing is asked: the console
 * is as open as the gateway it calls.
 */
@Configuration(proxyBeanMethods = false)
class SignInConfiguration {

    static final String SIGN_IN = "/sign-in";
    static final String SIGN_OUT = "/sign-out";

    @Bean
    SecurityWebFilterChain consoleSecurity(ServerHttpSecurity http, AdminUiProperties properties,
                                           GatewaySignIn signIn) {
        http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable);
        if (!properties.signIn().enabled()) {
            return http.authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                    .csrf(ServerHttpSecurity.CsrfSpec::disable)
                    .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                    .logout(ServerHttpSecurity.LogoutSpec::disable)
                    .build();
        }
        RedirectServerLogoutSuccessHandler signedOut = new RedirectServerLogoutSuccessHandler();
        signedOut.setLogoutSuccessUrl(URI.create(SIGN_IN + "?signed-out"));
        return http
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(SIGN_IN, "/css/**", "/js/**", "/webjars/**", "/favicon.ico").permitAll()
                        .pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .anyExchange().authenticated())
                .formLogin(form -> form
                        .loginPage(SIGN_IN)
                        .authenticationManager(signIn)
                        .authenticationFailureHandler((exchange, e) -> new RedirectServerAuthenticationFailureHandler(
                                SIGN_IN + "?error=" + SignInFailure.of(e).code())
                                .onAuthenticationFailure(exchange, e)))
                .logout(logout -> logout
                        .requiresLogout(ServerWebExchangeMatchers.pathMatchers(
                                org.springframework.http.HttpMethod.POST, SIGN_OUT))
                        .logoutSuccessHandler(signedOut))
                .build();
    }
}
