package io.sluice.internal.acl;

import io.sluice.protocol.ErrorCode;
import java.util.regex.Pattern;

/**
 * One ACL, Kafka's model: {@code principal} ({@code User:alice}, or {@code User:*} for everyone) may (ALLOW) or may not
 * (DENY) perform {@code operation} on the resources of {@code resourceType} that {@code resourceName} names under
 * {@code patternType}. The same record is the coordinator's stored form, the internal contract and the public API's.
 */
public record AclBinding(String principal, ResourceType resourceType, String resourceName, PatternType patternType,
                         AclOperation operation, AclPermission permission) {

    public static final String WILDCARD = "*";
    private static final Pattern PRINCIPAL = Pattern.compile("User:[^\\s|]{1,255}");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /** Refuses, as INVALID_ACL naming the field, a binding with a field missing or out of form. */
    public AclBinding validated() {
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            throw ErrorCode.INVALID_ACL.exception("principal must be 'User:<name>' or 'User:*'");
        }
        if (resourceType == null || patternType == null || operation == null || permission == null) {
            throw ErrorCode.INVALID_ACL.exception(
                    "resource_type, resource_name, pattern_type, operation and permission are all required");
        }
        if (resourceName == null || !(WILDCARD.equals(resourceName) || NAME.matcher(resourceName).matches())) {
            throw ErrorCode.INVALID_ACL.exception("resource_name must be '*' or 1 to 249 of [a-zA-Z0-9._-]");
        }
        if (resourceType == ResourceType.CLUSTER && !ResourceType.CLUSTER_NAME.equals(resourceName)) {
            throw ErrorCode.INVALID_ACL.exception("The cluster resource is named '" + ResourceType.CLUSTER_NAME + "'");
        }
        if (patternType == PatternType.PREFIXED && WILDCARD.equals(resourceName)) {
            throw ErrorCode.INVALID_ACL.exception("A prefixed ACL cannot name '*': use a literal '*'");
        }
        return this;
    }

    /** Whether this ACL is about {@code name} of {@code type} (its pattern matches the name). */
    public boolean covers(ResourceType type, String name) {
        if (resourceType != type) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> WILDCARD.equals(resourceName) || resourceName.equals(name);
            case PREFIXED -> name.startsWith(resourceName);
        };
    }

    /** Whether this ACL is about {@code who} ({@code User:*} is about everyone). */
    public boolean appliesTo(String who) {
        return principal.equals(who) || principal.equals("User:" + WILDCARD);
    }

    /** A stable identity for storage: two equal bindings have the same key. */
    public String key() {
        return String.join("|", principal, resourceType.name(), patternType.name(), resourceName, operation.name(),
                permission.name());
    }
}
