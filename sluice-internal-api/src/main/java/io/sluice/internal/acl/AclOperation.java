package io.sluice.internal.acl;

import java.util.Set;

/**
 * Kafka's ACL operations. {@code ALL} in an ACL stands for every operation. As in Kafka, an allowed READ, WRITE, DELETE
 * or ALTER implies DESCRIBE, and an allowed ALTER_CONFIGS implies DESCRIBE_CONFIGS; a deny implies nothing.
 */
public enum AclOperation {
    ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS;

    /** The operations an ALLOW of any of them also grants this one: itself, ALL and what implies it. */
    public Set<AclOperation> allowedBy() {
        return switch (this) {
            case DESCRIBE -> Set.of(ALL, DESCRIBE, READ, WRITE, DELETE, ALTER);
            case DESCRIBE_CONFIGS -> Set.of(ALL, DESCRIBE_CONFIGS, ALTER_CONFIGS);
            default -> Set.of(ALL, this);
        };
    }

    /** The operations a DENY of any of them refuses this one: itself and ALL. */
    public Set<AclOperation> deniedBy() {
        return Set.of(ALL, this);
    }
}
