package io.sluice.coordinator.group;

import io.sluice.internal.group.GroupDescription;
import io.sluice.internal.group.GroupHeartbeatRequest;
import io.sluice.internal.group.GroupHeartbeatResponse;
import io.sluice.internal.group.GroupListing;
import io.sluice.internal.group.GroupOffsets;
import io.sluice.internal.group.GroupOwnership;
import io.sluice.internal.group.GroupPaths;
import io.sluice.internal.group.OffsetCommitRequest;
import io.sluice.internal.group.OffsetResetRequest;
import io.sluice.internal.group.OffsetResetResponse;
import io.sluice.internal.streams.StreamsGroupDescription;
import io.sluice.internal.streams.StreamsHeartbeatRequest;
import io.sluice.internal.streams.StreamsHeartbeatResponse;
import io.sluice.internal.streams.StreamsTopologyDescriptionUpdate;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Consumer and streams groups over HTTP, for gateways: member heartbeats, offsets, administration.
 * {@link GroupService} does it.
 */
@RestController
class GroupController {

    private final GroupService groups;

    GroupController(GroupService groups) {
        this.groups = groups;
    }

    @PostMapping(GroupPaths.HEARTBEAT)
    Mono<GroupHeartbeatResponse> heartbeat(@PathVariable String group, @RequestBody GroupHeartbeatRequest request) {
        return groups.heartbeat(group, request);
    }

    @PostMapping(GroupPaths.STREAMS_HEARTBEAT)
    Mono<StreamsHeartbeatResponse> streamsHeartbeat(@PathVariable String group,
                                                    @RequestBody StreamsHeartbeatRequest request) {
        return groups.streamsHeartbeat(group, request);
    }

    @PostMapping(GroupPaths.STREAMS_TOPOLOGY_DESCRIPTION)
    Mono<Void> updateStreamsTopologyDescription(@PathVariable String group,
                                                @RequestBody StreamsTopologyDescriptionUpdate update) {
        return groups.describeStreamsTopology(group, update);
    }

    @GetMapping(GroupPaths.STREAMS_GROUP)
    Mono<StreamsGroupDescription> describeStreamsGroup(@PathVariable String group) {
        return groups.describeStreams(group);
    }

    @PostMapping(GroupPaths.OFFSETS)
    Mono<GroupOffsets> commitOffsets(@PathVariable String group, @RequestBody OffsetCommitRequest request) {
        return groups.commit(group, request);
    }

    @GetMapping(GroupPaths.OFFSETS)
    Mono<GroupOffsets> committedOffsets(@PathVariable String group) {
        return groups.committedOffsets(group);
    }

    @PostMapping(GroupPaths.OFFSET_RESET)
    Mono<OffsetResetResponse> resetOffsets(@PathVariable String group, @RequestBody OffsetResetRequest request) {
        return groups.reset(group, request);
    }

    @GetMapping(GroupPaths.OWNERSHIP_HISTORY)
    Mono<List<GroupOwnership>> ownershipHistory(@PathVariable String group) {
        return groups.ownershipHistory(group);
    }

    @DeleteMapping(GroupPaths.TOPIC_OFFSETS)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteTopicOffsets(@PathVariable String group, @PathVariable String topic,
                                  @RequestParam(required = false) List<Integer> partitions) {
        return groups.deleteTopicOffsets(group, topic, partitions);
    }

    @GetMapping(GroupPaths.GROUPS)
    Mono<List<GroupListing>> listGroups() {
        return groups.list();
    }

    @GetMapping(GroupPaths.GROUP)
    Mono<GroupDescription> describeGroup(@PathVariable String group) {
        return groups.describe(group);
    }

    @DeleteMapping(GroupPaths.GROUP)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> deleteGroup(@PathVariable String group) {
        return groups.delete(group);
    }
}
