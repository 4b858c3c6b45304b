package io.sluice.internal.acl;

/** Kafka's permission type: a DENY that matches wins over any ALLOW. */
public enum AclPermission {
    ALLOW, DENY
}
