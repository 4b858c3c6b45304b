package io.sluice.cli;

import io.sluice.cli.TopicCommand.ConfigUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice cluster info|nodes|config}: the cluster's health, its partition-service nodes and its broker configs.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "The cluster's health, its nodes and its broker configs.",
        subcommands = {ClusterCommand.Info.class, ClusterCommand.Nodes.class, ClusterCommand.Configs.class})
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

    /** {@code sluice cluster config list|alter}: the broker configs, as Kafka's {@code kafka-configs} shows them. */
    @Command(name = "config", mixinStandardHelpOptions = true,
            description = "The broker configs (Kafka's names): list them, alter the cluster-wide ones.",
            subcommands = {ListConfigs.class, AlterConfigs.class})
    static final class Configs {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The broker configs that can change at run time, with their values and sources (all of "
                    + "them with --all).")
    static final class ListConfigs extends ClientCommand {

        @Option(names = "--all", description = "Also the read-only ones (start-up settings, topic defaults).")
        boolean all;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get("/v1/cluster/configs", Query.of());
            return print(answer, () -> {
                Table table = new Table("CONFIG", "VALUE", "SOURCE", "READ-ONLY");
                for (JsonNode config : answer.path("configs")) {
                    boolean readOnly = config.path("read_only").asBoolean();
                    if (all || !readOnly) {
                        table.row(config.path("name").asString(), Json.cell(config.path("value")),
                                config.path("source").asString(), readOnly ? "yes" : "no");
                    }
                }
                table.print(out());
            });
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true,
            description = "Set or delete cluster-wide broker configs, all at once (num.partitions, "
                    + "default.replication.factor, auto.create.topics.enable).")
    static final class AlterConfigs extends ClientCommand {

        @Option(names = {"-s", "--set"}, paramLabel = "NAME=VALUE", description = "Set a config; repeatable.")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = {"-d", "--delete"}, paramLabel = "NAME",
                description = "Delete a config (back to each gateway's setting); repeatable.")
        List<String> delete = new ArrayList<>();

        @Option(names = "--validate-only", description = "Check the change, change nothing.")
        boolean validateOnly;

        @Override
        int run(Gateway gateway) {
            if (set.isEmpty() && delete.isEmpty()) {
                throw usage("Nothing to change: give --set NAME=VALUE or --delete NAME");
            }
            ConfigUpdate update = ConfigUpdate.of(set, delete);
            Query query = validateOnly ? Query.of().add("validate_only", true) : Query.of();
            JsonNode answer = gateway.send("PATCH", "/v1/cluster/configs", query, update);
            return print(answer, () -> out().printf("%s the cluster's broker configs: %s%n",
                    validateOnly ? "Validated" : "Altered", update.describe()));
        }
    }
}
