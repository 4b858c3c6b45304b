package io.sluice.gateway.group.admin;

import io.sluice.gateway.admin.AdminRequests.ConfigUpdate;
import io.sluice.gateway.admin.AdminViews.ConfigList;
import io.sluice.internal.coordinator.AlterConfigsRequest;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.internal.share.ShareGroupConfigChange;
import io.sluice.internal.share.ShareGroupConfigList;
import io.sluice.protocol.config.ConfigEntry;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * A group's configs over HTTP, for any group id and type (the coordinator's group configs: {@code consumer.*},
 * {@code streams.*}, {@code share.*} and the dead-letter keys, as Kafka's {@code kafka-configs --entity-type groups}
 * shows them): {@code /v1/groups/{group}/configs} and {@code /v1/share-groups/{group}/configs} serve the same values.
 */
@Service
public class GroupConfigAdmin {

    private final ShareGroupApi coordinator;

    GroupConfigAdmin(ShareGroupApi coordinator) {
        this.coordinator = coordinator;
    }

    /** The group's configs: every key, its value (the group's or the cluster default) and whether it is the default. */
    public Mono<ConfigList> configs(String group) {
        return coordinator.describeShareGroupConfigs(group).map(GroupConfigAdmin::configList);
    }

    /** Sets (a value) and removes (null) the group's configs, all or none; answers them as they are after. */
    public Mono<ConfigList> alterConfigs(String group, ConfigUpdate update) {
        return Mono.defer(() -> {
            AlterConfigsRequest change = update.toInternal();
            return coordinator.alterShareGroupConfigs(group, new ShareGroupConfigChange(change.set(), change.delete(),
                    false, false));
        }).map(GroupConfigAdmin::configList);
    }

    private static ConfigList configList(ShareGroupConfigList configs) {
        return new ConfigList(configs.configs().stream()
                .map(e -> new ConfigEntry(e.name(), e.value(), e.isDefault(), e.documentation())).toList());
    }
}
