package io.sluice.internal.acl;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The ACLs the coordinator stores, as gateways see them: they read the whole set (it is small) to enforce it, and
 * change it for the public admin API. Failures are {@link io.sluice.protocol.SluiceException}s with the coordinator's
 * error code.
 */
public interface AclApi {

    Mono<AclSnapshot> acls();

    Mono<AclBinding> createAcl(AclBinding acl);

    /** Deletes every ACL {@code filter} matches; answers those deleted. */
    Mono<List<AclBinding>> deleteAcls(AclBindingFilter filter);
}
