package io.sluice.gateway.share.admin;

import io.sluice.gateway.admin.AdminRequests.ConfigUpdate;
import io.sluice.gateway.admin.AdminViews.ConfigList;
import io.sluice.gateway.group.admin.GroupConfigAdmin;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.share.admin.ShareGroupViews.ResetPlan;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupList;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupSummary;
import io.sluice.gateway.share.admin.ShareGroupViews.ShareGroupView;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.group.GroupIds;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Share-group administration: list, describe (start offsets, in-flight records by state and delivery count, lag, the
 * members holding records), reset start offsets (with a dry run), delete, and read and change the group's configs
 * (the topic configs' shape). The authorization filter asks DESCRIBE on the group to describe, READ to reset (and READ
 * on the topic, here), DELETE to delete, as for consumer groups, DESCRIBE_CONFIGS and ALTER_CONFIGS on the group for
 * its configs, as Kafka does; the
 * listing shows the groups the caller may describe. The coordinator's refusals (UNKNOWN_GROUP, NON_EMPTY_GROUP while
 * records are acquired, …) pass through unchanged.
 */
@RestController
class ShareGroupAdminController {

    private final ShareGroupAdmin admin;
    private final GroupConfigAdmin configs;
    private final Authorizer authorizer;

    ShareGroupAdminController(ShareGroupAdmin admin, GroupConfigAdmin configs, Authorizer authorizer) {
        this.configs = configs;
        this.admin = admin;
        this.authorizer = authorizer;
    }

    @GetMapping("/v1/share-groups")
    Mono<ShareGroupList> list(ServerWebExchange exchange) {
        return admin.list().map(groups -> new ShareGroupList(authorizer.describable(exchange, ResourceType.GROUP,
                groups, ShareGroupSummary::groupId)));
    }

    @GetMapping("/v1/share-groups/{group}")
    Mono<ShareGroupView> describe(@PathVariable String group) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return admin.describe(group);
        });
    }

    @DeleteMapping("/v1/share-groups/{group}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String group) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return admin.delete(group);
        });
    }

    @GetMapping("/v1/share-groups/{group}/configs")
    Mono<ConfigList> configs(@PathVariable String group) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return configs.configs(group);
        });
    }

    @PatchMapping("/v1/share-groups/{group}/configs")
    Mono<ConfigList> alterConfigs(@PathVariable String group, @RequestBody ConfigUpdate update) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return configs.alterConfigs(group, update);
        });
    }

    @PostMapping("/v1/share-groups/{group}/reset")
    Mono<ResetPlan> reset(@PathVariable String group, @RequestBody ShareResetBody body, ServerWebExchange exchange) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            if (body.topic() != null) {
                authorizer.authorize(exchange, AclOperation.READ, ResourceType.TOPIC, body.topic());
            }
            return admin.reset(group, body);
        });
    }
}
