package io.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code sluice acl list|add|remove}: the ACLs the gateways enforce (Kafka's model; docs/security.md). */
@Command(name = "acl", mixinStandardHelpOptions = true,
        description = "List, add and remove ACLs (who may do what on which topics, groups, or the cluster).",
        subcommands = {AclCommand.ListAcls.class, AclCommand.AddAcl.class, AclCommand.RemoveAcls.class})
final class AclCommand {

    private static final String ACLS = "/v1/acls";

    private AclCommand() {
    }

    /** An ACL as the API writes it. */
    record AclBinding(String principal, String resourceType, String resourceName, String patternType,
                      String operation, String permission) {
    }

    /** The resource an ACL names: a topic, a group, the cluster or a transactional id; by name or prefix. */
    static final class Resource {

        @Option(names = "--topic", paramLabel = "NAME", description = "A topic (* for every topic).")
        String topic;

        @Option(names = "--group", paramLabel = "NAME", description = "A consumer group (* for every group).")
        String group;

        @Option(names = "--cluster", description = "The cluster (ACL administration, node listing, creating topics).")
        boolean cluster;

        @Option(names = "--transactional-id", paramLabel = "ID",
                description = "A transactional id (* for every one): WRITE to use it, DESCRIBE to see it.")
        String transactionalId;

        @Option(names = "--prefixed", description = "NAME is a prefix: every resource whose name starts with it.")
        boolean prefixed;

        String type() {
            return topic != null ? "TOPIC" : group != null ? "GROUP" : cluster ? "CLUSTER"
                    : transactionalId != null ? "TRANSACTIONAL_ID" : null;
        }

        String name() {
            return topic != null ? topic : group != null ? group : cluster ? "kafka-cluster" : transactionalId;
        }

        int count() {
            return (topic != null ? 1 : 0) + (group != null ? 1 : 0) + (cluster ? 1 : 0)
                    + (transactionalId != null ? 1 : 0);
        }
    }

    /** Filters of list and remove: every given one must match. */
    abstract static class Filtered extends ClientCommand {

        @Option(names = "--principal", paramLabel = "User:NAME", description = "User:alice, or User:* for everyone.")
        String principal;

        @Option(names = "--operation", paramLabel = "OP", description = "ALL, READ, WRITE, CREATE, DELETE, ALTER, "
                + "DESCRIBE, DESCRIBE_CONFIGS or ALTER_CONFIGS.")
        String operation;

        @Option(names = "--permission", paramLabel = "ALLOW|DENY")
        String permission;

        @picocli.CommandLine.Mixin
        Resource resource = new Resource();

        Query filter() {
            if (resource.count() > 1) {
                throw usage("Name one resource: --topic, --group, --cluster or --transactional-id");
            }
            return Query.of().add("principal", principal).add("resource_type", resource.type())
                    .add("resource_name", resource.name()).add("pattern_type", resource.prefixed ? "PREFIXED" : null)
                    .add("operation", upper(operation)).add("permission", upper(permission));
        }

        int printAcls(JsonNode answer, String heading, String empty) {
            return print(answer, () -> {
                if (answer.path("acls").isEmpty()) {
                    out().println(empty);
                    return;
                }
                if (heading != null) {
                    out().println(heading);
                }
                Table table = new Table("PRINCIPAL", "RESOURCE", "NAME", "PATTERN", "OPERATION", "PERMISSION");
                for (JsonNode acl : answer.path("acls")) {
                    table.row(acl.path("principal").asString(), acl.path("resource_type").asString(),
                            acl.path("resource_name").asString(), acl.path("pattern_type").asString(),
                            acl.path("operation").asString(), acl.path("permission").asString());
                }
                table.print(out());
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The ACLs matching every filter given.")
    static final class ListAcls extends Filtered {

        @Override
        int run(Gateway gateway) {
            return printAcls(gateway.get(ACLS, filter()), null, "No ACLs match");
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Allow (or --permission DENY) a principal an operation on a resource.")
    static final class AddAcl extends ClientCommand {

        @Option(names = "--principal", required = true, paramLabel = "User:NAME",
                description = "User:alice, or User:* for everyone.")
        String principal;

        @Option(names = "--operation", required = true, paramLabel = "OP", description = "ALL, READ, WRITE, CREATE, "
                + "DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS or ALTER_CONFIGS.")
        String operation;

        @Option(names = "--permission", paramLabel = "ALLOW|DENY", defaultValue = "ALLOW",
                description = "(default: ${DEFAULT-VALUE}; a DENY wins over every ALLOW)")
        String permission;

        @picocli.CommandLine.Mixin
        Resource resource = new Resource();

        @Override
        int run(Gateway gateway) {
            if (resource.count() != 1) {
                throw usage("Name one resource: --topic NAME, --group NAME, --cluster or --transactional-id ID");
            }
            AclBinding acl = new AclBinding(principal, resource.type(), resource.name(),
                    resource.prefixed ? "PREFIXED" : "LITERAL", upper(operation), upper(permission));
            JsonNode answer = gateway.send("POST", ACLS, Query.of(), acl);
            return print(answer, () -> out().printf("Added: %s %s %s on %s %s%s%n", answer.path("principal").asString(),
                    answer.path("permission").asString(), answer.path("operation").asString(),
                    answer.path("resource_type").asString(), answer.path("resource_name").asString(),
                    "PREFIXED".equals(answer.path("pattern_type").asString()) ? " (prefix)" : ""));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove every ACL matching all the filters given (at least one).")
    static final class RemoveAcls extends Filtered {

        @Override
        int run(Gateway gateway) {
            Query filter = filter();
            if (filter.toString().isEmpty()) {
                throw usage("Give at least one filter (--principal, --topic, --group, --cluster, --transactional-id, "
                        + "--operation, --permission): remove does not remove every ACL");
            }
            JsonNode answer = gateway.send("DELETE", ACLS, filter, null);
            return printAcls(answer, "Removed:", "No ACLs matched: nothing removed");
        }
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(java.util.Locale.ROOT);
    }
}
