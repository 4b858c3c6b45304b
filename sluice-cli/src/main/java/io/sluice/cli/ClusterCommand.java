package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code sluice cluster info|nodes}: the cluster's health and its partition-service nodes. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "The cluster's health and its nodes.",
        subcommands = {ClusterCommand.Info.class, ClusterCommand.Nodes.class})
final class ClusterCommand {

    private ClusterCommand() {
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Metadata version, the active coordinator, nodes, topics, partitions and their health, "
                    + "data on disk and throughput.")
    static final class Info extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get("/v1/cluster", Query.of());
            return print(answer, () -> {
                JsonNode coordinator = answer.path("coordinator");
                JsonNode throughput = answer.path("throughput");
                Table table = new Table("FIELD", "VALUE");
                table.row("metadata version", Json.cell(answer.path("metadata_version")));
                table.row("coordinator", Json.cell(coordinator.path("url")) + " (" + Json.cell(
                        coordinator.path("instance_id")) + (coordinator.path("reachable").asBoolean(false)
                        ? ", reachable" : ", NOT reachable") + ")");
                table.row("nodes", answer.path("live_node_count").asInt() + " live of "
                        + answer.path("node_count").asInt());
                table.row("topics", Json.cell(answer.path("topic_count")));
                table.row("partitions", Json.cell(answer.path("partition_count")));
                table.row("offline partitions", partitions(answer.path("offline_partitions")));
                table.row("under-replicated partitions", partitions(answer.path("under_replicated_partitions")));
                table.row("size on disk", TopicCommand.bytes(answer.path("size_bytes")));
                if (throughput.isObject()) {
                    table.row("in", String.format("%.1f records/s, %s/s",
                            throughput.path("records_in_per_sec").asDouble(),
                            TopicCommand.bytes(throughput.path("bytes_in_per_sec"))));
                    table.row("out", String.format("%.1f records/s, %s/s",
                            throughput.path("records_out_per_sec").asDouble(),
                            TopicCommand.bytes(throughput.path("bytes_out_per_sec"))));
                }
                table.print(out());
            });
        }

        private static String partitions(JsonNode refs) {
            if (refs.isEmpty()) {
                return "0";
            }
            StringBuilder text = new StringBuilder().append(refs.size()).append(':');
            for (JsonNode ref : refs) {
                text.append(' ').append(ref.path("topic").asString()).append('-').append(ref.path("partition").asInt());
            }
            return text.toString();
        }
    }

    @Command(name = "nodes", mixinStandardHelpOptions = true,
            description = "The partition-service nodes: status, leaders, replicas and data on disk.")
    static final class Nodes extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get("/v1/nodes", Query.of());
            return print(answer, () -> {
                Table table = new Table("NODE", "STATUS", "URL", "RACK", "LEADERS", "REPLICAS", "SIZE", "NOTE");
                for (JsonNode node : answer.path("nodes")) {
                    table.row(node.path("node_id").asInt(), node.path("status").asString(),
                            node.path("url").asString(), Json.cell(node.path("rack")), node.path("leader_count").asInt(),
                            node.path("replica_count").asInt(), TopicCommand.bytes(node.path("size_bytes")),
                            note(node));
                }
                table.print(out());
            });
        }

        /** Being decommissioned, and since when a dead node is dead; "-" for neither. */
        static String note(JsonNode node) {
            List<String> notes = new ArrayList<>();
            if (node.path("decommissioning").asBoolean()) {
                notes.add("decommissioning");
            }
            if (node.path("dead_since").isString()) {
                notes.add("dead since " + node.path("dead_since").asString());
            }
            return notes.isEmpty() ? "-" : String.join(", ", notes);
        }
    }
}
