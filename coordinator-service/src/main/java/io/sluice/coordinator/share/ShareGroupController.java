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

/**
 * Share groups over the internal API; the rules are {@link SharePartition}'s. A take under a consumer group's id is
 * UNKNOWN_GROUP ("not a share group"): group ids are one namespace, so no share state is made there.
 */
@RestController
class ShareGroupController {

    private final ShareGroupService service;
    private final ShareMembership membership;

    ShareGroupController(ShareGroupService service, ShareMembership membership) {
        this.service = service;
        this.membership = membership;
    }

    @PostMapping(SharePaths.ACQUIRE)
    Mono<ShareAcquireResponse> acquire(@RequestBody ShareAcquireRequest request) {
        return membership.requireNotConsumerGroup(request.groupId()).then(service.acquire(request));
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
