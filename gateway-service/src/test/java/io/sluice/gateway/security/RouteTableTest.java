package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeClusterWebTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Every public route of the running gateway is in the authorization table ({@link AuthorizationFilter}): either with
 * the operations it needs or as one that needs only a signed-in principal. A route added to a controller and not to
 * the table fails here, rather than being served to every signed-in principal.
 */
@FakeClusterWebTest
class RouteTableTest {

    @Autowired
    ApplicationContext context;

    @Test
    void everyPublicRouteIsDecidedByTheTable() {
        List<String> routes = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        context.getBeansOfType(RequestMappingHandlerMapping.class).values().forEach(mapping ->
                mapping.getHandlerMethods().keySet().forEach(info -> {
                    for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                        String path = pattern.getPatternString();
                        if (!path.startsWith("/v1/")) {
                            continue;
                        }
                        for (RequestMethod method : methods(info)) {
                            String route = method + " " + path;
                            routes.add(route);
                            // A concrete path of the pattern: what the filter matches at run time.
                            if (!AuthorizationFilter.decides(method.asHttpMethod(), path.replaceAll("\\{[^}]+}", "x"))) {
                                undecided.add(route);
                            }
                        }
                    }
                }));

        assertThat(routes).as("the gateway's public routes").hasSizeGreaterThan(25)
                .contains("POST /v1/topics/{topic}/records", "GET /v1/acls");
        assertThat(undecided).as("public routes missing from AuthorizationFilter's table").isEmpty();
    }

    private static List<RequestMethod> methods(RequestMappingInfo info) {
        return info.getMethodsCondition().getMethods().isEmpty() ? List.of(RequestMethod.values())
                : List.copyOf(info.getMethodsCondition().getMethods());
    }
}
