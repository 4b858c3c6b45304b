package io.sluice.internal.acl;

/**
 * Which ACLs a listing or a deletion is about: every field that is set must equal the ACL's, an unset (null) field
 * matches anything. The filter of nothing matches every ACL.
 */
public record AclBindingFilter(String principal, ResourceType resourceType, String resourceName,
                               PatternType patternType, AclOperation operation, AclPermission permission) {

    public static final AclBindingFilter ANY = new AclBindingFilter(null, null, null, null, null, null);

    public boolean matches(AclBinding acl) {
        return (principal == null || principal.equals(acl.principal()))
                && (resourceType == null || resourceType == acl.resourceType())
                && (resourceName == null || resourceName.equals(acl.resourceName()))
                && (patternType == null || patternType == acl.patternType())
                && (operation == null || operation == acl.operation())
                && (permission == null || permission == acl.permission());
    }
}
