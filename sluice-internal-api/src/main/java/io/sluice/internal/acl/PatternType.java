package io.sluice.internal.acl;

/**
 * How an ACL's resource name matches: {@code LITERAL} the name itself ({@code *} matches every name), {@code PREFIXED}
 * every name that starts with it.
 */
public enum PatternType {
    LITERAL, PREFIXED
}
