package io.sluice.gateway.kafka;

import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.TopicIds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * Topics as Kafka requests name them: by name, or from v13 of Produce and Fetch on by topic id (KIP-516); and a
 * partition as Metadata and DescribeTopicPartitions describe it.
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * A partition as Kafka's clients see it: LEADER_NOT_AVAILABLE while it has no live leader, else led by its leader
     * node itself where that node serves Kafka clients ({@code direct}, the direct data path), or by the gateway
     * broker {@link KafkaBrokers#leaderOf} picks; the replicas whose node is gone, offline.
     */
    public record PartitionView(Errors error, int leaderId, List<Integer> offlineReplicas) {

        public static PartitionView of(MetadataView view, String topic, PartitionState state,
                                       List<BrokerEndpoint> live, Map<Integer, BrokerEndpoint> direct) {
            boolean led = state.hasLeader() && view.node(state.leader()).isPresent();
            int leader = !led ? -1 : direct.containsKey(state.leader()) ? state.leader()
                    : KafkaBrokers.leaderOf(live, topic, state.partition());
            return new PartitionView(led ? Errors.NONE : Errors.LEADER_NOT_AVAILABLE, leader,
                    state.replicas().stream().filter(replica -> view.node(replica).isEmpty()).toList());
        }
    }

    public static Optional<TopicMetadata> byId(MetadataView view, Uuid id) {
        return view.metadata().topics().stream().filter(topic -> TopicIds.of(topic.id()).equals(id)).findFirst();
    }
}
