package io.sluice.coordinator.share;

import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.internal.share.ShareGroupDescription;
import io.sluice.internal.share.ShareGroupListing;
import io.sluice.internal.share.ShareOffsetsDeleteRequest;
import io.sluice.internal.share.ShareOffsetsDeleteResponse;
import io.sluice.internal.share.SharePaths;
import io.sluice.internal.share.ShareResetRequest;
import io.sluice.internal.share.ShareResetResponse;
import io.sluice.protocol.ErrorCode;
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

/**
 * Share-group administration over the internal API: list, describe, reset, delete ({@link ShareGroupRules}), and the
 * group's configs (the groupconfig package's {@code GroupConfigRules}). As at
 * Kafka, a reset or a delete needs a group without members ({@link ShareMembership}): NON_EMPTY_GROUP while a share
 * consumer is in it, whether or not it holds records. HTTP workers are no members; the records they hold are checked
 * by the rules.
 */
@RestController
class ShareGroupAdminController {

    private final ShareGroupService service;
    private final ShareMembership membership;

    ShareGroupAdminController(ShareGroupService service, ShareMembership membership) {
        this.service = service;
        this.membership = membership;
    }

    /** Every share group: those with share-partitions stored and those with members ({@link ShareMembership}). */
    @GetMapping(SharePaths.GROUPS)
    Mono<List<ShareGroupListing>> list() {
        return service.list().zipWith(membership.groupsWithMembers(), ShareGroupRules::withMemberGroups);
    }

    @GetMapping(SharePaths.GROUP)
    Mono<ShareGroupDescription> describe(@PathVariable String group) {
        return service.describe(group);
    }

    @PostMapping(SharePaths.RESET)
    Mono<ShareResetResponse> reset(@PathVariable String group, @RequestBody ShareResetRequest request) {
        return membership.requireNotConsumerGroup(group).then(withoutMembers(group, "reset"))
                .then(service.reset(group, request));
    }

    @DeleteMapping(SharePaths.GROUP)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String group) {
        return withoutMembers(group, "delete").then(service.delete(group));
    }

    /** Kafka's DeleteShareGroupOffsets: some topics' share-partitions forgotten, as a delete is (no members). */
    @PostMapping(SharePaths.DELETE_OFFSETS)
    Mono<ShareOffsetsDeleteResponse> deleteOffsets(@PathVariable String group,
                                                   @RequestBody ShareOffsetsDeleteRequest request) {
        return withoutMembers(group, "delete the offsets of").then(service.deleteOffsets(group, request));
    }

    @GetMapping(SharePaths.CONFIGS)
    Mono<ShareGroupConfigList> configs(@PathVariable String group) {
        return service.describeConfigs(group);
    }

    /** Configs may change while the group has members: each change holds from their next call. */
    @PostMapping(SharePaths.CONFIGS)
    Mono<ShareGroupConfigList> alterConfigs(@PathVariable String group, @RequestBody ShareGroupConfigChange change) {
        return service.alterConfigs(group, change);
    }

    private Mono<Void> withoutMembers(String group, String action) {
        return membership.describe(group).flatMap(members -> members.members().isEmpty() ? Mono.empty()
                : Mono.error(ErrorCode.NON_EMPTY_GROUP.exception("Cannot " + action + " share group " + group
                        + " while it has members (" + members.members().size() + "): stop its share consumers first")));
    }
}
