package io.sluice.gateway.security;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.security.SluicePrincipal;
import java.util.Map;

/** A 403: the principal lacks {@code operation} on the resource; the problem names both. */
final class AuthorizationException extends SluiceException {

    private final AclOperation operation;
    private final ResourceType resourceType;
    private final String resourceName;

    AuthorizationException(SluicePrincipal principal, AclOperation operation, ResourceType resourceType,
                           String resourceName) {
        super(code(resourceType), principal + " may not " + operation + " " + resourceType.name().toLowerCase().replace('_', ' ')
                + " '" + resourceName + "'");
        this.operation = operation;
        this.resourceType = resourceType;
        this.resourceName = resourceName;
    }

    private static ErrorCode code(ResourceType type) {
        return switch (type) {
            case TOPIC -> ErrorCode.TOPIC_AUTHORIZATION_FAILED;
            case GROUP -> ErrorCode.GROUP_AUTHORIZATION_FAILED;
            case CLUSTER -> ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
            case TRANSACTIONAL_ID -> ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        };
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("operation", operation.name(), "resource_type", resourceType.name(),
                "resource_name", resourceName);
    }
}
