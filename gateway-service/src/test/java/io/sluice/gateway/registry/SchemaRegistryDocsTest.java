package io.sluice.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;

/** docs/schemas.md lists exactly the registry's routes, and every Confluent error code the gateway answers with. */
class SchemaRegistryDocsTest {

    private static final Pattern ROUTE = Pattern.compile("^\\| `(GET|POST|PUT|DELETE)` \\| `([^`]+)` \\|",
            Pattern.MULTILINE);

    @Test
    void theRoutesTableIsTheControllersRoutes() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = ROUTE.matcher(docs());
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2));
        }
        Set<String> served = new TreeSet<>();
        for (Method method : SchemaRegistryController.class.getDeclaredMethods()) {
            add(served, "GET", method.isAnnotationPresent(GetMapping.class)
                    ? method.getAnnotation(GetMapping.class).value() : null);
            add(served, "POST", method.isAnnotationPresent(PostMapping.class)
                    ? method.getAnnotation(PostMapping.class).value() : null);
            add(served, "PUT", method.isAnnotationPresent(PutMapping.class)
                    ? method.getAnnotation(PutMapping.class).value() : null);
            add(served, "DELETE", method.isAnnotationPresent(DeleteMapping.class)
                    ? method.getAnnotation(DeleteMapping.class).value() : null);
        }

        assertThat(served).as("the controller's routes").contains("GET /schemas/ids/{id}");
        assertThat(documented).as("the routes of docs/schemas.md").isEqualTo(served);
    }

    @Test
    void everyConfluentErrorCodeIsDocumentedWithItsSluiceCode() throws IOException {
        String docs = docs();
        ConfluentErrors.CODES.forEach((code, confluent) -> assertThat(docs).as("%s as %d", code, confluent)
                .contains("`" + code.name() + "`").contains(Integer.toString(confluent)));
    }

    private static void add(Set<String> routes, String method, String[] paths) {
        if (paths != null) {
            for (String path : paths) {
                // The root is mapped as "" and "/": one route.
                routes.add(method + " " + (path.isEmpty() ? "/" : path));
            }
        }
    }

    private static String docs() throws IOException {
        return Files.readString(Path.of("..", "docs", "schemas.md"));
    }
}
