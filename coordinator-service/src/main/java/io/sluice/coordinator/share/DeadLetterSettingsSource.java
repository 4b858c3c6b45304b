package io.sluice.coordinator.share;

import reactor.core.publisher.Mono;

/** Where a share group's dead-letter settings come from: the one place the group configs are read for them. */
interface DeadLetterSettingsSource {

    /** The group's settings now ({@link DeadLetterSettings#NONE} when it has none). */
    Mono<DeadLetterSettings> settings(String groupId);
}
