package io.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice share-group list|describe|configs|alter|reset|delete}: share group (queue) administration over API v1.
 */
@Command(name = "share-group", mixinStandardHelpOptions = true,
        description = "List, describe, configure, reset and delete share groups (queues).",
        subcommands = {ShareGroupCommand.ListShareGroups.class, ShareGroupCommand.DescribeShareGroup.class,
                ShareGroupCommand.ShareGroupConfigs.class, ShareGroupCommand.AlterShareGroup.class,
                ShareGroupCommand.ResetShareGroup.class, ShareGroupCommand.DeleteShareGroup.class})
final class ShareGroupCommand {

    private static final String SHARE_GROUPS = "/v1/share-groups";

    private ShareGroupCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The share groups: share-partitions, records in flight and records acquired now.")
    static final class ListShareGroups extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(SHARE_GROUPS, Query.of());
            return print(answer, () -> {
                Table table = new Table("GROUP", "PARTITIONS", "IN-FLIGHT", "ACQUIRED");
                for (JsonNode group : answer.path("share_groups")) {
                    table.row(group.path("group_id").asString(), group.path("partitions").asInt(),
                            Json.cell(group.path("in_flight_records")), Json.cell(group.path("acquired_records")));
                }
                table.print(out());
            });
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "A share group: per share-partition the start offset, high watermark, lag, records in "
                    + "flight by state and the highest delivery count; the members holding records.")
    static final class DescribeShareGroup extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(path(SHARE_GROUPS, group), Query.of());
            return print(answer, () -> {
                int members = answer.path("members").size();
                out().printf("Share group %s: %d member%s, %d taker%s holding records, lag %s%n%n",
                        answer.path("group_id").asString(), members, members == 1 ? "" : "s",
                        answer.path("lock_holders").size(), answer.path("lock_holders").size() == 1 ? "" : "s",
                        Json.cell(answer.path("lag")));
                Table partitions = new Table("TOPIC", "PARTITION", "START", "HIGH-WATERMARK", "LAG", "AVAILABLE",
                        "ACQUIRED", "ACKNOWLEDGED", "ARCHIVED", "MAX-DELIVERIES");
                for (JsonNode p : answer.path("partitions")) {
                    JsonNode inFlight = p.path("in_flight");
                    partitions.row(p.path("topic").asString(), p.path("partition").asInt(),
                            Json.cell(p.path("start_offset")), Json.cell(p.path("high_watermark")),
                            Json.cell(p.path("lag")), Json.cell(inFlight.path("available")),
                            Json.cell(inFlight.path("acquired")), Json.cell(inFlight.path("acknowledged")),
                            Json.cell(inFlight.path("archived")), Json.cell(p.path("max_delivery_count")));
                }
                partitions.print(out());
                if (members > 0) {
                    out().println();
                    Table table = new Table("MEMBER", "EPOCH", "CLIENT", "HOST", "ASSIGNED");
                    for (JsonNode m : answer.path("members")) {
                        StringBuilder assigned = new StringBuilder();
                        for (JsonNode a : m.path("assignment")) {
                            for (JsonNode partition : a.path("partitions")) {
                                assigned.append(assigned.isEmpty() ? "" : ",").append(a.path("topic").asString())
                                        .append('-').append(partition.asInt());
                            }
                        }
                        table.row(m.path("member_id").asString(), m.path("member_epoch").asInt(),
                                Json.cell(m.path("client_id")), Json.cell(m.path("client_host")),
                                assigned.isEmpty() ? "-" : assigned.toString());
                    }
                    table.print(out());
                }
                if (!answer.path("lock_holders").isEmpty()) {
                    out().println();
                    Table holders = new Table("TAKER", "ACQUIRED");
                    for (JsonNode h : answer.path("lock_holders")) {
                        holders.row(h.path("member_id").asString(), Json.cell(h.path("acquired_records")));
                    }
                    holders.print(out());
                }
            });
        }
    }

    /** The body of {@code POST /v1/share-groups/{g}/reset}. */
    record ResetRequest(String topic, List<Integer> partitions, String to, String timestamp, Long offset,
                        Boolean dryRun) {
    }

    /** Where to move the start offsets: exactly one. */
    static final class Target {

        @Option(names = "--to-earliest", required = true, description = "The log start.")
        boolean earliest;

        @Option(names = "--to-latest", required = true, description = "The high watermark (skip everything).")
        boolean latest;

        @Option(names = "--to-offset", required = true, paramLabel = "OFFSET", description = "This offset.")
        Long offset;

        @Option(names = "--to-time", required = true, paramLabel = "TIME",
                description = "The first record at or after TIME (ms since the epoch or ISO-8601).")
        String time;

        String to() {
            if (earliest) {
                return "earliest";
            }
            if (latest) {
                return "latest";
            }
            return offset != null ? "offset" : "timestamp";
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Move a share group's start offsets in one topic (all partitions, or those given); the "
                    + "records from there are delivered afresh. Refused while the group has members or any of its "
                    + "records is acquired.",
                    "--dry-run shows the plan and changes nothing."})
    static final class ResetShareGroup extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--topic", required = true, paramLabel = "TOPIC")
        String topic;

        @Option(names = "--partitions", split = ",", paramLabel = "P[,P...]",
                description = "Only these partitions.")
        List<Integer> partitions;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--dry-run", description = "Answer the plan (current, new start offset and lag); change "
                + "nothing.")
        boolean dryRun;

        @Override
        int run(Gateway gateway) {
            ResetRequest request = new ResetRequest(topic, partitions, target.to(), target.time, target.offset,
                    dryRun ? Boolean.TRUE : null);
            JsonNode answer = gateway.send("POST", path(SHARE_GROUPS, group, "reset"), Query.of(), request);
            return print(answer, () -> {
                Table table = new Table("TOPIC", "PARTITION", "CURRENT", "NEW", "LAG");
                for (JsonNode p : answer.path("partitions")) {
                    table.row(p.path("topic").asString(), p.path("partition").asInt(),
                            Json.cell(p.path("current_start_offset")), Json.cell(p.path("new_start_offset")),
                            Json.cell(p.path("lag")));
                }
                table.print(out());
                out().println(answer.path("dry_run").asBoolean(false)
                        ? "Dry run: nothing changed (without --dry-run, share group " + group + " moves to NEW)"
                        : "Share group " + group + " reset");
            });
        }
    }

    @Command(name = "configs", mixinStandardHelpOptions = true,
            description = "A share group's configs (share.*, errors.deadletterqueue.*): those it sets, or all of them "
                    + "with --all. Any group id has them, before its first take too.")
    static final class ShareGroupConfigs extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--all", description = "Also the configs left at their defaults.")
        boolean all;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(path(SHARE_GROUPS, group, "configs"), Query.of());
            return print(answer, () -> TopicCommand.printConfigs(answer.path("configs"), all, "--all", out()));
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true,
            description = "Set or remove a share group's configs, all at once (validated as a whole). A change holds "
                    + "from then on: locks already taken keep their deadlines.")
    static final class AlterShareGroup extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = {"-s", "--set"}, paramLabel = "NAME=VALUE", description = "Set a config; repeatable.")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(names = {"-d", "--delete"}, paramLabel = "NAME",
                description = "Remove a config (back to the default); repeatable.")
        List<String> delete = new ArrayList<>();

        @Override
        int run(Gateway gateway) {
            if (set.isEmpty() && delete.isEmpty()) {
                throw usage("Nothing to change: give --set NAME=VALUE or --delete NAME");
            }
            TopicCommand.ConfigUpdate update = TopicCommand.ConfigUpdate.of(set, delete);
            JsonNode answer = gateway.send("PATCH", path(SHARE_GROUPS, group, "configs"), Query.of(), update);
            return print(answer, () -> out().printf("Altered share group %s: %s%n", group, update.describe()));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a share group's state. Refused while the group has members or any of its records "
                    + "is acquired.")
    static final class DeleteShareGroup extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        int run(Gateway gateway) {
            gateway.send("DELETE", path(SHARE_GROUPS, group), Query.of(), null);
            if (output() == Output.table) {
                out().println("Deleted share group " + group);
                out().flush();
            }
            return ExitCode.OK;
        }
    }
}
