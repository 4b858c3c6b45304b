package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.ClusterOverview;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBroker;
import io.sluice.gateway.kafka.KafkaBrokers;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.partition.NodeStats;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.LogDirs;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DescribeLogDirs at a gateway. Kafka's Admin asks it of each broker it names, and each broker answers for the
 * directories it holds, so that every replica is listed under the one broker that holds it:
 *
 * <ul>
 *   <li>A partition service that is a broker of its own (the direct data path) answers for its directory itself, at
 *       its own listener; a gateway lists it nowhere.</li>
 *   <li>The other partition services' replicas are behind the gateways, so the controller gateway lists their
 *       directories (one per node, named {@code partition-service-<node id>:<its data directory>}, since nodes on
 *       other machines may use the same path), the other gateways none — as ListTransactions is answered.</li>
 *   <li>A gateway with no node's directory to list answers one empty directory of its own ({@link #withoutReplicas}).
 *       </li>
 * </ul>
 *
 * Each directory comes from its node's own report ({@link ClusterOverview#nodeStats}, asked of just those nodes, at
 * once): its replicas with their sizes and lag, and its file store's total and usable bytes ({@link LogDirs}). A node
 * that did not answer in time is left out. DESCRIBE on the cluster is checked before ({@code AdminAccess}).
 */
@Component
class DescribeLogDirsApi implements KafkaApi {

    private final ClusterOverview overview;
    private final KafkaBrokers brokers;
    private final ClusterView cluster;
    private final KafkaBroker self;

    DescribeLogDirsApi(ClusterOverview overview, KafkaBrokers brokers, ClusterView cluster, KafkaBroker self) {
        this.self = self;
        this.overview = overview;
        this.brokers = brokers;
        this.cluster = cluster;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeLogDirsRequestData data = ((DescribeLogDirsRequest) request.body()).data();
        if (!brokers.isController()) {
            return Mono.just(withoutReplicas());
        }
        List<BrokerEndpoint> live = brokers.live();
        Set<Integer> ownBrokers = brokers.directLeaders(cluster.current(), live).keySet();
        return overview.nodeStats(node -> !ownBrokers.contains(node.id())).map(byNode -> {
            if (byNode.isEmpty()) {
                return withoutReplicas();
            }
            var answer = new DescribeLogDirsResponseData();
            byNode.keySet().stream().sorted().map(byNode::get).forEach(node -> answer.results().add(
                    LogDirs.describe(name(node), node, data.topics())));
            return answer;
        });
    }

    /**
     * The answer of a gateway that lists no node's directory: one directory of its own, {@code gateway-<broker id>},
     * holding nothing, its sizes unknown (-1). Kafka's Admin takes an answer without directories for a refusal
     * (CLUSTER_AUTHORIZATION_FAILED), as a Kafka broker always has one.
     */
    private DescribeLogDirsResponseData withoutReplicas() {
        var answer = new DescribeLogDirsResponseData();
        answer.results().add(new DescribeLogDirsResponseData.DescribeLogDirsResult()
                .setLogDir("gateway-" + self.nodeId()).setTotalBytes(-1).setUsableBytes(-1));
        return answer;
    }

    /** {@code partition-service-<id>:<path>}; a node older than the path's report: {@code partition-service-<id>}. */
    private static String name(NodeStats node) {
        String id = "partition-service-" + node.nodeId();
        return node.logDir() == null ? id : id + ":" + node.logDir().path();
    }
}
