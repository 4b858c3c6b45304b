package io.sluice.security;

import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.AclPermission;
import io.sluice.internal.acl.AclSnapshot;
import io.sluice.internal.acl.ResourceType;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The one place a listener decides what a principal may do, Kafka's rules: a super user may do anything; otherwise an
 * operation on a resource is allowed when an ALLOW ACL of the principal (or {@code User:*}) covers the resource for
 * that operation (or one that implies it, see {@link AclOperation#allowedBy}) and no DENY ACL covers it for that
 * operation or ALL. No ACL means no access. With security off everything is allowed and nothing is checked. The
 * gateways' HTTP API and Kafka listener and the partition services' Kafka listeners all ask this class, each over its
 * own copy of the cluster's ACLs ({@link AclCache}); a denial is one audit line ({@link AuditLog}).
 */
public final class AclAuthorizer {

    private final boolean enabled;
    private final Set<String> superUsers;
    private final AclCache acls;
    private final AuditLog audit;

    public AclAuthorizer(boolean enabled, Collection<String> superUsers, AclCache acls, AuditLog audit) {
        this.enabled = enabled;
        this.superUsers = Set.copyOf(superUsers);
        this.acls = acls;
        this.audit = audit;
    }

    public boolean enabled() {
        return enabled;
    }

    public AuditLog audit() {
        return audit;
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

    /**
     * Whether {@code principal} may, for a caller that answers a denial itself (a Kafka listener answers
     * TOPIC_AUTHORIZATION_FAILED and the like): a denial is audited, with {@code request} saying what was asked.
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

    /**
     * The operations that apply to resources of {@code type} and that {@code principal} may perform on {@code name},
     * in Kafka's order (KIP-430's authorized operations); with security off, all of them.
     */
    public List<AclOperation> authorizedOperations(SluicePrincipal principal, ResourceType type, String name) {
        List<AclOperation> applicable = switch (type) {
            case TOPIC -> List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE,
                    AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS);
            case GROUP -> List.of(AclOperation.READ, AclOperation.DELETE, AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case CLUSTER -> List.of(AclOperation.CREATE, AclOperation.ALTER, AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case TRANSACTIONAL_ID -> List.of(AclOperation.WRITE, AclOperation.DESCRIBE);
        };
        if (!enabled) {
            return applicable;
        }
        return applicable.stream().filter(operation -> allowed(principal, operation, type, name)).toList();
    }
}
