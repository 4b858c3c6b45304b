package io.sluice.gateway.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public API's contract: {@code openapi.yaml}, a maintained source file (not generated from annotations, so it
 * carries real schemas, examples and every error code), served as written at {@code /v1/openapi.yaml} and as JSON at
 * {@code /v1/openapi.json}, with Swagger UI over it at {@code /v1/docs}. Tests hold it to the controllers' routes and
 * parameters and generate a client from it.
 */
@RestController
class ApiDocsController {

    static final String DOCUMENT = "openapi.yaml";

    private final String yaml;
    private final String json;
    private final String page;

    ApiDocsController(JsonMapper mapper) {
        this.yaml = read(DOCUMENT);
        Object document = new Yaml(new LoaderOptions()).load(yaml);
        this.json = JsonMapper.builder().build().writeValueAsString(document instanceof Map<?, ?> map ? map : Map.of());
        this.page = read("docs.html").replace("{swagger-ui}", "/webjars/swagger-ui/" + swaggerUiVersion());
    }

    @GetMapping(path = "/v1/openapi.yaml", produces = "application/yaml")
    String yaml() {
        return yaml;
    }

    @GetMapping(path = "/v1/openapi.json", produces = MediaType.APPLICATION_JSON_VALUE)
    String json() {
        return json;
    }

    @GetMapping(path = "/v1/docs", produces = MediaType.TEXT_HTML_VALUE)
    String docs() {
        return page;
    }

    private static String read(String name) {
        try (InputStream in = new ClassPathResource(name, ApiDocsController.class).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + " from the classpath", e);
        }
    }

    /** The bundled Swagger UI's version, which names its asset directory under /webjars. */
    private static String swaggerUiVersion() {
        Properties pom = new Properties();
        try (InputStream in = new ClassPathResource("META-INF/maven/org.webjars/swagger-ui/pom.properties")
                .getInputStream()) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Swagger UI's webjar is not on the classpath", e);
        }
        return pom.getProperty("version");
    }
}
