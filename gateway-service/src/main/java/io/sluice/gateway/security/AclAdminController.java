package io.sluice.gateway.security;

import io.sluice.internal.acl.AclBinding;
import io.sluice.internal.acl.AclBindingFilter;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The public ACL administration ({@link AclAdmin}): list and delete by a filter of query parameters, create from a
 * body. Listing needs DESCRIBE on the cluster, changing ALTER (checked by {@link AuthorizationFilter}).
 */
@RestController
class AclAdminController {

    record AclList(List<AclBinding> acls) {
    }

    private final AclAdmin acls;

    AclAdminController(AclAdmin acls) {
        this.acls = acls;
    }

    @GetMapping("/v1/acls")
    Mono<AclList> list(AclBindingFilter filter) {
        return acls.list(filter).map(AclList::new);
    }

    @PostMapping("/v1/acls")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<AclBinding> create(@RequestBody AclBinding acl) {
        return acls.create(acl);
    }

    @DeleteMapping("/v1/acls")
    Mono<AclList> delete(AclBindingFilter filter) {
        return acls.delete(filter).map(AclList::new);
    }
}
