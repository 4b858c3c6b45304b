package io.sluice.partition.kafka;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.kafka.KafkaRequest;
import io.sluice.security.AclAuthorizer;
import io.sluice.security.SluicePrincipal;

/**
 * What one connection's principal may do, asked of the node's {@link AclAuthorizer} — the rules, super users and
 * audit lines of the gateways — for a caller that answers a denial with Kafka's error code. With security off the
 * principal is {@link SluicePrincipal#ANONYMOUS} and everything is allowed.
 */
record Access(AclAuthorizer acls, SluicePrincipal principal) {

    /** Whether the principal may perform {@code operation} on {@code topic}; a denial is an audit line. */
    boolean topic(KafkaRequest request, AclOperation operation, String topic) {
        return acls.check(principal, operation, ResourceType.TOPIC, topic, "Kafka " + request);
    }

    /** Whether the principal may perform {@code operation} on the cluster; a denial is an audit line. */
    boolean cluster(KafkaRequest request, AclOperation operation) {
        return acls.check(principal, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, "Kafka " + request);
    }

    /** Whether the principal may perform {@code operation} on {@code transactionalId}; a denial is an audit line. */
    boolean transactionalId(KafkaRequest request, AclOperation operation, String transactionalId) {
        return acls.check(principal, operation, ResourceType.TRANSACTIONAL_ID, transactionalId, "Kafka " + request);
    }
}
