package io.sluice.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's Dockerfile, read as Docker reads it: instructions (continuation lines joined) grouped by stage,
 * a stage built {@code FROM} another stage inheriting its settings. Only what the tests check or reproduce is kept.
 */
record Dockerfile(List<Stage> stages) {

    /** One build stage: its base, name, and instructions in order. */
    record Stage(String from, String name, List<Instruction> instructions) {
    }

    record Instruction(String keyword, String arguments) {
    }

    /** What a target image carries: its ENV, LABELs, USER, WORKDIR, ENTRYPOINT and HEALTHCHECK, inherited ones too. */
    record Image(String target, String base, Map<String, String> env, Map<String, String> labels, String user,
                 String workdir, List<String> entrypoint, String healthcheck, List<String> copiedLayers) {
    }

    private static final Pattern FROM = Pattern.compile("(?i)(\\S+)(?:\\s+AS\\s+(\\S+))?");

    static Dockerfile read() {
        try {
            return parse(Files.readString(Repo.root().resolve("Dockerfile")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            if (!logical.toString().isBlank()) {
                lines.add(logical.toString().strip());
            }
            logical.setLength(0);
        }
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
            if (instruction.keyword().equals("FROM")) {
                Matcher from = FROM.matcher(instruction.arguments());
                if (!from.matches()) {
                    throw new IllegalArgumentException("Unreadable FROM: " + line);
                }
                stages.add(new Stage(from.group(1), from.group(2), new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.getLast().instructions().add(instruction);
            }
        }
        return new Dockerfile(stages);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No stage " + name + " in the Dockerfile"));
    }

    /** The image {@code target} builds: its stage and the stages it is built FROM, settings applied in order. */
    Image image(String target) {
        List<Stage> chain = new ArrayList<>();
        Stage stage = stage(target);
        while (stage != null) {
            chain.addFirst(stage);
            String base = stage.from();
            stage = stages.stream().filter(s -> base.equals(s.name())).findFirst().orElse(null);
        }
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> layers = new ArrayList<>();
        String user = "root";
        String workdir = "/";
        List<String> entrypoint = List.of();
        String healthcheck = null;
        for (Stage link : chain) {
            for (Instruction instruction : link.instructions()) {
                switch (instruction.keyword()) {
                    case "ENV" -> env.putAll(pairs(instruction.arguments()));
                    case "LABEL" -> labels.putAll(pairs(instruction.arguments()));
                    case "USER" -> user = instruction.arguments();
                    case "WORKDIR" -> workdir = instruction.arguments();
                    case "ENTRYPOINT" -> entrypoint = jsonArray(instruction.arguments());
                    case "HEALTHCHECK" -> healthcheck = instruction.arguments();
                    case "COPY" -> {
                        Matcher layer = Pattern.compile("--from=build /layers/[^/]+/([^/]+)/").matcher(instruction.arguments());
                        if (layer.find()) {
                            layers.add(layer.group(1));
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return new Image(target, chain.getFirst().from(), env, labels, user, workdir, entrypoint, healthcheck, layers);
    }

    /** {@code K=V K2="V 2"} pairs, as ENV and LABEL take them. */
    static Map<String, String> pairs(String arguments) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher pair = Pattern.compile("([A-Za-z0-9_.\\-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))").matcher(arguments);
        while (pair.find()) {
            pairs.put(pair.group(1), pair.group(3) != null ? pair.group(3).replace("\\\"", "\"") : pair.group(4));
        }
        return pairs;
    }

    /** An exec-form argument list: {@code ["java", "-cp", "x"]} (the Dockerfile's lists hold plain strings). */
    static List<String> jsonArray(String text) {
        int start = text.indexOf('[');
        int end = text.lastIndexOf(']');
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("Not an exec-form list: " + text);
        }
        List<String> items = new ArrayList<>();
        Matcher item = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text.substring(start, end + 1));
        while (item.find()) {
            items.add(item.group(1));
        }
        return items;
    }
}
