package io.sluice.gateway.group.member;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.consume.IsolationLevel;
import io.sluice.gateway.consume.ReadLimits;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.web.OpenStreams;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.group.PartitionOffset;
import io.sluice.protocol.ErrorCode;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Consumer-group members: an SSE connection that is a member for its lifetime ({@code GET /v1/groups/{group}/records}
 * as {@code text/event-stream}), polling members (join, poll, leave), and commits.
 */
@RestController
class GroupController {

    private final MemberStreams streams;
    private final PollingMembers polling;
    private final Commits commits;
    private final GatewayProperties.Consume settings;
    private final Authorizer authorizer;
    private final OpenStreams openStreams;

    GroupController(MemberStreams streams, PollingMembers polling, Commits commits, GatewayProperties properties,
                    Authorizer authorizer, OpenStreams openStreams) {
        this.openStreams = openStreams;
        this.authorizer = authorizer;
        this.streams = streams;
        this.polling = polling;
        this.commits = commits;
        this.settings = properties.consume();
    }

    @GetMapping(path = "/v1/groups/{group}/records", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(@PathVariable String group, MemberStreamRequest request) {
        return openStreams.sse(Flux.defer(() -> {
            GroupIds.validate(group);
            return streams.stream(group, request.groupInstanceId(), request.subscription(), request.autoCommit(),
                    request.autoCommitInterval(), request.reset(), request.readCommitted(), request.formats());
        }));
    }

    @PostMapping("/v1/groups/{group}/members")
    Mono<ResponseEntity<MemberView>> join(@PathVariable String group, @RequestBody GroupRequests.Join request,
                                          ServerWebExchange exchange) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            // READ on the group is the filter's; the topics are in the body. A pattern may match any topic: READ on all.
            authorizer.authorizeTopics(exchange, AclOperation.READ, request.topicPattern() != null ? List.of("*")
                    : request.topics() == null ? List.of() : request.topics());
            return polling.join(group, request.checkedMemberId(),
                    GroupRequests.checkedInstanceId(request.groupInstanceId()), request.subscription(),
                    request.autoCommit() == null || request.autoCommit(), OffsetReset.of(request.autoOffsetReset()),
                    IsolationLevel.readCommitted(request.isolationLevel()));
        }).map(member -> ResponseEntity.created(URI.create("/v1/groups/" + group + "/members/" + member.memberId()))
                .body(member));
    }

    @PostMapping("/v1/groups/{group}/members/{member}/poll")
    Mono<MemberView> poll(@PathVariable String group, @PathVariable String member,
                          @RequestBody GroupRequests.Poll request, @RequestHeader HttpHeaders headers) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            Formats formats = request.formats().maskedAsAsked(headers);
            ReadLimits limits = request.limits(settings);
            return polling.poll(group, member, request.memberCursor(), limits.waitMs(), limits.maxRecords(),
                    limits.maxBytes(), formats);
        });
    }

    /** Leaves; with the member's cursor, its positions are committed first (when it commits automatically). */
    @DeleteMapping("/v1/groups/{group}/members/{member}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> leave(@PathVariable String group, @PathVariable String member,
                     @RequestParam(name = "cursor", required = false) String cursor) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            return polling.leave(group, member, cursor == null ? null : MemberCursor.decode(cursor));
        });
    }

    @PostMapping("/v1/groups/{group}/offsets")
    Mono<Commits.CommittedOffsets> commit(@PathVariable String group, @RequestBody GroupRequests.Commit request,
                                          ServerWebExchange exchange) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            if (authorizer.enabled()) {
                authorizer.authorizeTopics(exchange, AclOperation.READ, request.toInternal().offsets().stream()
                        .map(PartitionOffset::topic).distinct().toList());
            }
            return commits.commit(group, request);
        });
    }
}
