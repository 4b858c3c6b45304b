package io.sluice.gateway.security;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's security beans; the filters exist only with {@code sluice.security.enabled=true}. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    StreamTokens streamTokens(SecurityProperties properties, Clock clock) {
        return new StreamTokens(properties.streamTokens(), clock);
    }

    @Bean
    ProblemResponses securityProblemResponses(JsonMapper json) {
        return new ProblemResponses(json);
    }

    @Bean
    @ConditionalOnBooleanProperty("sluice.security.enabled")
    AuthenticationFilter authenticationFilter(SecurityProperties properties, StreamTokens streamTokens,
                                              ProblemResponses problems, Clock clock) {
        BasicUsers users = properties.basic().usersFile() != null ? BasicUsers.read(properties.basic().usersFile()) : null;
        ReactiveJwtDecoder jwts = properties.jwt().configured() ? JwtDecoders.of(properties.jwt()) : null;
        if (users == null && jwts == null) {
            throw new IllegalStateException("sluice.security.enabled is true but no one can sign in: set "
                    + "sluice.security.basic.users-file, or sluice.security.jwt.jwk-set-uri or public-key-file");
        }
        Authenticator authenticator = new Authenticator(users, jwts, properties.jwt().principalClaim(), streamTokens);
        return new AuthenticationFilter(authenticator, new LoginThrottle(properties.loginThrottling(), clock), problems,
                users != null, jwts != null);
    }
}
