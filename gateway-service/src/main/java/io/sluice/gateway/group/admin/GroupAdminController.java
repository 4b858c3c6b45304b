package io.sluice.gateway.group.admin;

import io.sluice.gateway.admin.AdminRequests.ConfigUpdate;
import io.sluice.gateway.admin.AdminViews.ConfigList;
import io.sluice.gateway.group.admin.GroupViews.GroupList;
import io.sluice.gateway.group.admin.GroupViews.GroupSummary;
import io.sluice.gateway.group.admin.GroupViews.GroupView;
import io.sluice.gateway.group.admin.GroupViews.ResetPlan;
import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.group.GroupIds;
import io.sluice.protocol.TopicNames;
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
 * Consumer-group administration: list, describe (members, assignment, committed offsets, lag), delete a group or a
 * topic's offsets, reset offsets (with a dry run), and read and change the group's configs. The coordinator's checks
 * and errors (UNKNOWN_GROUP, NON_EMPTY_GROUP, …) pass through unchanged.
 */
@RestController
class GroupAdminController {

    private final GroupAdmin admin;
    private final GroupConfigAdmin configs;
    private final Authorizer authorizer;

    GroupAdminController(GroupAdmin admin, GroupConfigAdmin configs, Authorizer authorizer) {
        this.admin = admin;
        this.configs = configs;
        this.authorizer = authorizer;
    }

    /** The groups the caller may describe. */
    @GetMapping("/v1/groups")
    Mono<GroupList> list(ServerWebExchange exchange) {
        return admin.list().map(groups -> new GroupList(authorizer.describable(exchange, ResourceType.GROUP, groups,
                GroupSummary::groupId)));
    }

    @GetMapping("/v1/groups/{group}")
    Mono<GroupView> describe(@PathVariable String group) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return admin.describe(group);
        });
    }

    @DeleteMapping("/v1/groups/{group}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable String group) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return admin.delete(group);
        });
    }

    /** The group's configs ({@code consumer.*} and {@code streams.*} among them): {@link GroupConfigAdmin}. */
    @GetMapping("/v1/groups/{group}/configs")
    Mono<ConfigList> configs(@PathVariable String group) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return configs.configs(group);
        });
    }

    @PatchMapping("/v1/groups/{group}/configs")
    Mono<ConfigList> alterConfigs(@PathVariable String group, @RequestBody ConfigUpdate update) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return configs.alterConfigs(group, update);
        });
    }

    @DeleteMapping("/v1/groups/{group}/topics/{topic}/offsets")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteOffsets(@PathVariable String group, @PathVariable String topic) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            TopicNames.validate(topic);
            return admin.deleteOffsets(group, topic);
        });
    }

    @PostMapping("/v1/groups/{group}/offsets/reset")
    Mono<ResetPlan> reset(@PathVariable String group, @RequestBody ResetRequest request, ServerWebExchange exchange) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            if (request.topic() != null) {
                authorizer.authorize(exchange, AclOperation.READ, ResourceType.TOPIC, request.topic());
            }
            return admin.reset(group, request);
        });
    }
}
