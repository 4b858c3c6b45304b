package io.sluice.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice transaction list|describe}: the transactional ids the coordinator holds, Kafka producers' and HTTP
 * transactions' alike, over API v1 ({@code /v1/transactional-ids}), as {@code kafka-transactions list|describe} shows
 * them.
 */
@Command(name = "transaction", mixinStandardHelpOptions = true,
        description = "List and describe transactional ids and their transactions.",
        subcommands = {TransactionCommand.ListTransactions.class, TransactionCommand.DescribeTransaction.class})
final class TransactionCommand {

    private static final String TRANSACTIONAL_IDS = "/v1/transactional-ids";

    private TransactionCommand() {
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The transactional ids you may describe: producer id and epoch, state, timeout, when the "
                    + "open transaction began, its partitions.")
    static final class ListTransactions extends ClientCommand {

        @Option(names = "--state", split = ",", paramLabel = "STATE[,STATE...]",
                description = "Only these states: EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, "
                        + "COMPLETE_ABORT.")
        List<String> states;

        @Option(names = "--producer-id", split = ",", paramLabel = "ID[,ID...]",
                description = "Only those held by these producer ids.")
        List<Long> producerIds;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(TRANSACTIONAL_IDS, Query.of()
                    .add("state", states == null ? null : String.join(",", states).toUpperCase(Locale.ROOT))
                    .add("producer_id", producerIds == null ? null
                            : String.join(",", producerIds.stream().map(String::valueOf).toList())));
            return print(answer, () -> {
                Table table = new Table("TRANSACTIONAL-ID", "PRODUCER-ID", "EPOCH", "STATE", "TIMEOUT-MS", "STARTED",
                        "PARTITIONS");
                for (JsonNode txn : answer.path("transactional_ids")) {
                    table.row(txn.path("transactional_id").asString(), txn.path("producer_id").asLong(),
                            txn.path("producer_epoch").asInt(), txn.path("state").asString(),
                            txn.path("timeout_ms").asInt(), Json.cell(txn.path("started_at")),
                            partitions(txn.path("partitions")));
                }
                table.print(out());
            });
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "A transactional id: its producer, state, and the open transaction's partitions and groups.")
    static final class DescribeTransaction extends ClientCommand {

        @Parameters(paramLabel = "TRANSACTIONAL-ID")
        String transactionalId;

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(path(TRANSACTIONAL_IDS, transactionalId), Query.of());
            return print(answer, () -> {
                out().printf("Transactional id %s: %s, producer id %d, epoch %d, timeout %d ms%n",
                        answer.path("transactional_id").asString(), answer.path("state").asString(),
                        answer.path("producer_id").asLong(), answer.path("producer_epoch").asInt(),
                        answer.path("timeout_ms").asInt());
                out().printf("Started: %s, last used: %s%n", Json.cell(answer.path("started_at")),
                        Json.cell(answer.path("updated_at")));
                out().printf("Partitions: %s%n", partitions(answer.path("partitions")));
                out().printf("Groups: %s%n", answer.path("groups").isEmpty() ? "-" : Json.cell(answer.path("groups")));
            });
        }
    }

    /** {@code topic-0,topic-1}, or "-" for none. */
    private static String partitions(JsonNode partitions) {
        StringBuilder text = new StringBuilder();
        for (JsonNode tp : partitions) {
            text.append(text.isEmpty() ? "" : ",").append(tp.path("topic").asString()).append('-')
                    .append(tp.path("partition").asInt());
        }
        return text.isEmpty() ? "-" : text.toString();
    }
}
