package io.sluice.adminui.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * What the gateway's public API answers, as the console reads it: the documented JSON shapes (docs/api.md), named in
 * Java's case; the client maps them from the API's snake_case. Fields the console does not show are not declared,
 * and unknown fields are ignored, so the API can grow without breaking the console.
 */
public final class GatewayViews {

    private GatewayViews() {
    }

    /** {@code sizeBytes} (every replica) and {@code recordCount} are null when a node did not answer the gateway. */
    public record TopicSummary(String name, String topicId, int partitionCount, int replicationFactor,
                               List<Integer> underReplicatedPartitions, List<Integer> offlinePartitions,
                               Long sizeBytes, Long recordCount) {

        public boolean healthy() {
            return underReplicatedPartitions.isEmpty() && offlinePartitions.isEmpty();
        }

        public String size() {
            return Units.bytes(sizeBytes);
        }

        public String records() {
            return Units.count(recordCount);
        }
    }

    public record TopicList(List<TopicSummary> topics) {
    }

    /**
     * A topic as described; {@code authorizedOperations}: what the user may do with it, as the gateway says (null from a
     * gateway that does not say, when every action is offered and the gateway decides).
     */
    public record Topic(String name, String topicId, int partitionCount, int replicationFactor,
                        List<ConfigEntry> configs, List<Partition> partitions, List<String> authorizedOperations) {

        /** Whether the user may perform {@code operation} (Kafka's name, e.g. ALTER_CONFIGS) on the topic. */
        public boolean may(String operation) {
            return authorizedOperations == null || authorizedOperations.contains(operation);
        }

        /** The actions of the topic page the user may not take, in words; empty when all are allowed. */
        public List<String> withheld() {
            List<String> withheld = new java.util.ArrayList<>();
            if (!may("ALTER_CONFIGS")) {
                withheld.add("edit configs (ALTER_CONFIGS)");
            }
            if (!may("ALTER")) {
                withheld.add("add partitions (ALTER)");
            }
            if (!may("DELETE")) {
                withheld.add("delete the topic (DELETE)");
            }
            return withheld;
        }

        /** Records held, over the partitions whose leader answered: high watermark minus log start. */
        public long messages() {
            return partitions.stream()
                    .filter(p -> p.highWatermark() != null && p.logStartOffset() != null)
                    .mapToLong(p -> p.highWatermark() - p.logStartOffset())
                    .sum();
        }

        public List<ConfigEntry> overrides() {
            return configs.stream().filter(c -> !c.isDefault()).toList();
        }
    }

    /** One partition; {@code leader} is null while it has none, offsets are null when the leader did not answer. */
    public record Partition(int partition, Integer leader, List<Integer> replicas, List<Integer> isr, int leaderEpoch,
                            Long logStartOffset, Long highWatermark, Long logEndOffset) {

        public boolean inSync(int replica) {
            return isr.contains(replica);
        }

        public boolean underReplicated() {
            return isr.size() < replicas.size();
        }

        public boolean offline() {
            return leader == null;
        }
    }

    public record ConfigEntry(String name, String value, boolean isDefault, String documentation) {
    }

    public record ConfigList(List<ConfigEntry> configs) {
    }

    /**
     * {@code sizeBytes} and {@code throughput} are null when the node did not answer the gateway; {@code deadSince}
     * is null while the node is not dead.
     */
    public record Node(int nodeId, String url, String rack, String status, int leaderCount, int replicaCount,
                       Long sizeBytes, Throughput throughput, Boolean decommissioning, Instant deadSince,
                       Long moveThrottleBytesPerSecond) {

        /** What the status column adds to the status: being decommissioned, dead since when; empty for neither. */
        public String statusNote() {
            List<String> notes = new ArrayList<>();
            if (Boolean.TRUE.equals(decommissioning)) {
                notes.add("decommissioning");
            }
            if (deadSince != null) {
                notes.add("since " + deadSince);
            }
            return String.join(", ", notes);
        }

        public boolean alive() {
            return "alive".equalsIgnoreCase(status) || "ALIVE".equals(status);
        }

        public String size() {
            return Units.bytes(sizeBytes);
        }

        public boolean isDecommissioning() {
            return Boolean.TRUE.equals(decommissioning);
        }

        /** "4 replicas, 1 leader". */
        public String counts() {
            return replicaCount + (replicaCount == 1 ? " replica, " : " replicas, ") + leaderCount
                    + (leaderCount == 1 ? " leader" : " leaders");
        }

        /** The node's move throttle, or that it is the configured default. */
        public String moveThrottle() {
            return moveThrottleBytesPerSecond == null ? "default" : Units.bytesPerSecond(moveThrottleBytesPerSecond);
        }
    }

    /**
     * A partition being moved ({@code GET /v1/reassignments}): {@code replicas} are the target followed by those being
     * removed; {@code progress} has one entry per replica being added.
     */
    public record Reassignment(String topic, int partition, List<Integer> replicas, List<Integer> addingReplicas,
                               List<Integer> removingReplicas, Integer leader, List<CatchUp> progress) {

        /** {@code orders-0}, as Kafka's tools name a partition. */
        public String name() {
            return topic + "-" + partition;
        }

        /** The replicas the partition had, in their order: those staying and those being removed. */
        public List<Integer> from() {
            return replicas.stream().filter(r -> !addingReplicas.contains(r)).toList();
        }

        /** The replicas the partition will have, preferred leader first. */
        public List<Integer> to() {
            return replicas.stream().filter(r -> !removingReplicas.contains(r)).toList();
        }
    }

    /** How far a replica being added is behind its leader; null numbers are unknown (a node did not answer). */
    public record CatchUp(int nodeId, Long bytesCopied, Long bytesToGo, Long offsetsToGo, Double bytesPerSecond,
                          Long etaSeconds) {

        /** The share of the leader's log the replica holds, 0 to 100, or null when either size is unknown. */
        public Integer percent() {
            if (bytesCopied == null || bytesToGo == null) {
                return null;
            }
            long total = bytesCopied + bytesToGo;
            return total == 0 ? 100 : (int) Math.min(100, bytesCopied * 100 / total);
        }

        /** "12.0 MiB of 40.0 MiB". */
        public String copied() {
            return Units.bytes(bytesCopied) + " of "
                    + (bytesCopied == null || bytesToGo == null ? Units.UNKNOWN : Units.bytes(bytesCopied + bytesToGo));
        }

        public String rate() {
            return bytesPerSecond == null ? Units.UNKNOWN : Units.bytesPerSecond(bytesPerSecond);
        }

        /** "2 h 5 min", "3 min 20 s", "45 s", or a dash while no rate is known. */
        public String eta() {
            return Units.duration(etaSeconds);
        }
    }

    public record ReassignmentList(List<Reassignment> reassignments) {
    }

    /** A node being decommissioned and how far it is ({@code GET /v1/decommissions}). */
    public record Decommission(int nodeId, String status, int partitionsRemaining, int partitionsMovingOff,
                               boolean safeToRemove) {
    }

    public record DecommissionList(List<Decommission> decommissions) {
    }

    /** Last-minute rates: appended by leaders (in), read by consumers (out). */
    public record Throughput(double recordsInPerSec, double bytesInPerSec, double recordsOutPerSec,
                             double bytesOutPerSec) {

        public String recordsIn() {
            return Units.perSecond(recordsInPerSec);
        }

        public String recordsOut() {
            return Units.perSecond(recordsOutPerSec);
        }

        public String bytesIn() {
            return Units.bytesPerSecond(bytesInPerSec);
        }

        public String bytesOut() {
            return Units.bytesPerSecond(bytesOutPerSec);
        }
    }

    public record NodeList(List<Node> nodes) {
    }

    /** {@code sizeBytes} and {@code throughput} cover the {@code reportingNodeCount} nodes that answered. */
    public record Cluster(long metadataVersion, Coordinator coordinator, int nodeCount, int liveNodeCount,
                          int reportingNodeCount, int topicCount, int partitionCount,
                          List<PartitionRef> offlinePartitions, List<PartitionRef> underReplicatedPartitions,
                          Long sizeBytes, Throughput throughput) {

        public String size() {
            return Units.bytes(sizeBytes);
        }
    }

    /** The active coordinator as the metadata names it; {@code reachable}: it answered the gateway as active. */
    public record Coordinator(String instanceId, String url, Long fencingToken, boolean reachable) {
    }

    public record PartitionRef(String topic, int partition) {

        /** {@code orders-0}, as Kafka's tools name a partition. */
        @Override
        public String toString() {
            return topic + "-" + partition;
        }
    }

    /** A read record: key, value and header values rendered in the format their {@code *_format} names. */
    /** {@code keySchemaId}, {@code valueSchemaId}: the registered schema a half was decoded with; null when none. */
    public record ConsumedRecord(String topic, int partition, long offset, long timestamp, JsonNode key,
                                 String keyFormat, @JsonInclude(JsonInclude.Include.NON_NULL) Integer keySchemaId,
                                 JsonNode value, String valueFormat,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Integer valueSchemaId,
                                 List<Header> headers) {

        public ConsumedRecord {
            headers = headers == null ? List.of() : headers;
        }
    }

    public record Header(String key, JsonNode value, String valueFormat) {
    }

    /** A page of one partition ({@code nextOffset} set) or of a topic ({@code partitions} set). */
    public record RecordPage(List<ConsumedRecord> records, Long nextOffset, Long highWatermark, Long logStartOffset,
                             String cursor, List<PartitionPosition> partitions) {

        public RecordPage {
            records = records == null ? List.of() : records;
            partitions = partitions == null ? List.of() : partitions;
        }
    }

    public record PartitionPosition(int partition, long nextOffset, long highWatermark, long logStartOffset) {
    }

    /** A partition's offset for a timestamp: the first record at or after it, or the high watermark. */
    public record PartitionOffset(String topic, int partition, long offset, Long timestamp) {
    }

    /** One produce result: an offset, or an error with its code and detail. */
    public record ProduceResult(Integer partition, Long offset, Long timestamp, String errorCode, String detail) {

        public boolean written() {
            return errorCode == null;
        }
    }

    public record ProduceResults(List<ProduceResult> results) {
    }

    public record GroupSummary(String groupId, String state, int members, List<String> topics, long lag) {
    }

    public record GroupList(List<GroupSummary> groups) {
    }

    /**
     * A transactional id as the coordinator holds it ({@code GET /v1/transactional-ids}): {@code startedAt} is when
     * its open transaction began (null when none is), {@code updatedAt} its last use; both ISO-8601.
     */
    public record TransactionalId(String transactionalId, long producerId, int producerEpoch, int timeoutMs,
                                  String state, List<PartitionRef> partitions, List<String> groups, String startedAt,
                                  String updatedAt) {
    }

    public record TransactionalIdList(List<TransactionalId> transactionalIds) {
    }

    public record Group(String groupId, String state, int groupEpoch, int assignmentEpoch, List<Member> members,
                        List<GroupPartition> partitions, long lag) {

        /** The topics the group has committed offsets of, by name. */
        public List<String> topics() {
            return partitions.stream().map(GroupPartition::topic).distinct().sorted().toList();
        }
    }

    public record Member(String memberId, int memberEpoch, String state, List<String> subscribedTopics,
                         String subscribedTopicPattern, List<TopicPartitions> assignment) {

        public Member {
            subscribedTopics = subscribedTopics == null ? List.of() : subscribedTopics;
            assignment = assignment == null ? List.of() : assignment;
        }
    }

    public record TopicPartitions(String topic, List<Integer> partitions) {

        @Override
        public String toString() {
            return topic + " " + partitions;
        }
    }

    public record GroupPartition(String topic, int partition, Long committedOffset, Long commitTimestamp,
                                 Long highWatermark, Long lag, Double lagSeconds, String memberId) {
    }

    public record ResetPlan(String groupId, boolean dryRun, List<PlannedOffset> partitions) {
    }

    public record PlannedOffset(String topic, int partition, Long currentOffset, long newOffset, long lag) {

        public boolean moves() {
            return !Objects.equals(currentOffset, newOffset);
        }
    }

    public record ShareGroupSummary(String groupId, int partitions, long inFlightRecords, long acquiredRecords) {
    }

    public record ShareGroupList(List<ShareGroupSummary> shareGroups) {
    }

    /**
     * A share group ({@code GET /v1/share-groups/{group}}): its members (Kafka share consumers), the takers holding
     * records, each share-partition.
     */
    public record ShareGroup(String groupId, int groupEpoch, List<ShareMember> members, List<LockHolder> lockHolders,
                             List<SharePartition> partitions, long lag) {
    }

    public record ShareMember(String memberId, int memberEpoch, String clientId, String clientHost,
                              List<TopicAssignment> assignment) {

        /** The assigned partitions as {@code topic-partition}, comma-separated. */
        public String assigned() {
            return assignment.stream().flatMap(a -> a.partitions().stream().map(p -> a.topic() + "-" + p))
                    .collect(Collectors.joining(", "));
        }
    }

    public record TopicAssignment(String topic, List<Integer> partitions) {
    }

    public record LockHolder(String memberId, long acquiredRecords) {
    }

    /** {@code highWatermark} and {@code lag} are null where the leader did not answer. */
    public record SharePartition(String topic, int partition, long startOffset, long endOffset, Long highWatermark,
                                 Long lag, InFlight inFlight, int maxDeliveryCount) {
    }

    public record InFlight(int available, int acquired, int acknowledged, int archived) {
    }

    public record ShareResetPlan(String groupId, boolean dryRun, List<PlannedStart> partitions) {
    }

    public record PlannedStart(String topic, int partition, Long currentStartOffset, long newStartOffset, long lag) {

        public boolean moves() {
            return !Objects.equals(currentStartOffset, newStartOffset);
        }
    }

    /** The gateway's latest audit entries, newest first ({@code GET /v1/audit}). */
    public record AuditEntries(List<AuditEntry> entries) {
    }

    /** One admin action or authorization denial; {@code status} is null for a denial. */
    public record AuditEntry(String time, String kind, String principal, String operation, String resourceType,
                             String resourceName, String outcome, Integer status, String request) {

        public boolean failed() {
            return !"SUCCEEDED".equals(outcome);
        }
    }

    /*
     * The schema registry's answers: Confluent's JSON, whose names are camelCase where its API has them so.
     */

    /** A version of a subject; {@code schemaType} is null for Avro, as Confluent's API leaves it out. */
    public record SchemaVersion(String subject, int version, int id, @JsonProperty("schemaType") String schemaType,
                                String schema) {

        public String type() {
            return schemaType == null ? "AVRO" : schemaType;
        }
    }

    /** A schema by its id. */
    public record RegisteredSchema(String schema, @JsonProperty("schemaType") String schemaType) {

        public String type() {
            return schemaType == null ? "AVRO" : schemaType;
        }
    }

    public record SubjectVersion(String subject, int version) {
    }

    public record SchemaId(int id) {
    }

    public record CompatibilityLevel(@JsonProperty("compatibilityLevel") String level) {
    }

    public record RegistryMode(String mode) {
    }

    /** A check's answer: {@code messages} says why not, with {@code verbose=true}. */
    public record Compatibility(boolean isCompatible, List<String> messages) {

        public Compatibility {
            messages = messages == null ? List.of() : messages;
        }
    }

    /**
     * A history route's answer ({@code GET /v1/…/history}): the gateway's sample interval and window, and each series
     * with its points as columns ({@code times} in epoch ms). {@code topic}, {@code partition} and {@code nodeId} are
     * null where they do not apply.
     */
    public record History(long intervalMs, long windowMs, List<HistorySeries> series) {
    }

    public record HistorySeries(String metric, String unit, String topic, Integer partition, Integer nodeId,
                                long[] times, double[] values) {
    }

    /**
     * An ACL as the API names it (Kafka's names: {@code TOPIC}, {@code LITERAL}, {@code READ}, {@code ALLOW}); as a
     * filter, the fields that are null match anything.
     */
    public record Acl(String principal, String resourceType, String resourceName, String patternType,
                      String operation, String permission) {
    }

    public record AclList(List<Acl> acls) {
    }

    /**
     * The users file's users, the cluster's SCRAM users, every super user, and which sign-ins the gateway takes
     * ({@code GET /v1/users}).
     */
    public record Users(List<UserView> users, List<ScramUserView> scramUsers, List<String> superUsers,
                        boolean passwordSignIn, boolean tokenSignIn) {

        public Users {
            scramUsers = scramUsers == null ? List.of() : scramUsers;
        }
    }

    public record UserView(String principal, boolean superUser) {
    }

    /** A user with SCRAM credentials, stored by the cluster: its mechanisms and their iterations. */
    public record ScramUserView(String principal, boolean superUser, List<ScramCredentialView> credentials) {

        /** The user's name, without {@code User:}: what its credentials' URLs name. */
        public String name() {
            return principal.startsWith("User:") ? principal.substring("User:".length()) : principal;
        }
    }

    public record ScramCredentialView(String mechanism, int iterations) {
    }

    /** A password to make a SCRAM credential of ({@code PUT /v1/users/{name}/scram-credentials/{mechanism}}). */
    public record ScramPassword(String password, Integer iterations) {
    }

    /**
     * The client quotas ({@code GET /v1/quotas}): the configured ones (super users, {@code unlimited}, have none) and
     * those set at run time through Kafka or the API ({@code set}).
     */
    public record Quotas(Rates defaults, List<PrincipalQuota> overrides, List<String> unlimited, List<SetQuota> set) {

        public Quotas {
            set = set == null ? List.of() : set;
        }
    }

    /** A quota set at run time: its entity and its rates by Kafka's key ({@code producer_byte_rate} ...). */
    public record SetQuota(QuotaEntityView entity, Map<String, Double> rates) {

        /** The rates as {@code key=rate} pairs, in key order. */
        public String described() {
            return new TreeMap<>(rates).entrySet().stream()
                    .map(rate -> rate.getKey() + "=" + BigDecimal.valueOf(rate.getValue()).stripTrailingZeros()
                            .toPlainString())
                    .collect(Collectors.joining(", "));
        }
    }

    /** A user, a client id, or both; a part whose name is null is the default. */
    public record QuotaEntityView(QuotaEntityPart user, QuotaEntityPart clientId) {

        public String userName() {
            return user == null ? "" : user.shown();
        }

        public String clientIdName() {
            return clientId == null ? "" : clientId.shown();
        }

        /** {@code user bob, client id (default)}: the entity in words. */
        public String described() {
            return Stream.of(user == null ? null : "user " + user.shown(),
                            clientId == null ? null : "client id " + clientId.shown())
                    .filter(Objects::nonNull).collect(Collectors.joining(", "));
        }
    }

    /** One part of a quota's entity: a name, or (name null) the default. */
    public record QuotaEntityPart(String name) {

        String shown() {
            return name == null ? "(default)" : name;
        }
    }

    /** A change to one entity's quotas ({@code POST /v1/quotas/alterations}): rates set by key, keys removed. */
    public record QuotaAlteration(QuotaEntityView entity, Map<String, Double> set, List<String> remove) {
    }

    public record PrincipalQuota(String principal, Rates rates) {
    }

    /** A quota's rates; null is unlimited. */
    public record Rates(Long produceBytesPerSecond, Long fetchBytesPerSecond, Double requestsPerSecond) {

        public String produce() {
            return produceBytesPerSecond == null ? "unlimited" : Units.bytes(produceBytesPerSecond) + "/s";
        }

        public String fetch() {
            return fetchBytesPerSecond == null ? "unlimited" : Units.bytes(fetchBytesPerSecond) + "/s";
        }

        public String requests() {
            return requestsPerSecond == null ? "unlimited" : Units.perSecond(requestsPerSecond);
        }
    }
}
