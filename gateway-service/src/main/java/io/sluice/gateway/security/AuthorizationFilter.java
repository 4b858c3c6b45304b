package io.sluice.gateway.security;

import static io.sluice.internal.acl.AclOperation.ALTER;
import static io.sluice.internal.acl.AclOperation.ALTER_CONFIGS;
import static io.sluice.internal.acl.AclOperation.CREATE;
import static io.sluice.internal.acl.AclOperation.DELETE;
import static io.sluice.internal.acl.AclOperation.DESCRIBE;
import static io.sluice.internal.acl.AclOperation.DESCRIBE_CONFIGS;
import static io.sluice.internal.acl.AclOperation.READ;
import static io.sluice.internal.acl.AclOperation.WRITE;
import static io.sluice.internal.acl.ResourceType.CLUSTER;
import static io.sluice.internal.acl.ResourceType.GROUP;
import static io.sluice.internal.acl.ResourceType.TOPIC;
import static io.sluice.internal.acl.ResourceType.TRANSACTIONAL_ID;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.protocol.SluiceException;
import io.sluice.security.AuditLog;
import io.sluice.web.Problems;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * What each public route needs, in one table, checked by {@link Authorizer} after authentication and before the
 * controller: produce needs WRITE on the topic; reads, offsets by time and SSE streams READ (each connection and each
 * reconnection is a request, so each is checked); group routes READ on the group, and the SSE member READ on its
 * topics too (a {@code topic_pattern} READ on every topic: a literal {@code *} ACL), share-group takes,
 * acknowledgements and streams READ on the group (and READ on the topics their bodies or the stream's {@code topic}
 * name, checked by the controllers), share-group admin as consumer-group admin (DESCRIBE, DELETE, and READ to reset);
 * admin routes their operation
 * (deleting a partition's records DELETE on the topic, as Kafka's DeleteRecords; moving partitions, decommissioning
 * nodes and setting their move throttles ALTER on the cluster, listing them and proposing moves DESCRIBE on it, as
 * Kafka's reassignment APIs).
 * What only a body names (the topics of a join or a commit, a topic to create) the controller checks; listings are
 * filtered by the controller. Routes marked admin leave an audit line with their outcome.
 */
final class AuthorizationFilter implements WebFilter, Ordered {

    /** Right after authentication. */
    static final int ORDER = AuthenticationFilter.ORDER + 10;

    /** One thing a route needs: {@code operation} on the resource named by a path variable or a constant. */
    private record Need(AclOperation operation, ResourceType type, String variable) {

        List<String> names(Map<String, String> variables, MultiValueMap<String, String> query) {
            if (type == CLUSTER) {
                return List.of(ResourceType.CLUSTER_NAME);
            }
            if (variable.equals("?topics")) {
                List<String> names = new ArrayList<>();
                List<String> topics = query.get("topics");
                if (topics != null) {
                    topics.forEach(t -> Arrays.stream(t.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                            .forEach(names::add));
                }
                if (query.containsKey("topic_pattern")) {
                    names.add("*");
                }
                return names;
            }
            String name = variables.get(variable);
            return name == null ? List.of() : List.of(name);
        }
    }

    private record Route(HttpMethod method, PathPattern pattern, boolean admin, List<Need> needs) {
    }

    private static final PathPatternParser PARSER = new PathPatternParser();
    private static final List<Route> ROUTES = List.of(
            route("POST", "/v1/topics/{topic}/records", false, need(WRITE, TOPIC, "topic")),
            route("GET", "/v1/topics/{topic}/records", false, need(READ, TOPIC, "topic")),
            route("GET", "/v1/topics/{topic}/partitions/{partition}/records", false, need(READ, TOPIC, "topic")),
            route("DELETE", "/v1/topics/{topic}/partitions/{partition}/records", true, need(DELETE, TOPIC, "topic")),
            route("GET", "/v1/topics/{topic}/partitions/{partition}/offsets", false, need(DESCRIBE, TOPIC, "topic")),
            route("POST", "/v1/topics", true),
            route("GET", "/v1/topics/{topic}", false, need(DESCRIBE, TOPIC, "topic")),
            route("DELETE", "/v1/topics/{topic}", true, need(DELETE, TOPIC, "topic")),
            route("GET", "/v1/topics/{topic}/configs", false, need(DESCRIBE_CONFIGS, TOPIC, "topic")),
            route("PATCH", "/v1/topics/{topic}/configs", true, need(ALTER_CONFIGS, TOPIC, "topic")),
            route("GET", "/v1/topics/{topic}/partitions", false, need(DESCRIBE, TOPIC, "topic")),
            route("GET", "/v1/topics/{topic}/history", false, need(DESCRIBE, TOPIC, "topic")),
            route("GET", "/v1/topics/{topic}/partitions/{partition}", false, need(DESCRIBE, TOPIC, "topic")),
            route("POST", "/v1/topics/{topic}/partitions", true, need(ALTER, TOPIC, "topic")),
            route("GET", "/v1/nodes", false, need(DESCRIBE, CLUSTER, null)),
            route("GET", "/v1/cluster", false, need(DESCRIBE, CLUSTER, null)),
            route("GET", "/v1/cluster/history", false, need(DESCRIBE, CLUSTER, null)),
            route("GET", "/v1/cluster/topic-configs", false, need(DESCRIBE_CONFIGS, CLUSTER, null)),
            route("GET", "/v1/cluster/configs", false, need(DESCRIBE_CONFIGS, CLUSTER, null)),
            route("PATCH", "/v1/cluster/configs", true, need(ALTER_CONFIGS, CLUSTER, null)),
            route("GET", "/v1/reassignments", false, need(DESCRIBE, CLUSTER, null)),
            route("POST", "/v1/reassignments", true, need(ALTER, CLUSTER, null)),
            route("POST", "/v1/reassignments/proposal", false, need(DESCRIBE, CLUSTER, null)),
            route("DELETE", "/v1/reassignments/{topic}/{partition}", true, need(ALTER, CLUSTER, null)),
            route("GET", "/v1/decommissions", false, need(DESCRIBE, CLUSTER, null)),
            route("POST", "/v1/nodes/{node}/decommission", true, need(ALTER, CLUSTER, null)),
            route("DELETE", "/v1/nodes/{node}/decommission", true, need(ALTER, CLUSTER, null)),
            route("PUT", "/v1/nodes/{node}/move-throttle", true, need(ALTER, CLUSTER, null)),
            route("DELETE", "/v1/nodes/{node}/move-throttle", true, need(ALTER, CLUSTER, null)),
            route("GET", "/v1/groups/{group}/records", false, need(READ, GROUP, "group"), need(READ, TOPIC, "?topics")),
            route("POST", "/v1/groups/{group}/members", false, need(READ, GROUP, "group")),
            route("POST", "/v1/groups/{group}/members/{member}/poll", false, need(READ, GROUP, "group")),
            route("DELETE", "/v1/groups/{group}/members/{member}", false, need(READ, GROUP, "group")),
            route("POST", "/v1/groups/{group}/offsets", false, need(READ, GROUP, "group")),
            route("GET", "/v1/groups/{group}", false, need(DESCRIBE, GROUP, "group")),
            route("GET", "/v1/groups/{group}/history", false, need(DESCRIBE, GROUP, "group")),
            route("DELETE", "/v1/groups/{group}", true, need(DELETE, GROUP, "group")),
            route("DELETE", "/v1/groups/{group}/topics/{topic}/offsets", true, need(DELETE, GROUP, "group"),
                    need(READ, TOPIC, "topic")),
            route("POST", "/v1/groups/{group}/offsets/reset", true, need(READ, GROUP, "group")),
            route("POST", "/v1/share-groups/{group}/acquisitions", false, need(READ, GROUP, "group")),
            route("POST", "/v1/share-groups/{group}/acknowledgements", false, need(READ, GROUP, "group")),
            route("GET", "/v1/share-groups/{group}", false, need(DESCRIBE, GROUP, "group")),
            route("GET", "/v1/share-groups/{group}/history", false, need(DESCRIBE, GROUP, "group")),
            route("DELETE", "/v1/share-groups/{group}", true, need(DELETE, GROUP, "group")),
            route("POST", "/v1/share-groups/{group}/reset", true, need(READ, GROUP, "group")),
            route("GET", "/v1/share-groups/{group}/records", false, need(READ, GROUP, "group")),
            route("GET", "/v1/share-groups/{group}/configs", false, need(DESCRIBE_CONFIGS, GROUP, "group")),
            route("PATCH", "/v1/share-groups/{group}/configs", true, need(ALTER_CONFIGS, GROUP, "group")),
            route("GET", "/v1/groups/{group}/configs", false, need(DESCRIBE_CONFIGS, GROUP, "group")),
            route("PATCH", "/v1/groups/{group}/configs", true, need(ALTER_CONFIGS, GROUP, "group")),
            route("GET", "/v1/transactional-ids/{transactional_id}", false,
                    need(DESCRIBE, TRANSACTIONAL_ID, "transactional_id")),
            route("GET", "/v1/acls", false, need(DESCRIBE, CLUSTER, null)),
            route("GET", "/v1/audit", false, need(ALTER, CLUSTER, null)),
            route("GET", "/v1/users", false, need(ALTER, CLUSTER, null)),
            route("PUT", "/v1/users/{name}/scram-credentials/{mechanism}", true, need(ALTER, CLUSTER, null)),
            route("DELETE", "/v1/users/{name}/scram-credentials/{mechanism}", true, need(ALTER, CLUSTER, null)),
            route("GET", "/v1/quotas", false, need(DESCRIBE_CONFIGS, CLUSTER, null)),
            route("POST", "/v1/quotas/alterations", true, need(ALTER_CONFIGS, CLUSTER, null)),
            route("POST", "/v1/acls", true, need(ALTER, CLUSTER, null)),
            route("DELETE", "/v1/acls", true, need(ALTER, CLUSTER, null)));

    /**
     * Public routes that need no ACL here: the listings (the controller shows only what the principal may describe),
     * the atomic produce and HTTP transactions (their topics and groups are in the bodies: the handlers ask for WRITE on
     * each topic and READ on the group before they write; a transaction is named by its token, and the handlers ask
     * for WRITE, or DESCRIBE, on its transactional id), a stream
     * token for the caller, and the API's documentation (which {@link AuthenticationFilter} leaves open). With
     * {@link #ROUTES}, every public route is in one of the two ({@code RouteTableTest}), so a new route cannot be served
     * to every signed-in principal by oversight.
     */
    private static final List<Route> AUTHENTICATED_ONLY = List.of(
            route("GET", "/v1/topics", false),
            route("GET", "/v1/groups", false),
            route("GET", "/v1/share-groups", false),
            route("GET", "/v1/transactional-ids", false),
            route("POST", "/v1/records", false),
            route("POST", "/v1/transactions", false),
            route("GET", "/v1/transactions/{transaction}", false),
            route("POST", "/v1/transactions/{transaction}/records", false),
            route("POST", "/v1/transactions/{transaction}/offsets", false),
            route("POST", "/v1/transactions/{transaction}/commit", false),
            route("POST", "/v1/transactions/{transaction}/abort", false),
            route("POST", "/v1/stream-tokens", false),
            route("GET", "/v1/docs", false),
            route("GET", "/v1/openapi.{format}", false));

    private final Authorizer authorizer;
    private final AuditLog audit;
    private final ProblemResponses problems;

    AuthorizationFilter(Authorizer authorizer, AuditLog audit, ProblemResponses problems) {
        this.authorizer = authorizer;
        this.audit = audit;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        PathContainer path = request.getPath().pathWithinApplication();
        for (Route route : ROUTES) {
            if (!route.method().equals(request.getMethod())) {
                continue;
            }
            PathPattern.PathMatchInfo match = route.pattern().matchAndExtract(path);
            if (match != null) {
                return check(route, match.getUriVariables(), exchange, chain);
            }
        }
        return chain.filter(exchange);
    }

    private Mono<Void> check(Route route, Map<String, String> variables, ServerWebExchange exchange,
                             WebFilterChain chain) {
        try {
            for (Need need : route.needs()) {
                for (String name : need.names(variables, exchange.getRequest().getQueryParams())) {
                    authorizer.authorize(exchange, need.operation(), need.type(), name);
                }
            }
        } catch (SluiceException denied) {
            return problems.write(exchange, denied.errorCode(), denied.getMessage(), Problems.headers(403),
                    denied.details());
        }
        if (!route.admin()) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange).doFinally(signal -> {
            Need first = route.needs().isEmpty() ? new Need(CREATE, TOPIC, null) : route.needs().getFirst();
            String name = exchange.getAttribute(Authorizer.AUDITED_RESOURCE) instanceof String audited ? audited
                    : String.join(",", first.names(variables, exchange.getRequest().getQueryParams()));
            int status = exchange.getResponse().getStatusCode() == null ? 200
                    : exchange.getResponse().getStatusCode().value();
            audit.adminAction(Principals.of(exchange), first.operation(), first.type(), name,
                    Authorizer.request(exchange), status);
        });
    }

    /** Whether the table decides {@code method} on {@code path}: a route of {@link #ROUTES} or of {@link #AUTHENTICATED_ONLY}. */
    static boolean decides(HttpMethod method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        return Stream.concat(ROUTES.stream(), AUTHENTICATED_ONLY.stream())
                .anyMatch(route -> route.method().equals(method) && route.pattern().matches(container));
    }

    private static Route route(String method, String pattern, boolean admin, Need... needs) {
        return new Route(HttpMethod.valueOf(method), PARSER.parse(pattern), admin, List.of(needs));
    }

    private static Need need(AclOperation operation, ResourceType type, String variable) {
        return new Need(operation, type, variable);
    }
}
