package io.sluice.gateway.share;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.security.Authorizer;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.group.GroupIds;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Share groups (KIP-932's queues) over HTTP: take records ({@code acquisitions}) and acknowledge them
 * ({@code acknowledgements}). READ on the group is the authorization filter's; READ on the topics the bodies name is
 * checked here.
 */
@RestController
class ShareGroupController {

    private final ShareAcquisitions acquisitions;
    private final ShareAcknowledgements acknowledgements;
    private final ClusterView cluster;
    private final Authorizer authorizer;
    private final GatewayProperties.Consume settings;

    ShareGroupController(ShareAcquisitions acquisitions, ShareAcknowledgements acknowledgements, ClusterView cluster,
                         Authorizer authorizer, GatewayProperties properties) {
        this.acquisitions = acquisitions;
        this.acknowledgements = acknowledgements;
        this.cluster = cluster;
        this.authorizer = authorizer;
        this.settings = properties.consume();
    }

    @PostMapping("/v1/share-groups/{group}/acquisitions")
    Mono<ShareViews.Acquisitions> acquire(@PathVariable String group, @RequestBody ShareRequests.Acquire request,
                                          ServerWebExchange exchange) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            String topic = request.checkedTopic();
            authorizer.authorizeTopics(exchange, AclOperation.READ, List.of(topic));
            String memberId = ShareRequests.checkedMemberId(request.memberId(), true);
            int maxRecords = request.checkedMaxRecords(settings);
            long maxWaitMs = request.checkedMaxWaitMs(settings);
            List<Integer> partitions = partitions(cluster.topic(topic), request.partitions());
            return acquisitions.acquire(group, memberId, topic, partitions, maxRecords, maxWaitMs,
                            request.formats().maskedAsAsked(exchange.getRequest().getHeaders()))
                    .map(records -> new ShareViews.Acquisitions(memberId, records));
        });
    }

    @PostMapping("/v1/share-groups/{group}/acknowledgements")
    Mono<ShareViews.Acknowledgements> acknowledge(@PathVariable String group,
                                                  @RequestBody ShareRequests.Acknowledge request,
                                                  ServerWebExchange exchange) {
        return Mono.defer(() -> {
            GroupIds.validate(group);
            String memberId = ShareRequests.checkedMemberId(request.memberId(), false);
            List<ShareRequests.Item> items = request.checkedItems();
            authorizer.authorizeTopics(exchange, AclOperation.READ,
                    items.stream().map(ShareRequests.Item::topic).distinct().toList());
            return acknowledgements.acknowledge(group, memberId, items)
                    .map(results -> new ShareViews.Acknowledgements(memberId, results));
        });
    }

    /** The partitions asked for (all of the topic's when absent; an empty list is refused), each one the topic has. */
    static List<Integer> partitions(TopicMetadata topic, List<Integer> asked) {
        List<Integer> all = topic.partitions().stream().map(PartitionState::partition).sorted().toList();
        if (asked == null) {
            return all;
        }
        if (asked.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("partitions, when given, names at least one partition (absent:"
                    + " all of the topic's)");
        }
        for (Integer partition : asked) {
            if (partition == null || !all.contains(partition)) {
                throw ErrorCode.UNKNOWN_PARTITION.exception("Topic '" + topic.name() + "' has no partition "
                        + partition);
            }
        }
        return asked.stream().distinct().toList();
    }
}
