package io.sluice.gateway.kafka;

import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.kafka.KafkaRequest;
import org.springframework.stereotype.Component;

/**
 * What a Kafka connection's principal may do to a topic, asked of the gateway's one {@link Authorizer} (the ACLs the
 * HTTP API enforces, super users, and an audit line per denial). A denied topic is answered
 * TOPIC_AUTHORIZATION_FAILED by the caller, as Kafka's broker does. With security off everything is allowed.
 */
@Component
public class TopicAccess {

    private final Authorizer authorizer;

    TopicAccess(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    public boolean allowed(KafkaSession session, KafkaRequest request, AclOperation operation, String topic) {
        return authorizer.check(session.principal(), operation, ResourceType.TOPIC, topic, "Kafka " + request);
    }

    /** Without an audit line: for filtering a listing, where leaving a topic out is no denial. */
    public boolean describable(KafkaSession session, String topic) {
        return authorizer.allowed(session.principal(), AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }

    public boolean mayCreate(KafkaSession session, KafkaRequest request, String topic) {
        return authorizer.checkCreateTopic(session.principal(), topic, "Kafka " + request);
    }
}
