package io.sluice.internal.acl;

import java.util.List;

/** Every ACL of the cluster at {@code version}, which the coordinator bumps on every change. */
public record AclSnapshot(long version, List<AclBinding> acls) {

    public AclSnapshot {
        acls = List.copyOf(acls);
    }
}
