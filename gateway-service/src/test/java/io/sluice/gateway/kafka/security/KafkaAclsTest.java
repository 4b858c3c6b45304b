package io.sluice.gateway.kafka.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.AclPermission;
import io.sluice.internal.acl.PatternType;
import io.sluice.internal.acl.ResourceType;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import org.apache.kafka.common.acl.AclPermissionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Kafka's ACL bindings and filters as Sluice's, and back: by name, refusing what Sluice cannot store. */
class KafkaAclsTest {

    private static final byte TOPIC = org.apache.kafka.common.resource.ResourceType.TOPIC.code();
    private static final byte LITERAL = org.apache.kafka.common.resource.PatternType.LITERAL.code();
    private static final byte READ = org.apache.kafka.common.acl.AclOperation.READ.code();
    private static final byte ALLOW = AclPermissionType.ALLOW.code();
    private static final byte ANY_TYPE = org.apache.kafka.common.resource.ResourceType.ANY.code();
    private static final byte ANY_PATTERN = org.apache.kafka.common.resource.PatternType.ANY.code();
    private static final byte ANY_OPERATION = org.apache.kafka.common.acl.AclOperation.ANY.code();
    private static final byte ANY_PERMISSION = AclPermissionType.ANY.code();

    @ParameterizedTest
    @EnumSource(AclOperation.class)
    void everySluiceOperationIsKafkasOfTheSameNameBothWays(AclOperation operation) {
        byte kafka = org.apache.kafka.common.acl.AclOperation.valueOf(operation.name()).code();

        AclBinding acl = KafkaAcls.binding(TOPIC, "orders", LITERAL, "User:alice", "*", kafka, ALLOW);

        assertThat(acl.operation()).isEqualTo(operation);
        assertThat(KafkaAcls.operation(acl)).isEqualTo(kafka);
    }

    @ParameterizedTest
    @EnumSource(ResourceType.class)
    void everySluiceResourceTypeIsKafkasOfTheSameNameBothWays(ResourceType type) {
        byte kafka = org.apache.kafka.common.resource.ResourceType.valueOf(type.name()).code();
        String name = type == ResourceType.CLUSTER ? ResourceType.CLUSTER_NAME : "orders";

        AclBinding acl = KafkaAcls.binding(kafka, name, LITERAL, "User:alice", "*", READ, ALLOW);

        assertThat(acl.resourceType()).isEqualTo(type);
        assertThat(KafkaAcls.resourceType(acl)).isEqualTo(kafka);
    }

    @Test
    void aCreationMapsEveryField() {
        AclBinding acl = KafkaAcls.binding(org.apache.kafka.common.resource.ResourceType.GROUP.code(), "alice-",
                org.apache.kafka.common.resource.PatternType.PREFIXED.code(), "User:alice", "*",
                org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS.code(), AclPermissionType.DENY.code());

        assertThat(acl).isEqualTo(new AclBinding("User:alice", ResourceType.GROUP, "alice-", PatternType.PREFIXED,
                AclOperation.DESCRIBE_CONFIGS, AclPermission.DENY));
        assertThat(KafkaAcls.patternType(acl)).isEqualTo(org.apache.kafka.common.resource.PatternType.PREFIXED.code());
        assertThat(KafkaAcls.permission(acl)).isEqualTo(AclPermissionType.DENY.code());
    }

    @Test
    void aTransactionalIdAclIsStoredAsSluiceNamesIt() {
        byte transactionalId = org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID.code();
        AclBinding acl = KafkaAcls.binding(transactionalId, "app-", org.apache.kafka.common.resource.PatternType
                .PREFIXED.code(), "User:alice", "*", org.apache.kafka.common.acl.AclOperation.WRITE.code(), ALLOW);

        assertThat(acl).isEqualTo(new AclBinding("User:alice", ResourceType.TRANSACTIONAL_ID, "app-",
                PatternType.PREFIXED, AclOperation.WRITE, AclPermission.ALLOW));
        assertThat(KafkaAcls.resourceType(acl)).isEqualTo(transactionalId);
    }

    @Test
    void aCreationFromOneHostIsInvalidSinceSluiceAclsApplyFromEveryHost() {
        assertThatThrownBy(() -> KafkaAcls.binding(TOPIC, "orders", LITERAL, "User:alice", "10.0.0.1", READ, ALLOW))
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ACL))
                .hasMessageContaining("host must be '*'");
    }

    @Test
    void aCreationOfWhatSluiceCannotStoreIsInvalidNamingTheField() {
        assertThatThrownBy(() -> KafkaAcls.binding(
                org.apache.kafka.common.resource.ResourceType.DELEGATION_TOKEN.code(), "token", LITERAL, "User:alice",
                "*", READ, ALLOW))
                .hasMessageContaining("resource type DELEGATION_TOKEN");
        assertThatThrownBy(() -> KafkaAcls.binding(TOPIC, "orders", LITERAL, "User:alice", "*",
                org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE.code(), ALLOW))
                .hasMessageContaining("operation IDEMPOTENT_WRITE");
        assertThatThrownBy(() -> KafkaAcls.binding(TOPIC, "orders", ANY_PATTERN, "User:alice", "*", READ, ALLOW))
                .hasMessageContaining("pattern type ANY");
        assertThatThrownBy(() -> KafkaAcls.binding(TOPIC, "orders", LITERAL, "User:alice", "*", READ,
                ANY_PERMISSION))
                .hasMessageContaining("permission type ANY");
    }

    @Test
    void aFilterOfAnyInEveryFieldIsTheSluiceFilterOfNothing() {
        assertThat(KafkaAcls.filter(ANY_TYPE, null, ANY_PATTERN, null, null, ANY_OPERATION, ANY_PERMISSION))
                .contains(AclBindingFilter.ANY);
    }

    @Test
    void aFilterMapsEveryFieldItNames() {
        assertThat(KafkaAcls.filter(TOPIC, "orders", LITERAL, "User:bob", "*", READ, ALLOW))
                .contains(new AclBindingFilter("User:bob", ResourceType.TOPIC, "orders", PatternType.LITERAL,
                        AclOperation.READ, AclPermission.ALLOW));
    }

    @Test
    void aFilterOnWhatSluiceDoesNotStoreMatchesNothing() {
        assertThat(KafkaAcls.filter(org.apache.kafka.common.resource.ResourceType.DELEGATION_TOKEN.code(), null,
                ANY_PATTERN, null, null, ANY_OPERATION, ANY_PERMISSION)).isEmpty();
        assertThat(KafkaAcls.filter(ANY_TYPE, null, ANY_PATTERN, null, "10.0.0.1", ANY_OPERATION, ANY_PERMISSION))
                .isEmpty();
        assertThat(KafkaAcls.filter(ANY_TYPE, null, ANY_PATTERN, null, null,
                org.apache.kafka.common.acl.AclOperation.CLUSTER_ACTION.code(), ANY_PERMISSION)).isEmpty();
    }

    @Test
    void aFilterHoldingUnknownOrTheMatchPatternIsInvalid() {
        assertThatThrownBy(() -> KafkaAcls.filter(org.apache.kafka.common.resource.ResourceType.UNKNOWN.code(), null,
                ANY_PATTERN, null, null, ANY_OPERATION, ANY_PERMISSION))
                .hasMessageContaining("UNKNOWN");
        assertThatThrownBy(() -> KafkaAcls.filter(TOPIC, "orders",
                org.apache.kafka.common.resource.PatternType.MATCH.code(), null, null, ANY_OPERATION, ANY_PERMISSION))
                .hasMessageContaining("not MATCH");
    }
}
