package io.sluice.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice schema ...}: the schema registry every gateway serves at {@code /schema-registry} (Confluent's API;
 * docs/schemas.md): subjects, versions and the difference between two, a schema by subject and version or by id,
 * registering and checking a candidate schema, deleting, and the compatibility level and mode.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "The schema registry: subjects, versions, diffs, register, check compatibility, delete, levels.",
        subcommands = {SchemaCommand.Subjects.class, SchemaCommand.Versions.class, SchemaCommand.Get.class,
                SchemaCommand.Diff.class, SchemaCommand.Register.class, SchemaCommand.Check.class,
                SchemaCommand.Delete.class, SchemaCommand.Config.class, SchemaCommand.Mode.class})
final class SchemaCommand {

    static final String REGISTRY = "/schema-registry";

    private SchemaCommand() {
    }

    @Command(name = "subjects", mixinStandardHelpOptions = true,
            description = "The subjects, each with its latest version, schema id and type.")
    static final class Subjects extends ClientCommand {

        @Option(names = "--prefix", paramLabel = "PREFIX", description = "Only subjects starting with it.")
        String prefix;

        @Option(names = "--deleted", description = "Soft-deleted subjects too.")
        boolean deleted;

        @Override
        int run(Gateway gateway) {
            JsonNode latest = gateway.get(REGISTRY + "/schemas", Query.of().add("subjectPrefix", prefix)
                    .add("latestOnly", "true").add("deleted", deleted ? "true" : null));
            return print(latest, () -> {
                if (latest.isEmpty()) {
                    out().println("No subjects");
                    return;
                }
                Table table = new Table("SUBJECT", "LATEST", "ID", "TYPE");
                latest.forEach(version -> table.row(version.path("subject").asString(),
                        version.path("version").asString(), version.path("id").asString(), type(version)));
                table.print(out());
            });
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true,
            description = "A subject's versions with their schema ids.")
    static final class Versions extends ClientCommand {

        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;

        @Option(names = "--deleted", description = "Soft-deleted versions too.")
        boolean deleted;

        @Override
        int run(Gateway gateway) {
            Query query = Query.of().add("deleted", deleted ? "true" : null);
            JsonNode numbers = gateway.get(path(REGISTRY + "/subjects", subject, "versions"), query);
            List<JsonNode> versions = new ArrayList<>();
            numbers.forEach(number -> versions.add(gateway.get(path(REGISTRY + "/subjects", subject, "versions",
                    number.asString()), query)));
            JsonNode answer = Json.MAPPER.valueToTree(versions);
            return print(answer, () -> {
                Table table = new Table("VERSION", "ID", "TYPE", "REFERENCES");
                versions.forEach(version -> table.row(version.path("version").asString(),
                        version.path("id").asString(), type(version), references(version)));
                table.print(out());
            });
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "A schema: a subject's version (the latest by default), or --id's.")
    static final class Get extends ClientCommand {

        @Parameters(index = "0", arity = "0..1", paramLabel = "SUBJECT")
        String subject;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", defaultValue = "latest",
                description = "A version number, or latest (default).")
        String version;

        @Option(names = "--id", paramLabel = "ID", description = "The schema with this id, whatever its subject.")
        Integer id;

        @Override
        int run(Gateway gateway) {
            if ((subject == null) == (id == null)) {
                throw usage("Name a SUBJECT (and VERSION) or an --id");
            }
            JsonNode schema = id != null ? gateway.get(path(REGISTRY + "/schemas/ids", id.toString()), Query.of())
                    : gateway.get(path(REGISTRY + "/subjects", subject, "versions", version), Query.of());
            return print(schema, () -> {
                if (subject != null) {
                    out().printf("%s version %s, schema id %s, %s%s%n", subject, schema.path("version").asString(),
                            schema.path("id").asString(), type(schema),
                            schema.path("references").isEmpty() ? "" : ", references " + references(schema));
                }
                out().println(readable(schema.path("schema").asString()));
            });
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "How two versions of a subject differ, line by line (JSON schemas pretty-printed first).")
    static final class Diff extends ClientCommand {

        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;

        @Parameters(index = "1", paramLabel = "FROM", description = "A version number.")
        String from;

        @Parameters(index = "2", paramLabel = "TO", defaultValue = "latest",
                description = "A version number, or latest (default).")
        String to;

        @Override
        int run(Gateway gateway) {
            JsonNode older = gateway.get(path(REGISTRY + "/subjects", subject, "versions", from), Query.of());
            JsonNode newer = gateway.get(path(REGISTRY + "/subjects", subject, "versions", to), Query.of());
            List<String> lines = LineDiff.of(readable(older.path("schema").asString()).lines().toList(),
                    readable(newer.path("schema").asString()).lines().toList());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("subject", subject);
            answer.put("from", older.path("version").asInt());
            answer.put("to", newer.path("version").asInt());
            answer.put("lines", lines);
            return print(Json.MAPPER.valueToTree(answer), () -> {
                out().printf("--- %s version %d (id %d)%n+++ %s version %d (id %d)%n", subject,
                        older.path("version").asInt(), older.path("id").asInt(), subject,
                        newer.path("version").asInt(), newer.path("id").asInt());
                lines.forEach(out()::println);
            });
        }
    }

    /** A schema given in a file: its text, type and references. */
    abstract static class SchemaFile extends ClientCommand {

        @Option(names = "--type", paramLabel = "TYPE", description = "AVRO (default), PROTOBUF or JSON.")
        String type;

        @Option(names = "--reference", paramLabel = "NAME=SUBJECT:VERSION",
                description = "A reference the schema makes (Avro: a type's full name; Protobuf: an import; JSON: a "
                        + "$ref), to a registered version. Repeatable.")
        List<String> references = new ArrayList<>();

        @Option(names = "--normalize", description = "Normalize the schema first (Confluent's normalize=true).")
        boolean normalize;

        Map<String, Object> body(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InputException("Cannot read " + file + ": " + e.getMessage());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("schema", text);
            if (type != null) {
                body.put("schemaType", type.toUpperCase(Locale.ROOT));
            }
            List<Map<String, Object>> refs = new ArrayList<>();
            for (String reference : references) {
                int equals = reference.indexOf('=');
                int colon = reference.lastIndexOf(':');
                if (equals < 1 || colon < equals + 2 || colon == reference.length() - 1) {
                    throw usage("A reference is NAME=SUBJECT:VERSION, was '" + reference + "'");
                }
                Map<String, Object> ref = new LinkedHashMap<>();
                ref.put("name", reference.substring(0, equals));
                ref.put("subject", reference.substring(equals + 1, colon));
                try {
                    ref.put("version", Integer.parseInt(reference.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    throw usage("A reference's VERSION is a number, was '" + reference.substring(colon + 1) + "'");
                }
                refs.add(ref);
            }
            if (!refs.isEmpty()) {
                body.put("references", refs);
            }
            return body;
        }

        Query normalizing() {
            return Query.of().add("normalize", normalize ? "true" : null);
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Registers the schema in FILE under SUBJECT: its id, and the version it became (or was).")
    static final class Register extends SchemaFile {

        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Override
        int run(Gateway gateway) {
            Map<String, Object> body = body(file);
            JsonNode registered = gateway.send("POST", path(REGISTRY + "/subjects", subject, "versions"),
                    normalizing(), body);
            JsonNode version = gateway.send("POST", path(REGISTRY + "/subjects", subject), normalizing(), body);
            return print(version, () -> out().printf("Registered under %s: schema id %s, version %s%n", subject,
                    registered.path("id").asString(), version.path("version").asString()));
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Whether the schema in FILE may follow SUBJECT's versions under its compatibility level "
                    + "(exit 0), or why not (exit 1).")
    static final class Check extends SchemaFile {

        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;

        @Parameters(index = "1", paramLabel = "FILE")
        Path file;

        @Option(names = "--against", paramLabel = "VERSION",
                description = "Check against this version only (a number or latest).")
        String version;

        @Override
        int run(Gateway gateway) {
            String route = version == null ? path(REGISTRY + "/compatibility/subjects", subject, "versions")
                    : path(REGISTRY + "/compatibility/subjects", subject, "versions", version);
            JsonNode report = gateway.send("POST", route, normalizing().add("verbose", "true"), body(file));
            boolean compatible = report.path("is_compatible").asBoolean();
            print(report, () -> {
                out().println(compatible ? "Compatible with " + subject : "Not compatible with " + subject + ":");
                report.path("messages").forEach(message -> out().println("  " + message.asString()));
            });
            return compatible ? ExitCode.OK : ExitCode.REFUSED;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Deletes a version of SUBJECT, or all of it: soft first, then --permanent.")
    static final class Delete extends ClientCommand {

        @Parameters(index = "0", paramLabel = "SUBJECT")
        String subject;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "A version (or latest).")
        String version;

        @Option(names = "--permanent", description = "For good (after a soft delete).")
        boolean permanent;

        @Override
        int run(Gateway gateway) {
            Query query = Query.of().add("permanent", permanent ? "true" : null);
            JsonNode deleted = version == null
                    ? gateway.send("DELETE", path(REGISTRY + "/subjects", subject), query, null)
                    : gateway.send("DELETE", path(REGISTRY + "/subjects", subject, "versions", version), query, null);
            return print(deleted, () -> out().printf("%s %s of %s: %s%n", permanent ? "Deleted for good" : "Deleted",
                    version == null ? "versions" : "version", subject,
                    deleted.isArray() ? deleted.valueStream().map(JsonNode::asString).toList() : deleted.asString()));
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true,
            description = "The compatibility level of SUBJECT (the one that applies to it), or of the registry.")
    static final class Config extends ClientCommand {

        @Parameters(index = "0", arity = "0..1", paramLabel = "SUBJECT")
        String subject;

        @Option(names = "--set", paramLabel = "LEVEL", description = "NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, "
                + "FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE.")
        String level;

        @Option(names = "--remove", description = "Remove the subject's own level (the registry's: back to BACKWARD).")
        boolean remove;

        @Override
        int run(Gateway gateway) {
            String route = subject == null ? REGISTRY + "/config" : path(REGISTRY + "/config", subject);
            JsonNode answer = level != null
                    ? gateway.send("PUT", route, Query.of(), Map.of("compatibility", level.toUpperCase(Locale.ROOT)))
                    : remove ? gateway.send("DELETE", route, Query.of(), null)
                    : gateway.get(route, Query.of().add("defaultToGlobal", subject == null ? null : "true"));
            String shown = answer.has("compatibility") ? answer.path("compatibility").asString()
                    : answer.path("compatibilityLevel").asString();
            return print(answer, () -> out().printf("%s%s: %s%n", subject == null ? "The registry" : subject,
                    level != null ? " is now" : remove ? " had" : "", shown));
        }
    }

    @Command(name = "mode", mixinStandardHelpOptions = true,
            description = "The mode of SUBJECT (the one that applies to it), or of the registry.")
    static final class Mode extends ClientCommand {

        @Parameters(index = "0", arity = "0..1", paramLabel = "SUBJECT")
        String subject;

        @Option(names = "--set", paramLabel = "MODE", description = "READWRITE, READONLY or IMPORT.")
        String mode;

        @Override
        int run(Gateway gateway) {
            String route = subject == null ? REGISTRY + "/mode" : path(REGISTRY + "/mode", subject);
            JsonNode answer = mode != null
                    ? gateway.send("PUT", route, Query.of(), Map.of("mode", mode.toUpperCase(Locale.ROOT)))
                    : gateway.get(route, Query.of().add("defaultToGlobal", subject == null ? null : "true"));
            return print(answer, () -> out().printf("%s%s: %s%n", subject == null ? "The registry" : subject,
                    mode != null ? " is now" : "", answer.path("mode").asString()));
        }
    }

    private static String type(JsonNode schema) {
        return schema.path("schemaType").asString("AVRO");
    }

    private static String references(JsonNode schema) {
        List<String> refs = new ArrayList<>();
        schema.path("references").forEach(ref -> refs.add(ref.path("name").asString() + "="
                + ref.path("subject").asString() + ":" + ref.path("version").asString()));
        return refs.isEmpty() ? "-" : String.join(", ", refs);
    }

    /** A schema's text for people: JSON (Avro, JSON Schema) pretty-printed, Protobuf as it is. */
    static String readable(String schema) {
        String text = schema.strip();
        if (text.startsWith("{") || text.startsWith("[") || text.startsWith("\"")) {
            try {
                return Json.pretty(Json.MAPPER.readTree(text));
            } catch (JacksonException e) {
                return schema;
            }
        }
        return schema;
    }
}
