package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice reassignment list|propose|start|cancel}: partition moves (KIP-455), how far they have come, and the
 * coordinator's proposal for moving topics onto nodes.
 */
@Command(name = "reassignment", mixinStandardHelpOptions = true,
        description = "Move partitions to other nodes, follow the moves, cancel them.",
        subcommands = {ReassignmentCommand.ListMoves.class, ReassignmentCommand.Propose.class,
                ReassignmentCommand.StartMoves.class, ReassignmentCommand.CancelMove.class})
final class ReassignmentCommand {

    private static final String REASSIGNMENTS = "/v1/reassignments";
    /** {@code TOPIC:PARTITION=NODE,NODE...}: a topic name never holds ':' or '='. */
    private static final Pattern MOVE = Pattern.compile("([^:=]+):(\\d+)=(\\d+(?:,\\d+)*)");

    private ReassignmentCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The partitions being moved, and for each replica being added the bytes and offsets it is "
                    + "behind its leader, its rate and an estimate of the time left (rates are measured by the "
                    + "gateway between listings at least 1 s apart: list again to see one).")
    static final class ListMoves extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(REASSIGNMENTS, Query.of());
            return print(answer, () -> {
                Table table = new Table("TOPIC", "PARTITION", "REPLICAS", "ADDING", "REMOVING", "LEADER", "NODE",
                        "BYTES-TO-GO", "OFFSETS-TO-GO", "RATE", "ETA");
                for (JsonNode move : answer.path("reassignments")) {
                    List<Object> partition = List.of(move.path("topic").asString(), move.path("partition").asInt(),
                            Json.cell(move.path("replicas")), Json.cell(move.path("adding_replicas")),
                            Json.cell(move.path("removing_replicas")), Json.cell(move.path("leader")));
                    if (move.path("progress").isEmpty()) {
                        table.row(row(partition, "-", "-", "-", "-", "-"));
                    }
                    for (JsonNode replica : move.path("progress")) {
                        table.row(row(partition, replica.path("node_id").asInt(),
                                TopicCommand.bytes(replica.path("bytes_to_go")),
                                Json.cell(replica.path("offsets_to_go")), rate(replica.path("bytes_per_second")),
                                eta(replica.path("eta_seconds"))));
                    }
                }
                table.print(out());
            });
        }

        private static Object[] row(List<Object> partition, Object... progress) {
            List<Object> cells = new ArrayList<>(partition);
            cells.addAll(List.of(progress));
            return cells.toArray();
        }

        private static String rate(JsonNode bytesPerSecond) {
            return bytesPerSecond.isNumber() ? TopicCommand.bytes(bytesPerSecond) + "/s" : "-";
        }

        private static String eta(JsonNode seconds) {
            if (!seconds.isNumber()) {
                return "-";
            }
            long s = seconds.asLong();
            return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
        }
    }

    @Command(name = "propose", mixinStandardHelpOptions = true,
            description = "Where the coordinator's move planner would put every replica of the topics on the nodes "
                    + "given (Kafka's --generate), balanced over racks, replicas, bytes and leaders. Nothing moves: "
                    + "the table is followed by the 'sluice reassignment start' command that starts the partitions "
                    + "that would move.")
    static final class Propose extends ClientCommand {

        @Option(names = "--nodes", split = ",", required = true, paramLabel = "NODE[,NODE...]",
                description = "The node ids the topics' replicas may use; every other node's replicas of them "
                        + "leave it.")
        List<Integer> nodes;

        @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "The topics whose partitions may move.")
        List<String> topics;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.send("POST", REASSIGNMENTS + "/proposal", Query.of(),
                    new ProposalRequest(topics, nodes));
            return print(answer, () -> {
                Table table = new Table("TOPIC", "PARTITION", "CURRENT", "PROPOSED");
                List<String> moves = new ArrayList<>();
                for (JsonNode partition : answer.path("partitions")) {
                    JsonNode current = partition.path("current_replicas");
                    JsonNode proposed = partition.path("proposed_replicas");
                    table.row(partition.path("topic").asString(), partition.path("partition").asInt(),
                            Json.cell(current), Json.cell(proposed));
                    if (!current.equals(proposed)) {
                        moves.add(partition.path("topic").asString() + ":" + partition.path("partition").asInt() + "="
                                + Json.cell(proposed));
                    }
                }
                table.print(out());
                out().println(moves.isEmpty() ? "Nothing would move."
                        : "To start it: sluice reassignment start " + String.join(" ", moves));
            });
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Moves partitions to the replicas given, the first the preferred leader (a move already "
                    + "under way is replaced). Each partition is accepted or refused on its own; a request that "
                    + "names something unknown changes nothing.")
    static final class StartMoves extends ClientCommand {

        @Parameters(paramLabel = "TOPIC:PARTITION=NODES", arity = "1..*",
                description = "A partition and its target replicas, e.g. orders:0=2,3,1.")
        List<String> moves;

        @Override
        int run(Gateway gateway) {
            List<PartitionMove> partitions = new ArrayList<>();
            for (String move : moves) {
                partitions.add(parse(move));
            }
            JsonNode answer = gateway.send("POST", REASSIGNMENTS, Query.of(), new MoveRequest(partitions));
            return report(answer);
        }

        private PartitionMove parse(String move) {
            Matcher parts = MOVE.matcher(move);
            if (!parts.matches()) {
                throw usage("'" + move + "' is not TOPIC:PARTITION=NODE,NODE... (e.g. orders:0=2,3,1)");
            }
            List<Integer> replicas = new ArrayList<>();
            for (String node : parts.group(3).split(",")) {
                replicas.add(Integer.parseInt(node));
            }
            return new PartitionMove(parts.group(1), Integer.parseInt(parts.group(2)), replicas);
        }

        /** Each partition's outcome; exit 1 when some were refused (a 207). */
        private int report(JsonNode answer) {
            int refused = 0;
            for (JsonNode outcome : answer.path("partitions")) {
                String where = outcome.path("topic").asString() + ":" + outcome.path("partition").asInt();
                if (outcome.has("error_code")) {
                    refused++;
                    err().println(where + ": " + outcome.path("error_code").asString() + ": "
                            + outcome.path("detail").asString(""));
                } else if (output() == Output.table) {
                    out().println("Moving " + where);
                }
            }
            if (output() == Output.json) {
                out().println(Json.pretty(answer));
            }
            out().flush();
            err().flush();
            return refused == 0 ? ExitCode.OK : ExitCode.REFUSED;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancels a partition's move: it goes back to the replicas it had before.")
    static final class CancelMove extends ClientCommand {

        @Parameters(index = "0", paramLabel = "TOPIC")
        String topic;

        @Parameters(index = "1", paramLabel = "PARTITION")
        int partition;

        @Override
        int run(Gateway gateway) {
            gateway.send("DELETE", ClientCommand.path(REASSIGNMENTS, topic, String.valueOf(partition)), Query.of(),
                    null);
            if (output() == Output.table) {
                out().println("Cancelled the move of " + topic + ":" + partition);
            }
            out().flush();
            return ExitCode.OK;
        }
    }

    /** The body of {@code POST /v1/reassignments/proposal}. */
    record ProposalRequest(List<String> topics, List<Integer> nodes) {
    }

    /** The body of {@code POST /v1/reassignments}. */
    record MoveRequest(List<PartitionMove> partitions) {
    }

    /** A node named twice is left for the gateway to refuse, so that the CLI and the API say the same. */
    record PartitionMove(String topic, int partition, List<Integer> replicas) {
    }
}
