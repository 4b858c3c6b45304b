package io.sluice.adminui.gateway;

import io.sluice.adminui.AdminUiProperties;
import io.sluice.adminui.gateway.GatewayRequests.ConfigUpdate;
import io.sluice.adminui.gateway.GatewayRequests.ConfigValue;
import io.sluice.adminui.gateway.GatewayRequests.NewPartitionCount;
import io.sluice.adminui.gateway.GatewayRequests.NewSchema;
import io.sluice.adminui.gateway.GatewayRequests.NewTopic;
import io.sluice.adminui.gateway.GatewayRequests.OffsetReset;
import io.sluice.adminui.gateway.GatewayRequests.ProduceRequest;
import io.sluice.adminui.gateway.GatewayRequests.Read;
import io.sluice.adminui.gateway.GatewayRequests.ShareReset;
import io.sluice.adminui.gateway.GatewayRequests.AuditFilter;
import io.sluice.adminui.gateway.GatewayViews.Acl;
import io.sluice.adminui.gateway.GatewayViews.AclList;
import io.sluice.adminui.gateway.GatewayViews.AuditEntries;
import io.sluice.adminui.gateway.GatewayViews.Cluster;
import io.sluice.adminui.gateway.GatewayViews.Compatibility;
import io.sluice.adminui.gateway.GatewayViews.CompatibilityLevel;
import io.sluice.adminui.gateway.GatewayViews.DecommissionList;
import io.sluice.adminui.gateway.GatewayViews.ConfigList;
import io.sluice.adminui.gateway.GatewayViews.Group;
import io.sluice.adminui.gateway.GatewayViews.GroupList;
import io.sluice.adminui.gateway.GatewayViews.History;
import io.sluice.adminui.gateway.GatewayViews.NodeList;
import io.sluice.adminui.gateway.GatewayViews.PartitionOffset;
import io.sluice.adminui.gateway.GatewayViews.ProduceResults;
import io.sluice.adminui.gateway.GatewayViews.QuotaAlteration;
import io.sluice.adminui.gateway.GatewayViews.Quotas;
import io.sluice.adminui.gateway.GatewayViews.ReassignmentList;
import io.sluice.adminui.gateway.GatewayViews.RecordPage;
import io.sluice.adminui.gateway.GatewayViews.RegisteredSchema;
import io.sluice.adminui.gateway.GatewayViews.RegistryMode;
import io.sluice.adminui.gateway.GatewayViews.ResetPlan;
import io.sluice.adminui.gateway.GatewayViews.SchemaId;
import io.sluice.adminui.gateway.GatewayViews.SchemaVersion;
import io.sluice.adminui.gateway.GatewayViews.ScramPassword;
import io.sluice.adminui.gateway.GatewayViews.ShareGroup;
import io.sluice.adminui.gateway.GatewayViews.ShareGroupList;
import io.sluice.adminui.gateway.GatewayViews.ShareResetPlan;
import io.sluice.adminui.gateway.GatewayViews.SubjectVersion;
import io.sluice.adminui.gateway.GatewayViews.Topic;
import io.sluice.adminui.gateway.GatewayViews.TopicList;
import io.sluice.adminui.gateway.GatewayViews.TransactionalIdList;
import io.sluice.adminui.gateway.GatewayViews.Users;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The one client of the gateway's public API (docs/api.md): a method per call the console makes, typed requests and
 * answers, every read masked by the gateway's masking rules. Every failure comes out as a {@link GatewayProblem}: the API's problem+json as answered, a timeout after
 * {@link AdminUiProperties#requestTimeout}, or the gateway not answering at all. Non-blocking; safe from any thread.
 */
@Component
public class GatewayClient {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() {
            };
    private static final ParameterizedTypeReference<List<SchemaVersion>> SCHEMA_VERSIONS =
            new ParameterizedTypeReference<>() {
            };
    private static final ParameterizedTypeReference<List<SubjectVersion>> SUBJECT_VERSIONS =
            new ParameterizedTypeReference<>() {
            };
    private static final ParameterizedTypeReference<List<Integer>> VERSIONS = new ParameterizedTypeReference<>() {
    };
    /**
     * Asks the gateway to mask every record the console reads by the operator's rules (docs/api.md#masking), so that
     * a masked value never reaches the browser.
     */
    private static final String MASK_HEADER = "Sluice-Mask";
    /** Where every gateway serves the schema registry, Confluent's API (docs/schemas.md). */
    private static final String REGISTRY = "/schema-registry";
    /** Confluent's code for "this subject has no compatibility level of its own". */
    private static final String NO_SUBJECT_LEVEL = "40408";

    private final WebClient web;
    private final AdminUiProperties properties;

    public GatewayClient(WebClient.Builder builder, AdminUiProperties properties) {
        this.properties = properties;
        this.web = builder.baseUrl(properties.gatewayUrl().toString())
                .defaultHeader(MASK_HEADER, "true")
                .filter(this::credentials)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
                .build();
    }

    public String gatewayUrl() {
        return properties.gatewayUrl().toString();
    }

    /**
     * Whether the gateway accepts {@code username} and {@code password}: a call made with them that the gateway
     * authenticates. Success even when the user may not describe the cluster (403): that is a matter for each page.
     * Fails with the problem otherwise (401 for wrong credentials, 429 when throttled).
     */
    public Mono<Void> checkCredentials(String username, String password) {
        return call(web.get().uri("/v1/cluster").headers(headers -> headers.setBasicAuth(username, password)),
                Void.class)
                .onErrorResume(GatewayProblem.class, problem -> problem.status() == 403 ? Mono.empty()
                        : Mono.error(problem));
    }

    public Mono<TopicList> topics(String nameFilter) {
        return get(uri -> {
            Map<String, Object> vars = new HashMap<>();
            maybeParam(uri.path("/v1/topics"), vars, "name", nameFilter);
            return uri.build(vars);
        }, TopicList.class);
    }

    public Mono<Topic> topic(String topic) {
        return get(uri -> uri.path("/v1/topics/{topic}").queryParam("include_authorized_operations", true)
                .build(topic), Topic.class);
    }

    /** Every topic config with the default a new topic gets without an override. */
    public Mono<ConfigList> topicConfigDefaults() {
        return get(uri -> uri.path("/v1/cluster/topic-configs").build(), ConfigList.class);
    }

    public Mono<Void> createTopic(NewTopic topic) {
        return call(web.post().uri("/v1/topics").bodyValue(topic), Void.class);
    }

    public Mono<Void> deleteTopic(String topic) {
        return call(web.delete().uri("/v1/topics/{topic}", topic), Void.class);
    }

    public Mono<Void> updateConfigs(String topic, List<ConfigValue> configs) {
        return call(web.patch().uri("/v1/topics/{topic}/configs", topic).bodyValue(new ConfigUpdate(configs)),
                Void.class);
    }

    public Mono<Void> growPartitions(String topic, int partitionCount) {
        return call(web.post().uri("/v1/topics/{topic}/partitions", topic)
                .bodyValue(new NewPartitionCount(partitionCount)), Void.class);
    }

    public Mono<RecordPage> read(Read read) {
        return get(uri -> {
            Map<String, Object> vars = recordsPath(uri, read.topic(), read.partition());
            uri.queryParam("max_records", read.maxRecords());
            maybeParam(uri, vars, "offset", read.offset());
            maybeParam(uri, vars, "timestamp", read.timestamp());
            maybeParam(uri, vars, "cursor", read.cursor());
            maybeParam(uri, vars, "last", read.last() == null ? null : read.last().toString());
            maybeParam(uri, vars, "key_format", read.keyFormat());
            maybeParam(uri, vars, "value_format", read.valueFormat());
            return uri.build(vars);
        }, RecordPage.class);
    }

    /** The offset of a partition's first record at or after {@code timestamp} (ms), or its high watermark. */
    public Mono<PartitionOffset> offsetAt(String topic, int partition, long timestamp) {
        return get(uri -> uri.path("/v1/topics/{topic}/partitions/{partition}/offsets")
                .queryParam("timestamp", timestamp).build(topic, partition), PartitionOffset.class);
    }

    public Mono<ProduceResults> produce(String topic, ProduceRequest request) {
        return call(web.post().uri("/v1/topics/{topic}/records", topic).bodyValue(request), ProduceResults.class);
    }

    /**
     * A live tail of a topic (or one partition) as the gateway streams it: events {@code record} (data: the record's
     * JSON, id: a cursor to resume from) and {@code error}. Starts at the end, or after {@code cursor}.
     */
    public Flux<ServerSentEvent<String>> tail(String topic, Integer partition, String cursor) {
        return web.get().uri(uri -> {
                    Map<String, Object> vars = recordsPath(uri, topic, partition);
                    maybeParam(uri, vars, "cursor", cursor);
                    return uri.build(vars);
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .onStatus(HttpStatusCode::isError, GatewayClient::problem)
                .bodyToFlux(SSE)
                .onErrorMap(WebClientRequestException.class, e -> GatewayProblem.unreachable(gatewayUrl(), e));
    }

    public Mono<Cluster> cluster() {
        return get(uri -> uri.path("/v1/cluster").build(), Cluster.class);
    }

    public Mono<NodeList> nodes() {
        return get(uri -> uri.path("/v1/nodes").build(), NodeList.class);
    }

    /** The partition moves under way, with each adding replica's progress. */
    public Mono<ReassignmentList> reassignments() {
        return get(uri -> uri.path("/v1/reassignments").build(), ReassignmentList.class);
    }

    /** Cancels a partition's move: it goes back to its replicas; 409 NO_REASSIGNMENT_IN_PROGRESS when not moving. */
    public Mono<Void> cancelReassignment(String topic, int partition) {
        return call(web.delete().uri("/v1/reassignments/{topic}/{partition}", topic, partition), Void.class);
    }

    /** The nodes being decommissioned, with their progress. */
    public Mono<DecommissionList> decommissions() {
        return get(uri -> uri.path("/v1/decommissions").build(), DecommissionList.class);
    }

    /** Starts decommissioning a node: its leaderships and then its replicas move to other nodes. */
    public Mono<Void> decommission(int node) {
        return call(web.post().uri("/v1/nodes/{node}/decommission", node), Void.class);
    }

    /** Lifts a node's decommissioning: it may take replicas again. */
    public Mono<Void> cancelDecommission(int node) {
        return call(web.delete().uri("/v1/nodes/{node}/decommission", node), Void.class);
    }

    public Mono<GroupList> groups() {
        return get(uri -> uri.path("/v1/groups").build(), GroupList.class);
    }

    public Mono<Group> group(String group) {
        return get(uri -> uri.path("/v1/groups/{group}").build(group), Group.class);
    }

    /** The transactional ids the user may describe, in one of {@code states} (all when empty). */
    public Mono<TransactionalIdList> transactionalIds(List<String> states) {
        return get(uri -> (states.isEmpty() ? uri.path("/v1/transactional-ids")
                : uri.path("/v1/transactional-ids").queryParam("state", String.join(",", states))).build(),
                TransactionalIdList.class);
    }

    /**
     * The gateway's latest {@code limit} audit entries that {@code filter} keeps (security on, ALTER on the cluster).
     */
    public Mono<AuditEntries> audit(int limit, AuditFilter filter) {
        return get(uri -> {
            Map<String, Object> vars = new HashMap<>();
            uri.path("/v1/audit").queryParam("limit", limit);
            maybeParam(uri, vars, "principal", filter.principal());
            maybeParam(uri, vars, "kind", filter.kind());
            maybeParam(uri, vars, "outcome", filter.outcome());
            maybeParam(uri, vars, "resource_type", filter.resourceType());
            maybeParam(uri, vars, "resource_name", filter.resourceName());
            return uri.build(vars);
        }, AuditEntries.class);
    }

    /** The ACLs {@code filter} matches (each of its fields that is set). */
    public Mono<AclList> acls(Acl filter) {
        return get(uri -> aclFilter(uri.path("/v1/acls"), filter), AclList.class);
    }

    /** Creates an ACL; creating one that exists changes nothing. */
    public Mono<Void> createAcl(Acl acl) {
        return call(web.post().uri("/v1/acls").bodyValue(acl), Void.class);
    }

    /** Deletes the one ACL {@code acl} is (every field given); answers what was deleted. */
    public Mono<AclList> deleteAcl(Acl acl) {
        return call(web.delete().uri(uri -> aclFilter(uri.path("/v1/acls"), acl)), AclList.class);
    }

    /** The users file's users, the SCRAM users and the super users (security on, ALTER on the cluster). */
    public Mono<Users> users() {
        return get(uri -> uri.path("/v1/users").build(), Users.class);
    }

    /** Makes (or replaces) {@code user}'s SCRAM credential of {@code mechanism} from a password. */
    public Mono<Void> putScramCredential(String user, String mechanism, ScramPassword password) {
        return call(web.put().uri("/v1/users/{name}/scram-credentials/{mechanism}", user, mechanism)
                .bodyValue(password), Void.class);
    }

    /** Deletes {@code user}'s SCRAM credential of {@code mechanism}; RESOURCE_NOT_FOUND if it has none. */
    public Mono<Void> deleteScramCredential(String user, String mechanism) {
        return call(web.delete().uri("/v1/users/{name}/scram-credentials/{mechanism}", user, mechanism), Void.class);
    }

    /** The configured quotas (security on, DESCRIBE_CONFIGS on the cluster). */
    public Mono<Quotas> quotas() {
        return get(uri -> uri.path("/v1/quotas").build(), Quotas.class);
    }

    /** Applies {@code alterations} to the quotas set at run time (ALTER_CONFIGS on the cluster); the quotas after. */
    public Mono<Quotas> alterQuotas(List<QuotaAlteration> alterations) {
        return call(web.post().uri("/v1/quotas/alterations").bodyValue(alterations), Quotas.class);
    }

    private static java.net.URI aclFilter(UriBuilder uri, Acl acl) {
        Map<String, Object> vars = new HashMap<>();
        maybeParam(uri, vars, "principal", acl.principal());
        maybeParam(uri, vars, "resource_type", acl.resourceType());
        maybeParam(uri, vars, "resource_name", acl.resourceName());
        maybeParam(uri, vars, "pattern_type", acl.patternType());
        maybeParam(uri, vars, "operation", acl.operation());
        maybeParam(uri, vars, "permission", acl.permission());
        return uri.build(vars);
    }

    /** Deletes the group and its committed offsets; 409 NON_EMPTY_GROUP while it has members. */
    public Mono<Void> deleteGroup(String group) {
        return call(web.delete().uri("/v1/groups/{group}", group), Void.class);
    }

    /** Deletes the group's committed offsets of {@code topic}; 409 while a member subscribes to it. */
    public Mono<Void> deleteGroupOffsets(String group, String topic) {
        return call(web.delete().uri("/v1/groups/{group}/topics/{topic}/offsets", group, topic), Void.class);
    }

    public Mono<ResetPlan> resetOffsets(String group, OffsetReset reset) {
        return call(web.post().uri("/v1/groups/{group}/offsets/reset", group).bodyValue(reset), ResetPlan.class);
    }

    public Mono<ShareGroupList> shareGroups() {
        return get(uri -> uri.path("/v1/share-groups").build(), ShareGroupList.class);
    }

    public Mono<ShareGroup> shareGroup(String group) {
        return get(uri -> uri.path("/v1/share-groups/{group}").build(group), ShareGroup.class);
    }

    /** Moves a share group's start offsets; 409 NON_EMPTY_GROUP while any of its records is acquired. */
    public Mono<ShareResetPlan> resetShareGroup(String group, ShareReset reset) {
        return call(web.post().uri("/v1/share-groups/{group}/reset", group).bodyValue(reset), ShareResetPlan.class);
    }

    /** Deletes a share group's state; 409 NON_EMPTY_GROUP while any of its records is acquired. */
    public Mono<Void> deleteShareGroup(String group) {
        return call(web.delete().uri("/v1/share-groups/{group}", group), Void.class);
    }

    /** The latest version of every subject whose name starts with {@code prefix} (every subject when blank). */
    public Mono<List<SchemaVersion>> latestSchemas(String prefix) {
        return call(web.get().uri(uri -> {
            Map<String, Object> vars = new HashMap<>();
            maybeParam(uri.path(REGISTRY + "/schemas").queryParam("latestOnly", true), vars, "subjectPrefix", prefix);
            return uri.build(vars);
        }), SCHEMA_VERSIONS);
    }

    /** A subject's version numbers (not soft-deleted), oldest first; 404 40401 for an unknown subject. */
    public Mono<List<Integer>> subjectVersions(String subject) {
        return call(web.get().uri(REGISTRY + "/subjects/{subject}/versions", subject), VERSIONS);
    }

    /** One version of a subject with its schema; {@code version} is a number or {@code latest}. */
    public Mono<SchemaVersion> schemaVersion(String subject, String version) {
        return get(uri -> uri.path(REGISTRY + "/subjects/{subject}/versions/{version}").build(subject, version),
                SchemaVersion.class);
    }

    /** The schema an id names; 404 40403 for an unknown id. */
    public Mono<RegisteredSchema> schema(int id) {
        return get(uri -> uri.path(REGISTRY + "/schemas/ids/{id}").build(id), RegisteredSchema.class);
    }

    /** The subjects and versions that hold the schema an id names. */
    public Mono<List<SubjectVersion>> schemaVersions(int id) {
        return call(web.get().uri(REGISTRY + "/schemas/ids/{id}/versions", id), SUBJECT_VERSIONS);
    }

    /** The registry's compatibility level, which every subject without one of its own takes. */
    public Mono<CompatibilityLevel> registryLevel() {
        return get(uri -> uri.path(REGISTRY + "/config").build(), CompatibilityLevel.class);
    }

    /** The subject's own compatibility level; empty when it has none and takes the registry's. */
    public Mono<CompatibilityLevel> subjectLevel(String subject) {
        return get(uri -> uri.path(REGISTRY + "/config/{subject}").build(subject), CompatibilityLevel.class)
                .onErrorResume(GatewayProblem.class, problem -> NO_SUBJECT_LEVEL.equals(problem.errorCode())
                        ? Mono.empty() : Mono.error(problem));
    }

    /** Sets the compatibility level of a subject, or of the registry when {@code subject} is null. */
    public Mono<Void> setLevel(String subject, String level) {
        WebClient.RequestBodySpec put = subject == null ? web.put().uri(REGISTRY + "/config")
                : web.put().uri(REGISTRY + "/config/{subject}", subject);
        return call(put.bodyValue(Map.of("compatibility", level)), Void.class);
    }

    /** Removes the subject's own level: it takes the registry's again. */
    public Mono<Void> removeLevel(String subject) {
        return call(web.delete().uri(REGISTRY + "/config/{subject}", subject), Void.class);
    }

    /** The registry's mode: READWRITE, READONLY or IMPORT. */
    public Mono<RegistryMode> registryMode() {
        return get(uri -> uri.path(REGISTRY + "/mode").build(), RegistryMode.class);
    }

    /** Whether {@code schema} may be registered under the subject at its level, with the reasons when not. */
    public Mono<Compatibility> checkCompatibility(String subject, NewSchema schema) {
        return call(web.post().uri(uri -> uri.path(REGISTRY + "/compatibility/subjects/{subject}/versions")
                .queryParam("verbose", true).build(subject)).bodyValue(schema), Compatibility.class);
    }

    /** Registers {@code schema} under the subject (a new version unless it already holds it); its id. */
    public Mono<SchemaId> register(String subject, NewSchema schema) {
        return call(web.post().uri(REGISTRY + "/subjects/{subject}/versions", subject).bodyValue(schema),
                SchemaId.class);
    }

    /** A topic's series over time: produce and consume rates per partition and in all, bytes on disk. */
    public Mono<History> topicHistory(String topic) {
        return get(uri -> uri.path("/v1/topics/{topic}/history").build(topic), History.class);
    }

    /** A consumer group's lag (records, seconds) and consume rate per partition over time. */
    public Mono<History> groupHistory(String group) {
        return get(uri -> uri.path("/v1/groups/{group}/history").build(group), History.class);
    }

    /** A share group's lag per partition over time. */
    public Mono<History> shareGroupHistory(String group) {
        return get(uri -> uri.path("/v1/share-groups/{group}/history").build(group), History.class);
    }

    /** Bytes on disk per node and the gateway's latency percentiles over time. */
    public Mono<History> clusterHistory() {
        return get(uri -> uri.path("/v1/cluster/history").build(), History.class);
    }

    private <T> Mono<T> get(Function<UriBuilder, java.net.URI> uri, Class<T> type) {
        return call(web.get().uri(uri), type);
    }

    private <T> Mono<T> call(WebClient.RequestHeadersSpec<?> request, Class<T> type) {
        return answer(retrieve(request).bodyToMono(type));
    }

    private <T> Mono<T> call(WebClient.RequestHeadersSpec<?> request, ParameterizedTypeReference<T> type) {
        return answer(retrieve(request).bodyToMono(type));
    }

    private static WebClient.ResponseSpec retrieve(WebClient.RequestHeadersSpec<?> request) {
        return request.accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .onStatus(HttpStatusCode::isError, GatewayClient::problem);
    }

    /** An answer bounded by the request timeout, with transport failures made problems. */
    private <T> Mono<T> answer(Mono<T> body) {
        return body
                .timeout(properties.requestTimeout())
                .onErrorMap(TimeoutException.class, e -> new GatewayProblem(0, "REQUEST_TIMED_OUT", "Timed out",
                        "The gateway did not answer within " + properties.requestTimeout().toMillis() + " ms"))
                .onErrorMap(WebClientRequestException.class, e -> GatewayProblem.unreachable(gatewayUrl(), e));
    }

    /**
     * The API's problem+json, or the schema registry's Confluent error ({@code error_code} a number, the text in
     * {@code message}), or for any other error body a problem naming the status.
     */
    private static Mono<GatewayProblem> problem(ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(JsonNode.class)
                .map(body -> new GatewayProblem(status, text(body, "error_code", "HTTP_" + status),
                        text(body, "title", "HTTP " + status), text(body, "detail",
                        text(body, "message", "The gateway answered " + status))))
                .onErrorResume(e -> Mono.empty())
                .defaultIfEmpty(new GatewayProblem(status, "HTTP_" + status, "HTTP " + status,
                        "The gateway answered " + status + " with no problem description"));
    }

    private static String text(JsonNode body, String field, String otherwise) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? otherwise : node.asString();
    }

    private static Map<String, Object> recordsPath(UriBuilder uri, String topic, Integer partition) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("topic", topic);
        if (partition == null) {
            uri.path("/v1/topics/{topic}/records");
        } else {
            uri.path("/v1/topics/{topic}/partitions/{partition}/records");
            vars.put("partition", partition);
        }
        return vars;
    }

    private static void maybeParam(UriBuilder uri, Map<String, Object> vars, String name, String value) {
        if (StringUtils.hasText(value)) {
            // A template variable, so that the value is encoded whole: '+' in a timestamp, '=' in a cursor.
            uri.queryParam(name, "{" + name + "}");
            vars.put(name, value);
        }
    }

    /**
     * Signs each call: as the user signed in to the console when there is one (the password kept by sign-in), else
     * with the configured token or user, else not at all. A header already set (a credentials check) is left alone.
     */
    private Mono<ClientResponse> credentials(ClientRequest request, ExchangeFunction next) {
        if (request.headers().containsHeader(HttpHeaders.AUTHORIZATION)) {
            return next.exchange(request);
        }
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(SecurityContext::getAuthentication)
                .filter(user -> user instanceof UsernamePasswordAuthenticationToken && user.getCredentials() != null)
                .map(user -> ClientRequest.from(request)
                        .headers(headers -> headers.setBasicAuth(user.getName(), user.getCredentials().toString()))
                        .build())
                .defaultIfEmpty(ClientRequest.from(request).headers(this::configuredCredentials).build())
                .flatMap(next::exchange);
    }

    private void configuredCredentials(HttpHeaders headers) {
        if (StringUtils.hasText(properties.bearerToken())) {
            headers.setBearerAuth(properties.bearerToken());
        } else if (StringUtils.hasText(properties.username())) {
            headers.setBasicAuth(properties.username(), properties.password() == null ? "" : properties.password());
        }
    }
}
