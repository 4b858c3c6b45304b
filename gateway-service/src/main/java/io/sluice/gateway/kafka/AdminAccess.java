package io.sluice.gateway.kafka;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.springframework.stereotype.Component;

/**
 * Who may administer the cluster over the Kafka listener, Kafka's rules asked of the gateway's one
 * {@link Authorizer} (the same ACLs as the HTTP admin routes): creating a topic needs CREATE on the cluster or the
 * topic, deleting it DELETE, adding partitions ALTER, reading its configs DESCRIBE_CONFIGS and changing them
 * ALTER_CONFIGS (on the group for a group's configs, on the cluster for broker configs and client quotas), managing
 * ACLs or SCRAM credentials, moving partitions, electing leaders and writing transaction markers ALTER on the
 * cluster, and listing ACLs, SCRAM credentials, the log directories or the partitions moving DESCRIBE on the cluster.
 *
 * <p>A request that names a resource the principal may not touch is refused whole, each resource answered
 * TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED or CLUSTER_AUTHORIZATION_FAILED, and nothing of it is done —
 * stricter than Kafka, which refuses only the resources denied; the denial is audited as over HTTP. With security off nothing is refused.
 */
@Component
class AdminAccess {

    private final Authorizer authorizer;
    private final ClusterView cluster;

    AdminAccess(Authorizer authorizer, ClusterView cluster) {
        this.authorizer = authorizer;
        this.cluster = cluster;
    }

    /** Why {@code request} is refused, or empty when it may go on (every API but the admin ones: empty). */
    Optional<ApiException> refusal(KafkaRequest request, KafkaSession session) {
        if (!authorizer.enabled()) {
            return Optional.empty();
        }
        List<Check> checks = new ArrayList<>();
        switch (request.apiKey()) {
            case CREATE_TOPICS -> ((CreateTopicsRequest) request.body()).data().topics()
                    .forEach(topic -> checks.add(new Check(AclOperation.CREATE, ResourceType.TOPIC, topic.name())));
            case DELETE_TOPICS -> ((DeleteTopicsRequest) request.body()).topics().forEach(topic -> checks.add(
                    new Check(AclOperation.DELETE, ResourceType.TOPIC, topic.name() != null ? topic.name()
                            : KafkaTopics.byId(cluster.current(), topic.topicId()).map(TopicMetadata::name)
                                    .orElse(""))));
            case CREATE_PARTITIONS -> ((CreatePartitionsRequest) request.body()).data().topics()
                    .forEach(topic -> checks.add(new Check(AclOperation.ALTER, ResourceType.TOPIC, topic.name())));
            case DESCRIBE_CONFIGS -> ((DescribeConfigsRequest) request.body()).data().resources().forEach(resource ->
                    checks.add(config(AclOperation.DESCRIBE_CONFIGS, resource.resourceType(), resource.resourceName())));
            case ALTER_CONFIGS -> ((AlterConfigsRequest) request.body()).data().resources().forEach(resource ->
                    checks.add(config(AclOperation.ALTER_CONFIGS, resource.resourceType(), resource.resourceName())));
            case INCREMENTAL_ALTER_CONFIGS -> ((IncrementalAlterConfigsRequest) request.body()).data().resources()
                    .forEach(resource -> checks.add(config(AclOperation.ALTER_CONFIGS, resource.resourceType(),
                            resource.resourceName())));
            case CREATE_ACLS, DELETE_ACLS, ALTER_PARTITION_REASSIGNMENTS, ELECT_LEADERS, WRITE_TXN_MARKERS,
                 ALTER_USER_SCRAM_CREDENTIALS -> checks.add(Check.cluster(AclOperation.ALTER));
            case DESCRIBE_ACLS, DESCRIBE_LOG_DIRS, LIST_PARTITION_REASSIGNMENTS, DESCRIBE_USER_SCRAM_CREDENTIALS ->
                    checks.add(Check.cluster(AclOperation.DESCRIBE));
            case DESCRIBE_CLIENT_QUOTAS -> checks.add(Check.cluster(AclOperation.DESCRIBE_CONFIGS));
            case ALTER_CLIENT_QUOTAS -> checks.add(Check.cluster(AclOperation.ALTER_CONFIGS));
            default -> {
                return Optional.empty();
            }
        }
        for (Check check : checks) {
            boolean allowed = check.operation() == AclOperation.CREATE
                    ? authorizer.checkCreateTopic(session.principal(), check.name(), "Kafka " + request)
                    : authorizer.check(session.principal(), check.operation(), check.type(), check.name(),
                            "Kafka " + request);
            if (!allowed) {
                String denied = session.principal() + " may not " + check.operation() + " "
                        + check.type().name().toLowerCase() + " '" + check.name() + "'";
                return Optional.of(switch (check.type()) {
                    case CLUSTER -> new ClusterAuthorizationException(denied);
                    case GROUP -> new GroupAuthorizationException(denied);
                    default -> new TopicAuthorizationException(denied);
                });
            }
        }
        return Optional.empty();
    }

    private static Check config(AclOperation operation, byte resourceType, String name) {
        return switch (ConfigResource.Type.forId(resourceType)) {
            case TOPIC -> new Check(operation, ResourceType.TOPIC, name);
            case GROUP -> new Check(operation, ResourceType.GROUP, name);
            default -> Check.cluster(operation);
        };
    }

    private record Check(AclOperation operation, ResourceType type, String name) {

        static Check cluster(AclOperation operation) {
            return new Check(operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
        }
    }
}
