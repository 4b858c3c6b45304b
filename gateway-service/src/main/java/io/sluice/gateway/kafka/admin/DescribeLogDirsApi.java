package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.admin.ClusterOverview;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.partition.NodeStats;
import io.sluice.kafka.KafkaRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DescribeLogDirs, from the partition services' own report of what they hold ({@link ClusterOverview#nodeStats}, one
 * call per live node, the figures the HTTP API's topic and node sizes come from). This gateway is the one broker, so
 * its "log dirs" are the partition services: one dir per node that answered in time, named
 * {@code partition-service-<node id>}, listing the replicas it holds of the topics asked for (all when the request
 * names none) with their bytes on disk and, as Kafka reports a replica's lag, how far its log end is below the
 * high watermark. A node that did not answer is left out; the dirs' total and usable bytes are not known (-1).
 */
@Component
class DescribeLogDirsApi implements KafkaApi {

    private final ClusterOverview overview;

    DescribeLogDirsApi(ClusterOverview overview) {
        this.overview = overview;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeLogDirsRequestData data = ((DescribeLogDirsRequest) request.body()).data();
        return overview.nodeStats().map(byNode -> {
            List<DescribeLogDirsResult> dirs = new ArrayList<>();
            byNode.keySet().stream().sorted().forEach(node -> dirs.add(new DescribeLogDirsResult()
                    .setLogDir("partition-service-" + node)
                    .setTopics(topics(byNode.get(node), data.topics()))
                    .setTotalBytes(-1)
                    .setUsableBytes(-1)));
            return new DescribeLogDirsResponseData().setResults(dirs);
        });
    }

    /** The node's replicas that {@code asked} names (all when null), by topic. */
    private static List<DescribeLogDirsTopic> topics(NodeStats node,
                                                     DescribeLogDirsRequestData.DescribableLogDirTopicCollection asked) {
        Map<String, DescribeLogDirsTopic> topics = new LinkedHashMap<>();
        for (NodeStats.Replica replica : node.replicas()) {
            if (asked != null) {
                DescribableLogDirTopic topic = asked.find(replica.topic());
                if (topic == null || !topic.partitions().contains(replica.partition())) {
                    continue;
                }
            }
            topics.computeIfAbsent(replica.topic(), name -> new DescribeLogDirsTopic().setName(name)
                            .setPartitions(new ArrayList<>()))
                    .partitions().add(new DescribeLogDirsPartition()
                            .setPartitionIndex(replica.partition())
                            .setPartitionSize(replica.sizeBytes())
                            .setOffsetLag(Math.max(0, replica.highWatermark() - replica.logEndOffset()))
                            .setIsFutureKey(false));
        }
        return new ArrayList<>(topics.values());
    }
}
