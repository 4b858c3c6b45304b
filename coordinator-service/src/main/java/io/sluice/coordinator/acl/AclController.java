package io.sluice.coordinator.acl;

import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import io.sluice.internal.acl.AclPaths;
import io.sluice.internal.acl.AclSnapshot;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The cluster's ACLs over HTTP, for gateways: they enforce them and administer them for the public API. */
@RestController
class AclController {

    private final AclStore store;

    AclController(AclStore store) {
        this.store = store;
    }

    @GetMapping(AclPaths.ACLS)
    Mono<AclSnapshot> acls() {
        return store.snapshot();
    }

    @PostMapping(AclPaths.ACLS)
    Mono<AclBinding> create(@RequestBody AclBinding acl) {
        return store.create(acl);
    }

    @PostMapping(AclPaths.DELETE)
    Mono<List<AclBinding>> delete(@RequestBody AclBindingFilter filter) {
        return store.delete(filter);
    }
}
