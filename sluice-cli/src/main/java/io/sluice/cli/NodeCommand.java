package io.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code sluice node decommission|decommissions}: draining partition-service nodes before they are removed. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Decommission partition-service nodes and follow their draining.",
        subcommands = {NodeCommand.Decommission.class, NodeCommand.Decommissions.class})
final class NodeCommand {

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
