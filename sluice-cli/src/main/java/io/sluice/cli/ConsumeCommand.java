package io.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code sluice consume TOPIC}: prints records of a topic or one partition. Three ways to read, all over API v1:
 * <ul>
 *   <li>by default, pages ({@code GET .../records}) from the start position until every partition read is caught up
 *       with its high watermark (or {@code -n} records);</li>
 *   <li>{@code --follow}, a Server-Sent Events stream of the same resource: what is there, then what arrives, until
 *       Ctrl-C (or {@code -n});</li>
 *   <li>{@code --group}, a polling member of the consumer group: the group's partitions from its committed offsets;
 *       when the command ends (caught up, {@code -n}, or Ctrl-C with {@code --follow}) it leaves the group with the
 *       cursor of the last records it printed, which commits exactly those.</li>
 * </ul>
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Print records of a topic (or of one partition): what is there, or (--follow) what is there "
                + "and then what arrives, until Ctrl-C.",
                "With --group, as a member of a consumer group, from its committed offsets; the records printed are "
                        + "committed when the command ends."})
final class ConsumeCommand extends ClientCommand {

    private static final int PAGE_RECORDS = 500;
    /** Polls of a second each that a member without --follow waits for a partition to be assigned. */
    private static final int UNASSIGNED_POLLS = 15;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = {"-p", "--partition"}, paramLabel = "N", description = "Only this partition.")
    Integer partition;

    @Option(names = "--offset", paramLabel = "OFFSET",
            description = "Where to start: an offset, earliest or latest (default: earliest; with --follow, latest; "
                    + "with --group, where a partition without a committed offset starts: earliest or latest).")
    String offset;

    @Option(names = "--from-time", paramLabel = "TIME",
            description = "Start at the first record at or after TIME: ms since the epoch, or ISO-8601 "
                    + "(2026-01-01T00:00:00Z).")
    String fromTime;

    @Option(names = "--last", paramLabel = "N", description = "Start N records before the end of each partition.")
    Integer last;

    @Option(names = {"-n", "--max-records"}, paramLabel = "N", description = "Stop after N records.")
    Long maxRecords;

    @Option(names = {"-f", "--follow"}, description = "Keep printing records as they arrive (Server-Sent Events), "
            + "until Ctrl-C.")
    boolean follow;

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "Read as a member of this consumer group.")
    String group;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "How keys and values are shown: json, string or binary (default: json, which shows text "
                    + "that is not JSON as a string).")
    RecordFormat format;

    @Option(names = "--key-format", paramLabel = "FORMAT", description = "Overrides --format for keys.")
    RecordFormat keyFormat;

    @Option(names = "--value-format", paramLabel = "FORMAT", description = "Overrides --format for values.")
    RecordFormat valueFormat;

    @Option(names = {"-t", "--template"}, paramLabel = "TEMPLATE",
            description = {"How to print a record (default: " + RecordTemplate.DEFAULT + "). Fields: {topic} "
                    + "{partition} {offset} {timestamp} {time} {key} {value} {headers} {key_format} {value_format};"
                    + " \\t and \\n are tab and newline. -o json prints each record as the gateway's JSON instead."})
    String template;

    @Option(names = "--progress", description = "Print a progress line to standard error every second.")
    boolean progress;

    private RecordTemplate printer;
    private Progress meter;
    private long printed;

    @Override
    int run(Gateway gateway) throws IOException {
        try {
            printer = RecordTemplate.parse(template == null ? RecordTemplate.DEFAULT : template);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        int starts = (offset != null ? 1 : 0) + (fromTime != null ? 1 : 0) + (last != null ? 1 : 0);
        if (starts > 1) {
            throw usage("Give one of --offset, --from-time and --last");
        }
        if (maxRecords != null && maxRecords < 1) {
            throw usage("--max-records must be at least 1");
        }
        meter = progress ? new Progress(err(), "consumed") : null;
        try {
            if (group != null) {
                return consumeAsMember(gateway);
            }
            return follow ? consumeStream(gateway) : consumePages(gateway);
        } finally {
            if (meter != null) {
                meter.done(printed);
            }
            out().flush();
        }
    }

    private String resource() {
        return partition == null ? path("/v1/topics", topic, "records")
                : path("/v1/topics", topic, "partitions", partition.toString(), "records");
    }

    private Query formats(Query query) {
        return query.add("format", format).add("key_format", keyFormat).add("value_format", valueFormat);
    }

    private Query start(Query query) {
        return query.add("offset", offset).add("timestamp", fromTime).add("last", last);
    }

    /** Pages until every partition read is at its high watermark, or until -n. */
    private int consumePages(Gateway gateway) {
        Query first = start(Query.of());
        String cursor = null;
        while (!done()) {
            Query query = formats(cursor == null ? first : Query.of().add("cursor", cursor))
                    .add("max_records", (int) Math.min(PAGE_RECORDS, remaining()));
            JsonNode page = gateway.get(resource(), query);
            JsonNode records = page.path("records");
            records.forEach(this::print);
            cursor = page.path("cursor").asString(null);
            if (records.isEmpty() || caughtUp(page) || cursor == null) {
                break;
            }
        }
        return ExitCode.OK;
    }

    private static boolean caughtUp(JsonNode page) {
        List<JsonNode> positions = page.has("partitions") ? page.path("partitions").valueStream().toList()
                : List.of(page);
        return positions.stream().allMatch(p -> !p.path("high_watermark").isNumber()
                || p.path("next_offset").asLong() >= p.path("high_watermark").asLong());
    }

    /** The resource as Server-Sent Events: records until -n or Ctrl-C; an error event ends it as a problem. */
    private int consumeStream(Gateway gateway) throws IOException {
        InputStream body = gateway.stream("GET", resource(), formats(start(Query.of())), "text/event-stream", null,
                null);
        try (EventStream events = new EventStream(body)) {
            Optional<EventStream.Event> event;
            while (!done() && (event = events.next()).isPresent()) {
                switch (event.get().type()) {
                    case "record" -> print(Json.MAPPER.readTree(event.get().data()));
                    case "error" -> throw problem(event.get().data());
                    default -> {
                        // other event types carry nothing to print
                    }
                }
            }
        }
        return ExitCode.OK;
    }

    /**
     * A polling member: join, poll until caught up (or -n, or Ctrl-C with --follow), leave with the cursor of the
     * last records printed, which commits them.
     */
    private int consumeAsMember(Gateway gateway) {
        if (partition != null || fromTime != null || last != null
                || offset != null && !offset.equals("earliest") && !offset.equals("latest")) {
            throw usage("With --group, the group decides partitions and positions: only --offset earliest|latest "
                    + "(for partitions without a committed offset) goes with it");
        }
        String members = path("/v1/groups", group, "members");
        ObjectNode join = JsonNodeFactory.instance.objectNode();
        join.putArray("topics").add(topic);
        join.put("auto_offset_reset", offset == null ? "latest" : offset);
        JsonNode member = gateway.send("POST", members, Query.of(), join);
        String memberId = member.path("member_id").asString();
        Member state = new Member(gateway, members + "/" + Query.encode(memberId), member.path("cursor").asString());
        Thread leaveOnExit = new Thread(state::leave, "sluice-leave-group");
        Runtime.getRuntime().addShutdownHook(leaveOnExit);
        int idlePolls = 0;
        try {
            while (!done()) {
                ObjectNode poll = JsonNodeFactory.instance.objectNode();
                poll.put("cursor", state.cursor);
                poll.put("wait_ms", follow ? 5000 : 1000);
                poll.put("max_records", (int) Math.min(PAGE_RECORDS, remaining()));
                if (format != null) {
                    poll.put("format", format.name());
                }
                if (keyFormat != null) {
                    poll.put("key_format", keyFormat.name());
                }
                if (valueFormat != null) {
                    poll.put("value_format", valueFormat.name());
                }
                JsonNode answer = gateway.send("POST", state.path + "/poll", Query.of(), poll);
                JsonNode records = answer.path("records");
                records.forEach(this::print);
                out().flush();
                // Only now: the cursor commits what this answer delivered, and all of it is printed.
                state.cursor = answer.path("cursor").asString();
                if (!follow && records.isEmpty()) {
                    if (!answer.path("assignment").isEmpty()) {
                        break;
                    }
                    // Other members may hold every partition: do not wait for one for ever.
                    if (++idlePolls >= UNASSIGNED_POLLS) {
                        err().println("No partition of " + topic + " was assigned to this member of group " + group
                                + " within " + UNASSIGNED_POLLS + " s (other members hold them?)");
                        break;
                    }
                }
            }
        } finally {
            state.leave();
            try {
                Runtime.getRuntime().removeShutdownHook(leaveOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running or has run
            }
        }
        return ExitCode.OK;
    }

    /** A member's position, read by the shutdown hook: it leaves once, with the last cursor whose records printed. */
    private final class Member {

        private final Gateway gateway;
        private final String path;
        private final AtomicBoolean left = new AtomicBoolean();
        volatile String cursor;

        Member(Gateway gateway, String path, String cursor) {
            this.gateway = gateway;
            this.path = path;
            this.cursor = cursor;
        }

        void leave() {
            if (left.compareAndSet(false, true)) {
                try {
                    gateway.send("DELETE", path, Query.of().add("cursor", cursor), null);
                } catch (GatewayException e) {
                    err().println("Leaving group " + group + " failed; what was printed since the last commit may "
                            + "be read again: " + e.getMessage());
                    err().flush();
                }
            }
        }
    }

    private GatewayException problem(String data) {
        JsonNode json = Json.MAPPER.readTree(data);
        return GatewayException.answered(Problem.of(json.path("status").asInt(500), json, data));
    }

    private void print(JsonNode record) {
        if (done()) {
            return;
        }
        out().println(output() == Output.json ? Json.compact(record) : printer.render(record));
        printed++;
        if (meter != null) {
            meter.update(printed);
        }
        if (follow) {
            out().flush();
        }
    }

    private boolean done() {
        return maxRecords != null && printed >= maxRecords;
    }

    private long remaining() {
        return maxRecords == null ? Long.MAX_VALUE : maxRecords - printed;
    }
}
