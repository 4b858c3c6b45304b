package io.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code sluice quota list|set|remove}: client quotas, the configured ones and those set at run time for users,
 * client ids and their defaults, as Kafka's {@code kafka-configs --entity-type users|clients} sets them
 * (docs/security.md#quotas).
 */
@Command(name = "quota", mixinStandardHelpOptions = true,
        description = "List, set and remove client quotas (bytes produced and fetched, requests, per second).",
        subcommands = {QuotaCommand.ListQuotas.class, QuotaCommand.SetQuota.class, QuotaCommand.RemoveQuota.class})
final class QuotaCommand {

    private static final String QUOTAS = "/v1/quotas";
    private static final String ALTERATIONS = "/v1/quotas/alterations";
    private static final List<String> KEYS = List.of("producer_byte_rate", "consumer_byte_rate", "request_rate");

    private QuotaCommand() {
    }

    /** One part of an entity: a name, or the default. */
    static final class User {

        @Option(names = "--for-user", paramLabel = "NAME", description = "A user (the principal's name, alice).")
        String name;

        @Option(names = "--for-default-user", description = "Every user without a quota of its own.")
        boolean isDefault;
    }

    static final class ClientId {

        @Option(names = "--for-client-id", paramLabel = "ID", description = "A Kafka client id.")
        String name;

        @Option(names = "--for-default-client-id", description = "Every client id without a quota of its own.")
        boolean isDefault;
    }

    /** Whom a quota is for: a user, a client id, or both. */
    abstract static class OnEntity extends ClientCommand {

        @ArgGroup(exclusive = true)
        User user;

        @ArgGroup(exclusive = true)
        ClientId clientId;

        Map<String, Object> entity() {
            if (user == null && clientId == null) {
                throw usage("Name the entity: --for-user NAME or --for-default-user, --for-client-id ID or "
                        + "--for-default-client-id, or one of each");
            }
            Map<String, Object> entity = new LinkedHashMap<>();
            if (user != null) {
                entity.put("user", part(user.isDefault ? null : user.name));
            }
            if (clientId != null) {
                entity.put("client_id", part(clientId.isDefault ? null : clientId.name));
            }
            return entity;
        }

        int alter(Gateway gateway, Map<String, Double> set, List<String> remove) {
            Map<String, Object> alteration = new LinkedHashMap<>();
            alteration.put("entity", entity());
            alteration.put("set", set);
            alteration.put("remove", remove);
            JsonNode answer = gateway.send("POST", ALTERATIONS, Query.of(), List.of(alteration));
            return print(answer, () -> printSet(this, answer));
        }

        private static Map<String, String> part(String name) {
            Map<String, String> part = new LinkedHashMap<>();
            part.put("name", name);
            return part;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The quotas set at run time and the configured ones.")
    static final class ListQuotas extends ClientCommand {

        @Override
        int run(Gateway gateway) {
            JsonNode answer = gateway.get(QUOTAS, Query.of());
            return print(answer, () -> {
                printSet(this, answer);
                out().println();
                Table configured = new Table("CONFIGURED FOR", "PRODUCE B/S", "FETCH B/S", "REQUESTS/S");
                JsonNode defaults = answer.path("defaults");
                configured.row("(defaults)", rate(defaults, "produce_bytes_per_second"),
                        rate(defaults, "fetch_bytes_per_second"), rate(defaults, "requests_per_second"));
                for (JsonNode override : answer.path("overrides")) {
                    JsonNode rates = override.path("rates");
                    configured.row(override.path("principal").asString(), rate(rates, "produce_bytes_per_second"),
                            rate(rates, "fetch_bytes_per_second"), rate(rates, "requests_per_second"));
                }
                for (JsonNode unlimited : answer.path("unlimited")) {
                    configured.row(unlimited.asString() + " (super user)", "-", "-", "-");
                }
                configured.print(out());
            });
        }

        private static String rate(JsonNode rates, String field) {
            JsonNode rate = rates.path(field);
            return rate.isMissingNode() || rate.isNull() ? "-" : rate.asString();
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set rates for an entity; the rates not given are kept.")
    static final class SetQuota extends OnEntity {

        @Option(names = "--producer-byte-rate", paramLabel = "BYTES", description = "Bytes produced per second.")
        Double producerByteRate;

        @Option(names = "--consumer-byte-rate", paramLabel = "BYTES", description = "Bytes fetched per second.")
        Double consumerByteRate;

        @Option(names = "--request-rate", paramLabel = "N", description = "Requests per second.")
        Double requestRate;

        @Override
        int run(Gateway gateway) {
            Map<String, Double> set = new LinkedHashMap<>();
            put(set, "producer_byte_rate", producerByteRate);
            put(set, "consumer_byte_rate", consumerByteRate);
            put(set, "request_rate", requestRate);
            if (set.isEmpty()) {
                throw usage("Give a rate: --producer-byte-rate, --consumer-byte-rate or --request-rate");
            }
            return alter(gateway, set, List.of());
        }

        private static void put(Map<String, Double> set, String key, Double rate) {
            if (rate != null) {
                set.put(key, rate);
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an entity's rates (those named with --key, or all of them).")
    static final class RemoveQuota extends OnEntity {

        @Option(names = "--key", paramLabel = "KEY", description = "producer_byte_rate, consumer_byte_rate or "
                + "request_rate; repeat for more.")
        List<String> keys = new ArrayList<>();

        @Override
        int run(Gateway gateway) {
            return alter(gateway, Map.of(), keys.isEmpty() ? KEYS : keys);
        }
    }

    /** The quotas set at run time, one row per entity and key. */
    private static void printSet(ClientCommand command, JsonNode answer) {
        if (answer.path("set").isEmpty()) {
            command.out().println("No quotas set at run time");
            return;
        }
        Table table = new Table("USER", "CLIENT ID", "KEY", "RATE");
        for (JsonNode entry : answer.path("set")) {
            JsonNode entity = entry.path("entity");
            for (var rate : entry.path("rates").properties()) {
                table.row(part(entity.path("user")), part(entity.path("client_id")), rate.getKey(),
                        rate.getValue().asString());
            }
        }
        table.print(command.out());
    }

    private static String part(JsonNode part) {
        if (part.isMissingNode() || part.isNull()) {
            return "";
        }
        JsonNode name = part.path("name");
        return name.isMissingNode() || name.isNull() ? "<default>" : name.asString();
    }
}
