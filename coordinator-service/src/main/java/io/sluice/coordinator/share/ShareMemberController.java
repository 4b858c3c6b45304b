package io.sluice.coordinator.share;

import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.internal.share.SharePaths;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Share group membership over the internal API; the rules are {@link ShareMembers}'. */
@RestController
class ShareMemberController {

    private final ShareMembership membership;

    ShareMemberController(ShareMembership membership) {
        this.membership = membership;
    }

    @PostMapping(SharePaths.HEARTBEAT)
    Mono<ShareHeartbeatResponse> heartbeat(@RequestBody ShareHeartbeatRequest request) {
        return membership.heartbeat(request);
    }

    @PostMapping(SharePaths.MEMBERS)
    Mono<ShareGroupMembers> members(@RequestBody ShareGroupMembers.Request request) {
        return membership.describe(request.groupId());
    }
}
