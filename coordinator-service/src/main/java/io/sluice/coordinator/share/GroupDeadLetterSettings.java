package io.sluice.coordinator.share;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A share group's dead-letter settings from its group configs. Per-group configs are not merged yet: every group has
 * none, so nothing is copied to a dead-letter topic until they are.
 */
@Component
class GroupDeadLetterSettings implements DeadLetterSettingsSource {

    @Override
    public Mono<DeadLetterSettings> settings(String groupId) {
        return Mono.just(DeadLetterSettings.NONE);
    }
}
