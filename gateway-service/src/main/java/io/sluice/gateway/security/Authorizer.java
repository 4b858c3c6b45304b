package io.sluice.gateway.security;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.security.AclAuthorizer;
import io.sluice.security.SluicePrincipal;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's HTTP face of the cluster's one {@link AclAuthorizer} (Kafka's rules, super users, an audit line per
 * denial), which the Kafka listeners ask too: routes whose needs show in their path and query are checked by
 * {@link AuthorizationFilter} before the controller; controllers call this class for what only the body names (the
 * topics of a commit, a topic to create) and to filter listings. A denial is a 403 naming the operation and the
 * resource, and one audit line.
 */
public final class Authorizer {

    static final String AUDITED_RESOURCE = Authorizer.class.getName() + ".auditedResource";

    private final AclAuthorizer acls;

    Authorizer(AclAuthorizer acls) {
        this.acls = acls;
    }

    public boolean enabled() {
        return acls.enabled();
    }

    /** Whether {@code principal} may perform {@code operation} on {@code name} of {@code type}. */
    public boolean allowed(SluicePrincipal principal, AclOperation operation, ResourceType type, String name) {
        return acls.allowed(principal, operation, type, name);
    }

    /** Whether the exchange's principal may, without auditing a denial: for what a listing leaves out. */
    public boolean allowed(ServerWebExchange exchange, AclOperation operation, ResourceType type, String name) {
        return !acls.enabled() || allowed(Principals.of(exchange), operation, type, name);
    }

    /** Throws a 403 {@link AuthorizationException} (and audits it) unless the exchange's principal may. */
    public void authorize(ServerWebExchange exchange, AclOperation operation, ResourceType type, String name) {
        SluicePrincipal principal = Principals.of(exchange);
        if (!acls.check(principal, operation, type, name, request(exchange))) {
            throw new AuthorizationException(principal, operation, type, name);
        }
    }

    /** {@link AclAuthorizer#check}: for a caller that answers a denial itself. */
    public boolean check(SluicePrincipal principal, AclOperation operation, ResourceType type, String name,
                         String request) {
        return acls.check(principal, operation, type, name, request);
    }

    /** {@link AclAuthorizer#checkCreateTopic}. */
    public boolean checkCreateTopic(SluicePrincipal principal, String topic, String request) {
        return acls.checkCreateTopic(principal, topic, request);
    }

    /** {@link #authorize} for each topic. */
    public void authorizeTopics(ServerWebExchange exchange, AclOperation operation, Collection<String> topics) {
        topics.forEach(topic -> authorize(exchange, operation, ResourceType.TOPIC, topic));
    }

    /** Creating a topic needs CREATE on the cluster or on the topic, as in Kafka. */
    public void authorizeCreateTopic(ServerWebExchange exchange, String topic) {
        exchange.getAttributes().put(AUDITED_RESOURCE, topic);
        if (!allowed(Principals.of(exchange), AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
            authorize(exchange, AclOperation.CREATE, ResourceType.TOPIC, topic);
        }
    }

    /** {@link AclAuthorizer#authorizedOperations} of {@code principal}. */
    public List<AclOperation> authorizedOperations(SluicePrincipal principal, ResourceType type, String name) {
        return acls.authorizedOperations(principal, type, name);
    }

    /** {@link AclAuthorizer#authorizedOperations} of the exchange's principal. */
    public List<AclOperation> authorizedOperations(ServerWebExchange exchange, ResourceType type, String name) {
        return acls.authorizedOperations(Principals.of(exchange), type, name);
    }

    /** The items of a listing the principal may DESCRIBE: the others are left out, without a word. */
    public <T> List<T> describable(ServerWebExchange exchange, ResourceType type, List<T> items,
                                   Function<T, String> name) {
        if (!acls.enabled()) {
            return items;
        }
        SluicePrincipal principal = Principals.of(exchange);
        return items.stream().filter(item -> allowed(principal, AclOperation.DESCRIBE, type, name.apply(item))).toList();
    }

    static String request(ServerWebExchange exchange) {
        return exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value();
    }
}
