package io.sluice.internal.acl;

/** The coordinator's ACL routes. */
public final class AclPaths {

    /** GET: every ACL ({@link AclSnapshot}); POST {@link AclBinding}: create one (answers it; creating twice is one). */
    public static final String ACLS = "/internal/acls";
    /** POST {@link AclBindingFilter}: delete every ACL it matches; answers the deleted ones. */
    public static final String DELETE = "/internal/acls/delete";

    private AclPaths() {
    }
}
