package io.sluice.gateway.kafka;

import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import org.springframework.stereotype.Component;

/**
 * KIP-430's authorized operations, as Kafka's describe answers carry them when the request asks
 * ({@code include_*_authorized_operations}): the bit set of the operations that apply to the resource's type and that
 * the connection's principal may perform on it, bit {@code 1 << code} per Kafka's {@code AclOperation} code, computed
 * by the gateway's one {@link Authorizer} from the ACLs (no audit line: nothing is refused). With security off every
 * operation that applies, as a Kafka broker without an authorizer answers. Not asked: {@link #NOT_PROVIDED}.
 */
@Component
public class AuthorizedOperations {

    /** Kafka's "not provided" ({@code Integer.MIN_VALUE}), for a request that did not ask. */
    public static final int NOT_PROVIDED = Integer.MIN_VALUE;

    private final Authorizer authorizer;

    AuthorizedOperations(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** The principal's operations on {@code name} of {@code type} when {@code asked}, else {@link #NOT_PROVIDED}. */
    public int of(boolean asked, KafkaSession session, ResourceType type, String name) {
        if (!asked) {
            return NOT_PROVIDED;
        }
        int bits = 0;
        for (AclOperation operation : authorizer.authorizedOperations(session.principal(), type, name)) {
            bits |= 1 << org.apache.kafka.common.acl.AclOperation.valueOf(operation.name()).code();
        }
        return bits;
    }

    /** {@link #of} of the cluster. */
    public int ofCluster(boolean asked, KafkaSession session) {
        return of(asked, session, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }
}
