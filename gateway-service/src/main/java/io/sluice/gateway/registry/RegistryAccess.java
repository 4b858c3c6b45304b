package io.sluice.gateway.registry;

import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who may do what in the schema registry, in Sluice's ACLs (docs/schemas.md): a subject named after a topic as
 * Confluent's default TopicNameStrategy names it ({@code <topic>-key}, {@code <topic>-value}) is guarded by that
 * topic's ACLs, any other subject (RecordNameStrategy's) by the cluster's, and the registry's own settings by the
 * cluster's:
 * <pre>
 *   reading a subject's schemas, looking one up, checking compatibility   DESCRIBE          on the topic / cluster
 *   registering and deleting                                             WRITE / ALTER     on the topic / cluster
 *   reading a subject's compatibility level or mode                      DESCRIBE_CONFIGS  on the topic / cluster
 *   setting them                                                         ALTER_CONFIGS     on the topic / cluster
 *   the registry's own level and mode                                    DESCRIBE_CONFIGS, ALTER_CONFIGS on the cluster
 * </pre>
 * A schema read by id needs DESCRIBE on a subject that holds it; listings leave out what the principal may not
 * DESCRIBE. Denials are 403 (Confluent's 40301) and are audited, as everywhere.
 */
@Component
class RegistryAccess {

    /** What one may do with a subject or the registry. */
    enum Action {
        READ(AclOperation.DESCRIBE, AclOperation.DESCRIBE),
        WRITE(AclOperation.WRITE, AclOperation.ALTER),
        READ_CONFIG(AclOperation.DESCRIBE_CONFIGS, AclOperation.DESCRIBE_CONFIGS),
        WRITE_CONFIG(AclOperation.ALTER_CONFIGS, AclOperation.ALTER_CONFIGS);

        private final AclOperation onTopic;
        private final AclOperation onCluster;

        Action(AclOperation onTopic, AclOperation onCluster) {
            this.onTopic = onTopic;
            this.onCluster = onCluster;
        }
    }

    private static final List<String> TOPIC_SUFFIXES = List.of("-key", "-value");

    private final Authorizer authorizer;

    RegistryAccess(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Throws 403 unless the exchange's principal may {@code action} on {@code subject} (null: the registry). */
    void authorize(ServerWebExchange exchange, Action action, String subject) {
        String topic = subject == null ? null : topicOf(subject);
        if (topic != null) {
            authorizer.authorize(exchange, action.onTopic, ResourceType.TOPIC, topic);
        } else {
            authorizer.authorize(exchange, action.onCluster, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
        }
    }

    /** Whether the exchange's principal may read {@code subject}'s schemas (for listings, without auditing). */
    boolean mayRead(ServerWebExchange exchange, String subject) {
        String topic = topicOf(subject);
        return topic != null ? authorizer.allowed(exchange, AclOperation.DESCRIBE, ResourceType.TOPIC, topic)
                : authorizer.allowed(exchange, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }

    /** The topic TopicNameStrategy named {@code subject} after, or null. */
    static String topicOf(String subject) {
        for (String suffix : TOPIC_SUFFIXES) {
            if (subject.endsWith(suffix) && subject.length() > suffix.length()) {
                return subject.substring(0, subject.length() - suffix.length());
            }
        }
        return null;
    }
}
