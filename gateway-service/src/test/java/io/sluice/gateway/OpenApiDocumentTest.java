package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayWebTest;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/openapi.json} is an OpenAPI 3.1 document of exactly the gateway's routes: every method and path a
 * controller maps is in it, and it has nothing else under {@code /v1}. A route added without showing up in the
 * document fails here.
 */
@GatewayWebTest
class OpenApiDocumentTest {

    @Autowired
    WebTestClient client;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void documentIsOpenApi31() {
        JsonNode document = document();

        assertThat(document.path("openapi").asString()).startsWith("3.1");
        assertThat(document.path("info").path("title").asString()).isNotBlank();
    }

    @Test
    void everyControllerRouteIsInTheDocumentAndNothingElse() {
        Set<String> routes = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (!handler.getBeanType().getPackageName().startsWith("io.sluice.gateway")) {
                return;
            }
            info.getPatternsCondition().getPatterns().forEach(pattern ->
                    info.getMethodsCondition().getMethods().forEach(method ->
                            routes.add(method.name() + " " + pattern.getPatternString())));
        });
        Set<String> documented = new TreeSet<>();
        document().path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(operation.getKey())) {
                documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));

        assertThat(routes).as("controller routes").isNotEmpty()
                .contains("POST /v1/topics/{topic}/records", "GET /v1/topics/{topic}/partitions/{partition}/records");
        assertThat(documented.stream().filter(route -> route.contains(" /v1/")).toList())
                .as("operations in /v1/openapi.json").containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void browsableDocsAreServed() {
        client.get().uri("/v1/docs").exchange().expectStatus().is3xxRedirection();
        client.get().uri("/v1/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    private JsonNode document() {
        byte[] body = client.get().uri("/v1/openapi.json").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body);
    }
}
