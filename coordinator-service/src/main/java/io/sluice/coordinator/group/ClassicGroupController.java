package io.sluice.coordinator.group;

import io.sluice.internal.classic.ClassicGroupDescription;
import io.sluice.internal.classic.ClassicGroupPaths;
import io.sluice.internal.classic.ClassicHeartbeatRequest;
import io.sluice.internal.classic.ClassicJoinRequest;
import io.sluice.internal.classic.ClassicJoinResponse;
import io.sluice.internal.classic.ClassicLeaveRequest;
import io.sluice.internal.classic.ClassicSyncRequest;
import io.sluice.internal.classic.ClassicSyncResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Kafka's classic group protocol over the internal API: members' calls go where {@link ClassicMembers} routes them (a
 * classic group, or the consumer group a classic member belongs to); classic groups are described by
 * {@link ClassicGroups}.
 */
@RestController
class ClassicGroupController {

    private final ClassicMembers members;
    private final ClassicGroups classic;

    ClassicGroupController(ClassicMembers members, ClassicGroups classic) {
        this.members = members;
        this.classic = classic;
    }

    @PostMapping(ClassicGroupPaths.JOIN)
    Mono<ClassicJoinResponse> join(@PathVariable String group, @RequestBody ClassicJoinRequest request) {
        return members.join(group, request);
    }

    @PostMapping(ClassicGroupPaths.SYNC)
    Mono<ClassicSyncResponse> sync(@PathVariable String group, @RequestBody ClassicSyncRequest request) {
        return members.sync(group, request);
    }

    @PostMapping(ClassicGroupPaths.HEARTBEAT)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void heartbeat(@PathVariable String group, @RequestBody ClassicHeartbeatRequest request) {
        members.heartbeat(group, request);
    }

    @PostMapping(ClassicGroupPaths.LEAVE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> leave(@PathVariable String group, @RequestBody ClassicLeaveRequest request) {
        return members.leave(group, request);
    }

    @GetMapping(ClassicGroupPaths.GROUP)
    ClassicGroupDescription describe(@PathVariable String group) {
        return classic.describe(group);
    }

    @GetMapping(ClassicGroupPaths.GROUPS)
    List<ClassicGroupDescription> list() {
        return classic.describeAll();
    }
}
