package io.sluice.gateway.share;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.web.OpenStreams;
import io.sluice.gateway.web.QueryBinder;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.group.GroupIds;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;

/**
 * A share group's records pushed over SSE ({@link ShareStreams}); acknowledgements go by the acknowledgements route.
 * Authorized as the other share-group routes: READ on the group is the authorization filter's, READ on the topic is
 * checked here, before the stream opens.
 */
@RestController
class ShareStreamController {

    private final ShareStreams streams;
    private final ClusterView cluster;
    private final Authorizer authorizer;
    private final GatewayProperties.Consume settings;
    private final OpenStreams openStreams;

    ShareStreamController(ShareStreams streams, ClusterView cluster, Authorizer authorizer,
                          GatewayProperties properties, OpenStreams openStreams) {
        this.openStreams = openStreams;
        this.streams = streams;
        this.cluster = cluster;
        this.authorizer = authorizer;
        this.settings = properties.consume();
    }

    @GetMapping(path = "/v1/share-groups/{group}/records", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(@PathVariable String group, ShareStreamRequest request,
                                         ServerWebExchange exchange) {
        return openStreams.sse(Flux.defer(() -> {
            GroupIds.validate(group);
            authorizer.authorizeTopics(exchange, AclOperation.READ, List.of(request.topic()));
            int maxInFlight = request.checkedMaxInFlight(settings);
            List<Integer> partitions = ShareGroupController.partitions(cluster.topic(request.topic()),
                    request.partitions());
            return streams.stream(group, request.memberId(), request.topic(), partitions, maxInFlight,
                    request.formats());
        }));
    }

    /** How the stream takes its parameters. */
    @Configuration(proxyBeanMethods = false)
    static class Parameters {

        @Bean
        QueryBinder<ShareStreamRequest> shareStreamParameters() {
            return QueryBinder.of(ShareStreamRequest.class, ShareStreamRequest.PARAMETERS,
                    (query, headers) -> ShareStreamRequest.of(query, headers));
        }
    }
}
