package io.sluice.coordinator.metadata;

import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.internal.metadata.MetadataUpdate;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The metadata stream over HTTP, for partition services and gateways that follow the cluster metadata: a JSON long
 * poll ({@code ?since=V&wait_ms=W}), or, with {@code Accept: text/event-stream}, an SSE stream of {@code metadata}
 * events whose id is the version they bring the follower to. What a follower gets is decided by
 * {@link MetadataManager}.
 */
@RestController
class MetadataController {

    private final MetadataManager metadata;

    MetadataController(MetadataManager metadata) {
        this.metadata = metadata;
    }

    @GetMapping(value = CoordinatorPaths.METADATA, produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<MetadataUpdate> metadata(@RequestParam(defaultValue = "-1") long since,
                                  @RequestParam(name = "wait_ms", defaultValue = "0") long waitMs) {
        return metadata.updateSince(since, waitMs);
    }

    @GetMapping(value = CoordinatorPaths.METADATA, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<MetadataUpdate>> metadataStream(@RequestParam(defaultValue = "-1") long since) {
        return metadata.updates(since)
                .map(update -> ServerSentEvent.builder(update).id(Long.toString(update.version())).event("metadata").build());
    }
}
