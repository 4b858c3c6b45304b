package io.sluice.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code sluice topic list|describe|create|delete|alter|add-partitions}: the topic admin calls of API v1. */
@Command(name = "topic", mixinStandardHelpOptions = true,
        description = "List, describe, create, delete and alter topics.",
        subcommands = {TopicCommand.ListTopics.class, TopicCommand.DescribeTopic.class, TopicCommand.CreateTopic.class,
                TopicCommand.DeleteTopics.class, TopicCommand.AlterTopic.class, TopicCommand.AddPartitions.class})
final class TopicCommand {

    private static final String TOPICS = "/v1/topics";

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The topics, with their partitions, "
            + "replication, unhealthy partitions, records and bytes on disk.")
    static final class ListTopics extends ClientCommand {

        @Option(names = "--name", paramLabel = "TEXT", description = "Only topics whose name contains TEXT.")
        String name;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(TOPICS, Query.of().add("name", name));
            return print(answer, () -> {
                Table table = new Table("NAME", "PARTITIONS", "REPLICATION", "UNDER-REPLICATED", "OFFLINE",
                        "RECORDS", "SIZE");
                for (JsonNode topic : answer.path("topics")) {
                    table.row(topic.path("name").asString(), topic.path("partition_count").asInt(),
                            topic.path("replication_factor").asInt(),
                            topic.path("under_replicated_partitions").size(),
                            topic.path("offline_partitions").size(), Json.cell(topic.path("record_count")),
                            bytes(topic.path("size_bytes")));
                }
                table.print(out());
            });
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "A topic: its partitions (leader, replicas, in-sync replicas, offsets) and the configs it "
                    + "sets (all of them with --all-configs).")
    static final class DescribeTopic extends ClientCommand {

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--all-configs", description = "Also the configs left at their defaults.")
        boolean allConfigs;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(path(TOPICS, topic), Query.of());
            return print(answer, () -> {
                int count = answer.path("partition_count").asInt();
                out().printf("Topic %s (id %s): %d partition%s, replication factor %d%n%n",
                        answer.path("name").asString(), Json.cell(answer.path("topic_id")), count,
                        count == 1 ? "" : "s", answer.path("replication_factor").asInt());
                Table partitions = new Table("PARTITION", "LEADER", "REPLICAS", "ISR", "EPOCH", "LOG-START",
                        "HIGH-WATERMARK", "LOG-END");
                for (JsonNode p : answer.path("partitions")) {
                    partitions.row(p.path("partition").asInt(), Json.cell(p.path("leader")),
                            Json.cell(p.path("replicas")), Json.cell(p.path("isr")), p.path("leader_epoch").asInt(),
                            Json.cell(p.path("log_start_offset")), Json.cell(p.path("high_watermark")),
                            Json.cell(p.path("log_end_offset")));
                }
                partitions.print(out());
                out().println();
                printConfigs(answer.path("configs"), allConfigs, "--all-configs", out());
            });
        }
    }

    /** The body of {@code POST /v1/topics}. */
    record NewTopic(String name, int partitionCount, int replicationFactor, List<Config> configs,
                    Boolean validateOnly) {
    }

    /** A config as the API writes it; a null value (in an update) removes the override. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Config(String name, String value) {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.")
    static final class CreateTopic extends ClientCommand {

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = {"-p", "--partitions"}, paramLabel = "N", defaultValue = "1",
                description = "Number of partitions (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = {"-r", "--replication-factor"}, paramLabel = "N",
                description = "Copies of each partition (default: 3, or the number of live nodes when fewer).")
        Integer replicationFactor;

        @Option(names = {"-c", "--config"}, paramLabel = "NAME=VALUE",
                description = "A topic config (retention.ms=86400000, cleanup.policy=compact, ...); repeatable.")
        Map<String, String> configs = new LinkedHashMap<>();

        @Option(names = "--validate-only", description = "Check everything, create nothing.")
        boolean validateOnly;

        @Override
        int run(Gateway gateway) {
            List<Config> list = configs.entrySet().stream()
                    .map(e -> new Config(e.getKey(), e.getValue())).toList();
            int replicas = replicationFactor != null ? replicationFactor : defaultReplicationFactor(gateway);
            JsonNode answer = gateway.send("POST", TOPICS, Query.of(), new NewTopic(topic, partitions, replicas,
                    list.isEmpty() ? null : list, validateOnly ? Boolean.TRUE : null));
            int count = answer.path("partition_count").asInt();
            return print(answer, () -> out().printf("%s topic %s: %d partition%s, replication factor %d%n",
                    validateOnly ? "Valid:" : "Created", topic, count, count == 1 ? "" : "s",
                    answer.path("replication_factor").asInt()));
        }
    }

    /** Three copies, as Kafka's usual default, or as many as there are live nodes when fewer. */
    static int defaultReplicationFactor(Gateway gateway) {
        int alive = 0;
        for (JsonNode node : gateway.get("/v1/nodes", Query.of()).path("nodes")) {
            if ("ALIVE".equals(node.path("status").asString(""))) {
                alive++;
            }
        }
        return Math.max(1, Math.min(3, alive));
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete topics and their data.")
    static final class DeleteTopics extends ClientCommand {

        @Parameters(paramLabel = "TOPIC", arity = "1..*")
        List<String> topics;

        @Override
        int run(Gateway gateway) {
            for (String topic : topics) {
                gateway.send("DELETE", path(TOPICS, topic), Query.of(), null);
                if (output() == Output.table) {
                    out().println("Deleted topic " + topic);
                }
            }
            out().flush();
            return ExitCode.OK;
        }
    }

    /** The body of {@code PATCH /v1/topics/{t}/configs} and {@code /v1/share-groups/{g}/configs}. */
    record ConfigUpdate(List<Config> configs) {

        /** Sets {@code set} and removes (back to the default) {@code delete}. */
        static ConfigUpdate of(Map<String, String> set, List<String> delete) {
            List<Config> configs = new ArrayList<>();
            set.forEach((name, value) -> configs.add(new Config(name, value)));
            delete.forEach(name -> configs.add(new Config(name, null)));
            return new ConfigUpdate(configs);
        }

        /** The change in words: {@code name=value} for a set, {@code name (default)} for a removal. */
        String describe() {
            return String.join(", ", configs.stream()
                    .map(c -> c.value() == null ? c.name() + " (default)" : c.name() + "=" + c.value()).toList());
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true,
            description = "Set or remove a topic's config overrides, all at once (validated as a whole).")
    static final class AlterTopic extends ClientCommand {

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = {"-s", "--set"}, paramLabel = "NAME=VALUE", description = "Set an override; repeatable.")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = {"-d", "--delete"}, paramLabel = "NAME",
                description = "Remove an override (back to the default); repeatable.")
        List<String> delete = new ArrayList<>();

        @Override
        int run(Gateway gateway) {
            if (set.isEmpty() && delete.isEmpty()) {
                throw usage("Nothing to change: give --set NAME=VALUE or --delete NAME");
            }
            ConfigUpdate update = ConfigUpdate.of(set, delete);
            JsonNode answer = gateway.send("PATCH", path(TOPICS, topic, "configs"), Query.of(), update);
            return print(answer, () -> out().printf("Altered topic %s: %s%n", topic, update.describe()));
        }
    }

    /**
     * The configs of a {@code configs} array of API v1 (a topic's or a share group's) as a table: those set, or all of
     * them when {@code all}; {@code allOption} is the option that lists them all.
     */
    static void printConfigs(JsonNode configs, boolean all, String allOption, PrintWriter out) {
        Table table = new Table("CONFIG", "VALUE", "DEFAULT");
        for (JsonNode config : configs) {
            boolean isDefault = config.path("is_default").asBoolean(false);
            if (all || !isDefault) {
                table.row(config.path("name").asString(), Json.cell(config.path("value")), isDefault ? "yes" : "no");
            }
        }
        if (table.isEmpty()) {
            out.println("Every config at its default (" + allOption + " lists them).");
        } else {
            table.print(out);
        }
    }

    /** The body of {@code POST /v1/topics/{t}/partitions}. */
    record NewPartitionCount(int partitionCount) {
    }

    @Command(name = "add-partitions", mixinStandardHelpOptions = true,
            description = "Grow a topic to a number of partitions (keys may then map to other partitions).")
    static final class AddPartitions extends ClientCommand {

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = {"-t", "--total"}, paramLabel = "N", required = true,
                description = "The number of partitions the topic has afterwards.")
        int total;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.send("POST", path(TOPICS, topic, "partitions"), Query.of(),
                    new NewPartitionCount(total));
            return print(answer, () -> out().printf("Topic %s has %d partition%s%n", topic, total,
                    total == 1 ? "" : "s"));
        }
    }

    /** Bytes for people: 0 B, 1.5 KiB, 12.0 MiB. */
    static String bytes(JsonNode value) {
        if (!value.isNumber()) {
            return "-";
        }
        double bytes = value.asDouble();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? (long) bytes + " B" : String.format("%.1f %s", bytes, units[unit]);
    }

    private TopicCommand() {
    }
}
