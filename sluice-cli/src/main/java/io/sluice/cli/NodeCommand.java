package io.sluice.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice node decommission|decommissions|throttle}: draining partition-service nodes before they are removed,
 * and the byte rate at which each serves the replicas moves add.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Decommission partition-service nodes, follow their draining, and throttle partition moves.",
        subcommands = {NodeCommand.Decommission.class, NodeCommand.Decommissions.class, NodeCommand.Throttle.class})
final class NodeCommand {

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]i?b?|b)?(?:/s)?",
            Pattern.CASE_INSENSITIVE);

    private NodeCommand() {
    }

    @Command(name = "decommission", mixinStandardHelpOptions = true,
            description = "Decommissions a node: it takes no new replicas and its replicas move to other nodes. Stop "
                    + "it once 'sluice node decommissions' says it is safe to remove. With --cancel, it may take "
                    + "replicas again.")
    static final class Decommission extends ClientCommand {

        @Parameters(paramLabel = "NODE", description = "The node id, as 'sluice cluster nodes' lists it.")
        int node;

        @Option(names = "--cancel", description = "Cancel the node's decommission instead.")
        boolean cancel;

        @Override
        int run(Gateway gateway) {
            String path = "/v1/nodes/" + node + "/decommission";
            if (cancel) {
                gateway.send("DELETE", path, Query.of(), null);
                if (output() == Output.table) {
                    out().println("Cancelled the decommission of node " + node);
                }
                out().flush();
                return ExitCode.OK;
            }
            JsonNode answer = gateway.send("POST", path, Query.of(), null);
            return print(answer, () -> {
                out().println("Decommissioning node " + node);
                table(answer).print(out());
            });
        }
    }

    @Command(name = "decommissions", mixinStandardHelpOptions = true,
            description = "The nodes being decommissioned: partitions still on each, those moving off, and whether "
                    + "it is safe to remove.")
    static final class Decommissions extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get("/v1/decommissions", Query.of());
            return print(answer, () -> {
                Table table = header();
                for (JsonNode node : answer.path("decommissions")) {
                    row(table, node);
                }
                table.print(out());
            });
        }
    }

    @Command(name = "throttle", mixinStandardHelpOptions = true,
            description = "Sets the byte rate at which a node, as a leader, serves the replicas that partition moves "
                    + "are adding while they are out of the ISR (Kafka's leader.replication.throttled.rate). With "
                    + "--clear, back to the node's configured rate (sluice.partition.replication.move-throttle).")
    static final class Throttle extends ClientCommand {

        @Parameters(index = "0", paramLabel = "NODE", description = "The node id, as 'sluice cluster nodes' lists it.")
        int node;

        @Parameters(index = "1", arity = "0..1", paramLabel = "RATE",
                description = "Bytes per second: 10485760, 10MiB, 10MB (10^6), 512KiB; '/s' may follow.")
        String rate;

        @Option(names = "--clear", description = "Back to the node's configured rate.")
        boolean clear;

        @Override
        int run(Gateway gateway) {
            if (clear == (rate != null)) {
                throw usage("Give either a RATE or --clear");
            }
            MoveThrottle body;
            try {
                body = clear ? null : new MoveThrottle(bytesPerSecond(rate));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            String path = "/v1/nodes/" + node + "/move-throttle";
            JsonNode answer = clear ? gateway.send("DELETE", path, Query.of(), null)
                    : gateway.send("PUT", path, Query.of(), body);
            return print(answer, () -> {
                JsonNode throttle = answer.path("move_throttle_bytes_per_second");
                out().println("Node " + node + " serves replicas that moves add at " + (throttle.isNumber()
                        ? TopicCommand.bytes(throttle) + "/s" : "its configured rate"));
            });
        }
    }

    /** The body of a throttle change. */
    record MoveThrottle(long bytesPerSecond) {
    }

    /**
     * A rate as people write it: a number of bytes, with KB/MB/GB (powers of 1000) or KiB/MiB/GiB (of 1024).
     *
     * @throws IllegalArgumentException for anything else, or below 1
     */
    static long bytesPerSecond(String rate) {
        Matcher matcher = RATE.matcher(rate.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a byte rate: '" + rate + "' (e.g. 10485760, 10MiB, 10MB)");
        }
        String unit = matcher.group(2) == null ? "b" : matcher.group(2).toLowerCase(Locale.ROOT);
        int power = "bkmgt".indexOf(unit.charAt(0));
        double base = unit.contains("i") ? 1024 : 1000;
        long bytes = (long) Math.floor(Double.parseDouble(matcher.group(1)) * Math.pow(base, power));
        if (bytes < 1) {
            throw new IllegalArgumentException("A byte rate must be at least 1 byte per second, was '" + rate + "'");
        }
        return bytes;
    }

    private static Table table(JsonNode progress) {
        Table table = header();
        row(table, progress);
        return table;
    }

    private static Table header() {
        return new Table("NODE", "STATUS", "PARTITIONS", "MOVING-OFF", "SAFE-TO-REMOVE");
    }

    private static void row(Table table, JsonNode node) {
        table.row(node.path("node_id").asInt(), node.path("status").asString(),
                node.path("partitions_remaining").asInt(), node.path("partitions_moving_off").asInt(),
                node.path("safe_to_remove").asBoolean() ? "yes" : "no");
    }
}
