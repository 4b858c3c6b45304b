package io.sluice.gateway.kafka;

import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.kafka.KafkaRequest;
import org.springframework.stereotype.Component;

/**
 * What a Kafka connection's principal may do with a transactional id, asked of the gateway's one {@link Authorizer},
 * as HTTP transaction calls are and as Kafka decides: WRITE to initialize a producer with it, add partitions or offsets
 * to its transaction, produce transactional batches and end it; DESCRIBE to find its coordinator and describe or list
 * it. A denied id is answered TRANSACTIONAL_ID_AUTHORIZATION_FAILED. With security off everything is allowed.
 */
@Component
public class TransactionAccess {

    private final Authorizer authorizer;

    TransactionAccess(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    public boolean allowed(KafkaSession session, KafkaRequest request, AclOperation operation, String transactionalId) {
        return authorizer.check(session.principal(), operation, ResourceType.TRANSACTIONAL_ID, transactionalId,
                "Kafka " + request);
    }

    /** Without an audit line: for filtering a listing, where leaving an id out is no denial. */
    public boolean describable(KafkaSession session, String transactionalId) {
        return authorizer.allowed(session.principal(), AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID,
                transactionalId);
    }
}
