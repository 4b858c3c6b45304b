package io.sluice.gateway.group.member;

import io.sluice.gateway.web.QueryBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How an SSE member takes its parameters (a polling member's are its JSON bodies). */
@Configuration(proxyBeanMethods = false)
class MemberParameters {

    @Bean
    QueryBinder<MemberStreamRequest> memberStreamParameters() {
        return QueryBinder.of(MemberStreamRequest.class, MemberStreamRequest.PARAMETERS,
                (query, headers) -> MemberStreamRequest.of(query, headers));
    }
}
