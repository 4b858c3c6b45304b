package io.sluice.coordinator.share;

import io.sluice.internal.share.ShareAcknowledgeRequest;
import io.sluice.internal.share.ShareAcknowledgeResponse;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareHeldRequest;
import io.sluice.internal.share.ShareHeldResponse;
import io.sluice.internal.share.SharePaths;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Share groups over the internal API; the rules are {@link SharePartition}'s. */
@RestController
class ShareGroupController {

    private final ShareGroupService service;

    ShareGroupController(ShareGroupService service) {
        this.service = service;
    }

    @PostMapping(SharePaths.ACQUIRE)
    Mono<ShareAcquireResponse> acquire(@RequestBody ShareAcquireRequest request) {
        return service.acquire(request);
    }

    @PostMapping(SharePaths.ACKNOWLEDGE)
    Mono<ShareAcknowledgeResponse> acknowledge(@RequestBody ShareAcknowledgeRequest request) {
        return service.acknowledge(request);
    }

    @PostMapping(SharePaths.HELD)
    Mono<ShareHeldResponse> held(@RequestBody ShareHeldRequest request) {
        return service.held(request);
    }
}
