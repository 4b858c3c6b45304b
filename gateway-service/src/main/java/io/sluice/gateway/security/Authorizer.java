package io.sluice.gateway.security;

import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.AclPermission;
import io.sluice.internal.acl.AclSnapshot;
import io.sluice.internal.acl.ResourceType;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one place the gateway decides what a principal may do, Kafka's rules: a super user may do anything; otherwise
 * an operation on a resource is allowed when an ALLOW ACL of the principal (or {@code User:*}) covers the resource
 * for that operation (or one that implies it, see {@link AclOperation#allowedBy}) and no DENY ACL covers it for that
 * operation or ALL. No ACL means no access. With security off everything is allowed and nothing is checked.
 *
 * <p>Routes whose needs show in their path and query are checked by {@link AuthorizationFilter} before the
 * controller; controllers call this class for what only the body names (the topics of a commit, a topic to create)
 * and to filter listings. A denial is a 403 naming the operation and the resource, and one audit line.
 */
public final class Authorizer {

    static final String AUDITED_RESOURCE = Authorizer.class.getName() + ".auditedResource";

    private final boolean enabled;
    private final Set<String> superUsers;
    private final AclCache acls;
    private final AuditLog audit;

    Authorizer(boolean enabled, Collection<String> superUsers, AclCache acls, AuditLog audit) {
        this.enabled = enabled;
        this.superUsers = Set.copyOf(superUsers);
        this.acls = acls;
        this.audit = audit;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether {@code principal} may perform {@code operation} on {@code name} of {@code type}. */
    public boolean allowed(SluicePrincipal principal, AclOperation operation, ResourceType type, String name) {
        if (!enabled || superUsers.contains(principal.toString())) {
            return true;
        }
        AclSnapshot snapshot = acls.current();
        if (snapshot == null) {
            return false;
        }
        String who = principal.toString();
        boolean allowed = false;
        for (AclBinding acl : snapshot.acls()) {
            if (!acl.appliesTo(who) || !acl.covers(type, name)) {
                continue;
            }
            if (acl.permission() == AclPermission.DENY && operation.deniedBy().contains(acl.operation())) {
                return false;
            }
            if (acl.permission() == AclPermission.ALLOW && operation.allowedBy().contains(acl.operation())) {
                allowed = true;
            }
        }
        return allowed;
    }

    /** Throws a 403 {@link AuthorizationException} (and audits it) unless the exchange's principal may. */
    public void authorize(ServerWebExchange exchange, AclOperation operation, ResourceType type, String name) {
        SluicePrincipal principal = SluicePrincipal.of(exchange);
        if (!allowed(principal, operation, type, name)) {
            audit.denied(principal, operation, type, name, request(exchange));
            throw new AuthorizationException(principal, operation, type, name);
        }
    }

    /**
     * Whether {@code principal} may, for a caller that answers a denial itself (the Kafka listener answers
     * TOPIC_AUTHORIZATION_FAILED and the like): a denial is audited as over HTTP, with {@code request} saying what was
     * asked.
     */
    public boolean check(SluicePrincipal principal, AclOperation operation, ResourceType type, String name,
                         String request) {
        if (allowed(principal, operation, type, name)) {
            return true;
        }
        audit.denied(principal, operation, type, name, request);
        return false;
    }

    /** {@link #check} of creating a topic: CREATE on the cluster or on the topic, as in Kafka. */
    public boolean checkCreateTopic(SluicePrincipal principal, String topic, String request) {
        return allowed(principal, AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)
                || check(principal, AclOperation.CREATE, ResourceType.TOPIC, topic, request);
    }

    /** {@link #authorize} for each topic. */
    public void authorizeTopics(ServerWebExchange exchange, AclOperation operation, Collection<String> topics) {
        topics.forEach(topic -> authorize(exchange, operation, ResourceType.TOPIC, topic));
    }

    /** Creating a topic needs CREATE on the cluster or on the topic, as in Kafka. */
    public void authorizeCreateTopic(ServerWebExchange exchange, String topic) {
        exchange.getAttributes().put(AUDITED_RESOURCE, topic);
        if (!allowed(SluicePrincipal.of(exchange), AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
            authorize(exchange, AclOperation.CREATE, ResourceType.TOPIC, topic);
        }
    }

    /**
     * The operations that apply to resources of {@code type} and that the exchange's principal may perform on
     * {@code name}, in Kafka's order (KIP-430's authorized operations); with security off, all of them.
     */
    public List<AclOperation> authorizedOperations(ServerWebExchange exchange, ResourceType type, String name) {
        List<AclOperation> applicable = switch (type) {
            case TOPIC -> List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE,
                    AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS);
            case GROUP -> List.of(AclOperation.READ, AclOperation.DELETE, AclOperation.DESCRIBE);
            case CLUSTER -> List.of(AclOperation.CREATE, AclOperation.ALTER, AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case TRANSACTIONAL_ID -> List.of(AclOperation.WRITE, AclOperation.DESCRIBE);
        };
        if (!enabled) {
            return applicable;
        }
        SluicePrincipal principal = SluicePrincipal.of(exchange);
        return applicable.stream().filter(operation -> allowed(principal, operation, type, name)).toList();
    }

    /** The items of a listing the principal may DESCRIBE: the others are left out, without a word. */
    public <T> List<T> describable(ServerWebExchange exchange, ResourceType type, List<T> items,
                                   Function<T, String> name) {
        if (!enabled) {
            return items;
        }
        SluicePrincipal principal = SluicePrincipal.of(exchange);
        return items.stream().filter(item -> allowed(principal, AclOperation.DESCRIBE, type, name.apply(item))).toList();
    }

    static String request(ServerWebExchange exchange) {
        return exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
    }
}
