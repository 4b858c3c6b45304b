package io.sluice.cli;

import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code sluice group list|describe|reset|delete}: consumer group administration over API v1. */
@Command(name = "group", mixinStandardHelpOptions = true,
        description = "List, describe, reset and delete consumer groups.",
        subcommands = {GroupCommand.ListGroups.class, GroupCommand.DescribeGroup.class, GroupCommand.ResetGroup.class,
                GroupCommand.DeleteGroup.class})
final class GroupCommand {

    private static final String GROUPS = "/v1/groups";

    private GroupCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The consumer groups: state, members, topics and total lag.")
    static final class ListGroups extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(GROUPS, Query.of());
            return print(answer, () -> {
                Table table = new Table("GROUP", "STATE", "MEMBERS", "TOPICS", "LAG");
                for (JsonNode group : answer.path("groups")) {
                    table.row(group.path("group_id").asString(), group.path("state").asString(),
                            group.path("members").asInt(), Json.cell(group.path("topics")),
                            Json.cell(group.path("lag")));
                }
                table.print(out());
            });
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "A group: its members and, per partition, the committed offset, high watermark and lag.")
    static final class DescribeGroup extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(path(GROUPS, group), Query.of());
            return print(answer, () -> {
                out().printf("Group %s: %s, epoch %s, %d member%s, lag %s%n%n", answer.path("group_id").asString(),
                        answer.path("state").asString(), Json.cell(answer.path("group_epoch")),
                        answer.path("members").size(), answer.path("members").size() == 1 ? "" : "s",
                        Json.cell(answer.path("lag")));
                Table partitions = new Table("TOPIC", "PARTITION", "COMMITTED", "HIGH-WATERMARK", "LAG",
                        "LAG-SECONDS", "MEMBER");
                for (JsonNode p : answer.path("partitions")) {
                    partitions.row(p.path("topic").asString(), p.path("partition").asInt(),
                            Json.cell(p.path("committed_offset")), Json.cell(p.path("high_watermark")),
                            Json.cell(p.path("lag")), Json.cell(p.path("lag_seconds")), Json.cell(p.path("member_id")));
                }
                partitions.print(out());
                if (!answer.path("members").isEmpty()) {
                    out().println();
                    Table members = new Table("MEMBER", "INSTANCE", "EPOCH", "STATE", "ASSIGNMENT");
                    for (JsonNode m : answer.path("members")) {
                        members.row(m.path("member_id").asString(), Json.cell(m.path("group_instance_id")),
                                Json.cell(m.path("member_epoch")), Json.cell(m.path("state")),
                                assignment(m.path("assignment")));
                    }
                    members.print(out());
                }
            });
        }

        private static String assignment(JsonNode assignment) {
            StringBuilder text = new StringBuilder();
            for (JsonNode topic : assignment) {
                text.append(text.isEmpty() ? "" : " ").append(topic.path("topic").asString()).append(':')
                        .append(Json.cell(topic.path("partitions")));
            }
            return text.isEmpty() ? "-" : text.toString();
        }
    }

    /** The body of {@code POST /v1/groups/{g}/offsets/reset}. */
    record ResetRequest(String topic, List<Integer> partitions, String to, String timestamp, Long offset, Long shiftBy,
                        Boolean dryRun, Boolean force) {
    }

    /** Where to move the offsets: exactly one. */
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

        @Option(names = "--shift-by", required = true, paramLabel = "N",
                description = "N records on (negative: back), within the log's bounds.")
        Long shift;

        String to() {
            if (earliest) {
                return "earliest";
            }
            if (latest) {
                return "latest";
            }
            if (offset != null) {
                return "offset";
            }
            return time != null ? "timestamp" : "shift";
        }
    }

    @Command(name = "reset", mixinStandardHelpOptions = true,
            description = {"Move a group's committed offsets in one topic (all partitions, or those given), "
                    + "backwards too. Refused while the group has members, unless --force.",
                    "--dry-run shows the plan and changes nothing."})
    static final class ResetGroup extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--topic", required = true, paramLabel = "TOPIC")
        String topic;

        @Option(names = "--partitions", split = ",", paramLabel = "P[,P...]",
                description = "Only these partitions.")
        List<Integer> partitions;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--dry-run", description = "Answer the plan (current, new offset and lag); change nothing.")
        boolean dryRun;

        @Option(names = "--force", description = "Reset under live members: they read on from the new offsets.")
        boolean force;

        @Override
        int run(Gateway gateway) {
            ResetRequest request = new ResetRequest(topic, partitions, target.to(), target.time, target.offset,
                    target.shift, dryRun ? Boolean.TRUE : null, force ? Boolean.TRUE : null);
            JsonNode answer = gateway.send("POST", path(GROUPS, group, "offsets", "reset"), Query.of(), request);
            return print(answer, () -> {
                Table table = new Table("TOPIC", "PARTITION", "CURRENT", "NEW", "LAG");
                for (JsonNode p : answer.path("partitions")) {
                    table.row(p.path("topic").asString(), p.path("partition").asInt(),
                            Json.cell(p.path("current_offset")), Json.cell(p.path("new_offset")),
                            Json.cell(p.path("lag")));
                }
                table.print(out());
                out().println(answer.path("dry_run").asBoolean(false)
                        ? "Dry run: nothing changed (without --dry-run, group " + group + " moves to NEW)"
                        : "Group " + group + " reset");
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a group and its offsets, or (--topic) only its offsets of one topic. Refused while "
                    + "it has members.")
    static final class DeleteGroup extends ClientCommand {

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--topic", paramLabel = "TOPIC", description = "Only the offsets of this topic.")
        String topic;

        @Override
        int run(Gateway gateway) {
            if (topic == null) {
                gateway.send("DELETE", path(GROUPS, group), Query.of(), null);
            } else {
                gateway.send("DELETE", path(GROUPS, group, "topics", topic, "offsets"), Query.of(), null);
            }
            if (output() == Output.table) {
                out().println(topic == null ? "Deleted group " + group
                        : "Deleted the offsets of group " + group + " in topic " + topic);
                out().flush();
            }
            return ExitCode.OK;
        }
    }
}
