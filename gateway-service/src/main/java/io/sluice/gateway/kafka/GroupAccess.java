package io.sluice.gateway.kafka;

import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.kafka.KafkaRequest;
import org.springframework.stereotype.Component;

/**
 * What a Kafka connection's principal may do to a consumer group, asked of the gateway's one {@link Authorizer}, as
 * HTTP group calls are: READ to join, heartbeat and commit, DESCRIBE to find the coordinator, fetch offsets and
 * describe, DELETE to delete. A denied group is answered GROUP_AUTHORIZATION_FAILED. With security off everything is
 * allowed.
 */
@Component
public class GroupAccess {

    private final Authorizer authorizer;

    GroupAccess(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    public boolean allowed(KafkaSession session, KafkaRequest request, AclOperation operation, String group) {
        return authorizer.check(session.principal(), operation, ResourceType.GROUP, group, "Kafka " + request);
    }

    /** Without an audit line: for filtering a listing, where leaving a group out is no denial. */
    public boolean describable(KafkaSession session, String group) {
        return authorizer.allowed(session.principal(), AclOperation.DESCRIBE, ResourceType.GROUP, group);
    }
}
