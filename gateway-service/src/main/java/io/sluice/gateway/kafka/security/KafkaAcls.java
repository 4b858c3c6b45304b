package io.sluice.gateway.kafka.security;

import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.AclPermission;
import io.sluice.internal.acl.PatternType;
import io.sluice.internal.acl.ResourceType;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclPermissionType;

/**
 * Kafka's ACL bindings and filters as Sluice's ({@link AclBinding}, {@link AclBindingFilter}) and back. The two
 * models share Kafka's names, so the mapping is by name; what Sluice cannot store is refused:
 * <ul>
 *   <li>resource types other than TOPIC, GROUP, CLUSTER and TRANSACTIONAL_ID (delegation tokens, users);</li>
 *   <li>operations other than ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS and ALTER_CONFIGS
 *       (CLUSTER_ACTION, IDEMPOTENT_WRITE, the token and two-phase-commit operations);</li>
 *   <li>a host other than {@code *}: Sluice's ACLs apply from every host.</li>
 * </ul>
 * A binding to create with any of these, or with UNKNOWN or ANY in a field, is INVALID_ACL (INVALID_REQUEST to the
 * client), with a message naming the field. In a filter, ANY matches anything, UNKNOWN is INVALID_ACL, the MATCH
 * pattern type is INVALID_ACL (Sluice filters by LITERAL or PREFIXED), and a value no Sluice ACL can have (a resource
 * type, an operation or a host Sluice does not store) makes a filter that matches nothing.
 */
final class KafkaAcls {

    private static final String ANY_HOST = "*";

    private KafkaAcls() {
    }

    /** The Sluice ACL a CreateAcls creation stands for; INVALID_ACL when Sluice cannot store it. */
    static AclBinding binding(byte resourceType, String resourceName, byte patternType, String principal, String host,
                              byte operation, byte permission) {
        if (!ANY_HOST.equals(host)) {
            throw ErrorCode.INVALID_ACL.exception("Sluice's ACLs apply from every host: the host must be '*', was '"
                    + host + "'");
        }
        return new AclBinding(principal,
                named(ResourceType.class, "resource type", org.apache.kafka.common.resource.ResourceType
                        .fromCode(resourceType).name()),
                resourceName,
                named(PatternType.class, "pattern type", org.apache.kafka.common.resource.PatternType
                        .fromCode(patternType).name()),
                named(AclOperation.class, "operation", org.apache.kafka.common.acl.AclOperation
                        .fromCode(operation).name()),
                named(AclPermission.class, "permission type", AclPermissionType.fromCode(permission).name()));
    }

    /**
     * The Sluice filter a DescribeAcls or DeleteAcls filter stands for, or empty when it can match no Sluice ACL;
     * INVALID_ACL for UNKNOWN in a field or the MATCH pattern type.
     */
    static Optional<AclBindingFilter> filter(byte resourceType, String resourceName, byte patternType,
                                             String principal, String host, byte operation, byte permission) {
        org.apache.kafka.common.resource.ResourceType kafkaType =
                org.apache.kafka.common.resource.ResourceType.fromCode(resourceType);
        org.apache.kafka.common.resource.PatternType kafkaPattern =
                org.apache.kafka.common.resource.PatternType.fromCode(patternType);
        org.apache.kafka.common.acl.AclOperation kafkaOperation =
                org.apache.kafka.common.acl.AclOperation.fromCode(operation);
        AclPermissionType kafkaPermission = AclPermissionType.fromCode(permission);
        if (kafkaType.isUnknown() || kafkaPattern.isUnknown() || kafkaOperation.isUnknown()
                || kafkaPermission.isUnknown()) {
            throw ErrorCode.INVALID_ACL.exception("An ACL filter may not hold UNKNOWN: resource type " + kafkaType
                    + ", pattern type " + kafkaPattern + ", operation " + kafkaOperation + ", permission type "
                    + kafkaPermission);
        }
        if (kafkaPattern == org.apache.kafka.common.resource.PatternType.MATCH) {
            throw ErrorCode.INVALID_ACL.exception("Sluice filters ACLs by the LITERAL or PREFIXED pattern type (or "
                    + "ANY), not MATCH");
        }
        if ((host != null && !ANY_HOST.equals(host)) || !stored(ResourceType.class, kafkaType.name())
                || !stored(AclOperation.class, kafkaOperation.name())) {
            return Optional.empty();
        }
        return Optional.of(new AclBindingFilter(principal,
                anyOr(ResourceType.class, kafkaType == org.apache.kafka.common.resource.ResourceType.ANY,
                        kafkaType.name()),
                resourceName,
                anyOr(PatternType.class, kafkaPattern == org.apache.kafka.common.resource.PatternType.ANY,
                        kafkaPattern.name()),
                anyOr(AclOperation.class, kafkaOperation == org.apache.kafka.common.acl.AclOperation.ANY,
                        kafkaOperation.name()),
                anyOr(AclPermission.class, kafkaPermission == AclPermissionType.ANY, kafkaPermission.name())));
    }

    static byte resourceType(AclBinding acl) {
        return org.apache.kafka.common.resource.ResourceType.valueOf(acl.resourceType().name()).code();
    }

    static byte patternType(AclBinding acl) {
        return org.apache.kafka.common.resource.PatternType.valueOf(acl.patternType().name()).code();
    }

    static byte operation(AclBinding acl) {
        return org.apache.kafka.common.acl.AclOperation.valueOf(acl.operation().name()).code();
    }

    static byte permission(AclBinding acl) {
        return AclPermissionType.valueOf(acl.permission().name()).code();
    }

    /** Every Sluice ACL applies from every host. */
    static String host() {
        return ANY_HOST;
    }

    private static <E extends Enum<E>> E named(Class<E> type, String field, String kafkaName) {
        try {
            return Enum.valueOf(type, kafkaName);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_ACL.exception("Sluice's ACLs cannot hold the " + field + " " + kafkaName
                    + "; it may be one of " + List.of(type.getEnumConstants()));
        }
    }

    /** Whether a filter's value can match a stored ACL: ANY, or a value Sluice's enum has. */
    private static <E extends Enum<E>> boolean stored(Class<E> type, String kafkaName) {
        if (kafkaName.equals("ANY")) {
            return true;
        }
        try {
            Enum.valueOf(type, kafkaName);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static <E extends Enum<E>> E anyOr(Class<E> type, boolean any, String kafkaName) {
        return any ? null : Enum.valueOf(type, kafkaName);
    }
}
