package io.sluice.deploy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, and those a Prometheus exposition offers. An expression's metric
 * names are its identifiers once label matchers ({@code {...}}), ranges ({@code [5m]}), grouping clauses
 * ({@code by (...)}), strings and Grafana variables are taken out, less function names and keywords.
 */
final class MetricNames {

    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "count_values", "group", "rate", "irate", "increase", "delta", "idelta",
            "deriv", "histogram_quantile", "abs", "absent", "absent_over_time", "clamp_min", "clamp_max", "ceil",
            "floor", "round", "scalar", "vector", "time", "predict_linear", "avg_over_time", "max_over_time",
            "min_over_time", "sum_over_time", "label_replace", "by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private MetricNames() {
    }

    static Set<String> inExpression(String expression) {
        String stripped = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\$\\w+", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(stripped);
        while (identifier.find()) {
            String name = identifier.group();
            int next = identifier.end();
            while (next < stripped.length() && stripped.charAt(next) == ' ') {
                next++;
            }
            boolean isCall = next < stripped.length() && stripped.charAt(next) == '(';
            if (!isCall && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition ({@code name{labels} value}). */
    static Set<String> inExposition(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher identifier = IDENTIFIER.matcher(line);
                if (identifier.lookingAt()) {
                    names.add(identifier.group());
                }
            }
        }
        return names;
    }

    static Set<String> inExpressions(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        expressions.forEach(e -> names.addAll(inExpression(e)));
        return names;
    }
}
