package io.sluice.coordinator.share;

import io.sluice.internal.share.ShareGroupMembers;
import io.sluice.internal.share.ShareHeartbeatRequest;
import io.sluice.internal.share.ShareHeartbeatResponse;
import io.sluice.internal.share.SharePaths;
import io.sluice.internal.share.ShareReleaseRequest;
import io.sluice.internal.share.ShareReleaseResponse;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicNames;
import io.sluice.protocol.TopicPartition;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Share group membership over the internal API; the rules are {@link ShareMembers}'. A closed share session's records
 * are released here too: the member stays, its locks in the session's share-partitions end.
 */
@RestController
class ShareMemberController {

    private final ShareMembership membership;
    private final ShareGroupService shares;

    ShareMemberController(ShareMembership membership, ShareGroupService shares) {
        this.membership = membership;
        this.shares = shares;
    }

    /** A closed share session's records ({@link ShareReleaseRequest}) delivered again now. */
    @PostMapping(SharePaths.RELEASE)
    Mono<ShareReleaseResponse> release(@RequestBody ShareReleaseRequest request) {
        return Mono.defer(() -> {
            if (request.partitions() == null || request.partitions().stream().anyMatch(p -> p == null
                    || p.topic() == null || p.partition() < 0)) {
                return Mono.error(ErrorCode.INVALID_REQUEST.exception("A release names its share-partitions, each"
                        + " with a topic and a partition"));
            }
            request.partitions().forEach(p -> TopicNames.validate(p.topic()));
            return shares.releaseHeldBy(request.groupId(), request.memberId(), request.partitions().stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).distinct().toList())
                    .map(ShareReleaseResponse::new);
        });
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
