package io.sluice.partition.kafka;

import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.partition.NodeStats;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.LogDirs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * DescribeLogDirs at a node that is a broker of its own (the direct data path): Kafka's Admin asks each broker for the
 * directories it holds, and this node holds one, its data directory, with its replicas ({@link LogDirs}, as a gateway
 * describes the nodes behind it). Forwarded, the question would reach a gateway, which lists only the nodes that are
 * no brokers. Needs DESCRIBE on the cluster: CLUSTER_AUTHORIZATION_FAILED otherwise, as Kafka answers.
 */
final class DirectLogDirs {

    private final Supplier<NodeStats> stats;

    DirectLogDirs(Supplier<NodeStats> stats) {
        this.stats = stats;
    }

    /** Whether this node answers requests of {@code api} itself. */
    static boolean handles(ApiKeys api) {
        return api == ApiKeys.DESCRIBE_LOG_DIRS;
    }

    Mono<ApiMessage> handle(KafkaRequest request, Access access) {
        if (!access.cluster(request, AclOperation.DESCRIBE)) {
            return Mono.just(request.errorResponse(new ClusterAuthorizationException(
                    access.principal() + " may not DESCRIBE the cluster")));
        }
        var asked = ((DescribeLogDirsRequest) request.body()).data().topics();
        // The file store's sizes are a file system call: off the connection's event loop.
        return Mono.fromSupplier(stats)
                .subscribeOn(Schedulers.boundedElastic())
                .map(node -> new DescribeLogDirsResponseData().setResults(new ArrayList<>(
                        List.of(LogDirs.describe(node.logDir().path(), node, asked)))));
    }
}
