package io.sluice.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The PromQL of the dashboard and the alert rules (helm/sluice/files), which the chart and compose both ship. */
final class Observability {

    private Observability() {
    }

    static Path dashboard() {
        return Chart.dir().resolve("files/sluice-dashboard.json");
    }

    static Path alerts() {
        return Chart.dir().resolve("files/sluice-alerts.yaml");
    }

    /** Every panel's every target expression. */
    static List<String> dashboardExpressions() {
        try {
            JsonNode root = new ObjectMapper().readTree(dashboard().toFile());
            List<String> expressions = new ArrayList<>();
            for (JsonNode panel : root.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    expressions.add(target.path("expr").asText());
                }
            }
            return expressions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every alert rule's expression. */
    @SuppressWarnings("unchecked")
    static List<String> alertExpressions() {
        try (Reader reader = Files.newBufferedReader(alerts())) {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            List<String> expressions = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    expressions.add(String.valueOf(rule.get("expr")));
                }
            }
            return expressions;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
