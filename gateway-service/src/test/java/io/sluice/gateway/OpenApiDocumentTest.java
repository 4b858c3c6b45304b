package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.GatewayWebTest;
import io.sluice.gateway.web.QueryBinder;
import io.sluice.gateway.web.StrictInput;
import io.sluice.protocol.ErrorCode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document is the contract of the gateway's code, both ways: it parses without a message from swagger
 * parser; it has exactly the routes the controllers map, and each operation exactly the query parameters its handler
 * methods take; its ErrorCode enum is every {@link ErrorCode}; and docs/api.md gives every error code its status.
 * A route, parameter or error code added on one side only fails here.
 */
@GatewayWebTest
class OpenApiDocumentTest {

    @Autowired
    WebTestClient client;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    @Qualifier("produceParameters")
    QueryBinder<?> jsonProduceParameters;

    @Test
    void documentIsAValidOpenApi31DocumentServedAsYamlAndJson() {
        SwaggerParseResult result = parse();

        assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1");
        String json = new String(client.get().uri("/v1/openapi.json").accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        SwaggerParseResult fromJson = new OpenAPIV3Parser().readContents(json, null, options());
        assertThat(fromJson.getMessages()).isEmpty();
        assertThat(fromJson.getOpenAPI().getPaths().keySet()).isEqualTo(result.getOpenAPI().getPaths().keySet());
    }

    @Test
    void everyControllerRouteIsInTheDocumentAndNothingElse() {
        Set<String> documented = new TreeSet<>(operations(parse().getOpenAPI()).keySet());

        assertThat(routes().keySet()).as("controller routes").contains("POST /v1/topics/{topic}/records",
                "GET /v1/topics/{topic}/partitions/{partition}/records");
        assertThat(documented).as("operations in openapi.yaml").isEqualTo(routes().keySet());
    }

    @Test
    void everyOperationDocumentsExactlyTheQueryParametersItsHandlersTake() {
        Map<String, Operation> operations = operations(parse().getOpenAPI());
        routes().forEach((route, parameters) -> {
            Set<String> documented = new TreeSet<>();
            List<Parameter> declared = operations.get(route).getParameters();
            if (declared != null) {
                declared.stream().filter(p -> "query".equals(p.getIn())).forEach(p -> documented.add(p.getName()));
            }
            assertThat(documented).as("query parameters of %s", route).isEqualTo(parameters);
        });
    }

    /**
     * The JSON produce is a functional route, not a controller's, so the check above sees only the NDJSON handler of
     * the same operation; the JSON route's binder keeps its own list, which must be the operation's too.
     */
    @Test
    void theJsonProduceRouteTakesExactlyTheQueryParametersOfTheProduceOperation() {
        Set<String> documented = new TreeSet<>();
        operations(parse().getOpenAPI()).get("POST /v1/topics/{topic}/records").getParameters().stream()
                .filter(p -> "query".equals(p.getIn())).forEach(p -> documented.add(p.getName()));

        assertThat(jsonProduceParameters.parameters()).as("the JSON produce route's query parameters")
                .isEqualTo(documented);
    }

    @Test
    void theErrorCodeEnumIsEveryErrorCode() {
        List<?> documented = parse().getOpenAPI().getComponents().getSchemas().get("ErrorCode").getEnum();

        assertThat(documented.stream().map(String::valueOf).toList())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(Enum::name).toList());
    }

    @Test
    void apiDocsGiveEveryErrorCodeItsStatus() throws IOException {
        String api = Files.readString(Path.of("..", "docs", "api.md"));
        Map<String, Integer> documented = new TreeMap<>();
        // Table rows: | `CODE` | status | retriable | when |
        Matcher row = Pattern.compile("^\\| `([A-Z_]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE).matcher(api);
        while (row.find()) {
            documented.put(row.group(1), Integer.parseInt(row.group(2)));
        }
        Map<String, Integer> actual = new TreeMap<>();
        Arrays.stream(ErrorCode.values()).forEach(code -> actual.put(code.name(), code.httpStatus()));

        assertThat(documented).as("error codes and statuses in docs/api.md").isEqualTo(actual);
    }

    @Test
    void browsableDocsShowTheDocumentWithSwaggerUi() {
        String page = new String(client.get().uri("/v1/docs").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        Matcher bundle = Pattern.compile("src=\"(/webjars/swagger-ui/[^\"]+/swagger-ui-bundle\\.js)\"").matcher(page);

        assertThat(page).contains("/v1/openapi.yaml");
        assertThat(bundle.find()).as(page).isTrue();
        client.get().uri(bundle.group(1)).exchange().expectStatus().isOk();
        client.get().uri("/v1/openapi.yaml").exchange().expectStatus().isOk()
                .expectBody(String.class).value(yaml -> assertThat(yaml).startsWith("openapi: 3.1"));
    }

    /** "METHOD /path" of every controller route, with the query parameters its handler methods take. */
    private Map<String, Set<String>> routes() {
        Map<String, Set<String>> routes = new TreeMap<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            // Confluent's Schema Registry API is Confluent's document, not this one's (docs/schemas.md lists it).
            if (!handler.getBeanType().getPackageName().startsWith("io.sluice.gateway")
                    || handler.getBeanType().getPackageName().equals("io.sluice.gateway.registry")) {
                return;
            }
            // the handler's @RequestParams and its parameters record's, as the gateway refuses any other
            Set<String> parameters = ((StrictInput.StrictMapping) mappings).queryParameters(handler);
            info.getPatternsCondition().getPatterns().forEach(pattern ->
                    info.getMethodsCondition().getMethods().forEach(method -> routes.computeIfAbsent(
                            method.name() + " " + pattern.getPatternString(), r -> new TreeSet<>()).addAll(parameters)));
        });
        // The functional routes that no controller shares a path with: the atomic produce and a transaction's writes.
        routes.put("POST /v1/records", new TreeSet<>(jsonProduceParameters.parameters()));
        routes.put("POST /v1/transactions/{transaction}/records", new TreeSet<>(jsonProduceParameters.parameters()));
        return routes;
    }

    private static Map<String, Operation> operations(OpenAPI api) {
        Map<String, Operation> operations = new TreeMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operations.put(method.name() + " " + path, operation)));
        return operations;
    }

    private SwaggerParseResult parse() {
        String yaml = new String(client.get().uri("/v1/openapi.yaml").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody());
        return new OpenAPIV3Parser().readContents(yaml, null, options());
    }

    private static ParseOptions options() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        options.setValidateInternalRefs(true);
        return options;
    }
}
