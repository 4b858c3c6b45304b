package io.sluice.coordinator.share;

import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.internal.share.SharePaths;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Share-group administration over the internal API: list, describe, reset, delete ({@link ShareGroupRules}). */
@RestController
class ShareGroupAdminController {

    private final ShareGroupService service;

    ShareGroupAdminController(ShareGroupService service) {
        this.service = service;
    }

    @GetMapping(SharePaths.GROUPS)
    Mono<List<ShareGroupListing>> list() {
        return service.list();
    }

    @GetMapping(SharePaths.GROUP)
    Mono<ShareGroupDescription> describe(@PathVariable String group) {
        return service.describe(group);
    }

    @PostMapping(SharePaths.RESET)
    Mono<ShareResetResponse> reset(@PathVariable String group, @RequestBody ShareResetRequest request) {
        return service.reset(group, request);
    }

    @DeleteMapping(SharePaths.GROUP)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String group) {
        return service.delete(group);
    }
}
