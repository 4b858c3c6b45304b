package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.AuthorizedOperations;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBroker;
import io.sluice.gateway.kafka.KafkaBrokers;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.gateway.kafka.KafkaTopics;
import io.sluice.gateway.kafka.TopicAccess;
import io.sluice.gateway.produce.TopicAutoCreator;
import io.sluice.internal.acl.AclOperation;
import io.sluice.internal.acl.ResourceType;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.kafka.KafkaErrors;
import io.sluice.kafka.KafkaRequest;
import io.sluice.kafka.TopicIds;
import io.sluice.protocol.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Metadata: the live gateways as the brokers ({@link KafkaBrokers}), with the partition services that serve Kafka
 * clients themselves (the direct data path, {@link KafkaBrokers#directLeaders}), and the topics asked for (all of them when the
 * request names none) from the gateway's metadata view, each partition led by its leader node where that serves
 * Kafka clients, else by the gateway {@link KafkaBrokers#leaderOf} picks, at the partition's real leader epoch, or LEADER_NOT_AVAILABLE while it has no live leader. A topic asked for that does not exist is
 * UNKNOWN_TOPIC_OR_PARTITION, unless the request allows auto-creation and so does the gateway
 * ({@code sluice.gateway.auto-create-topics.enabled}, as for an HTTP produce) and the principal may create it: then
 * it is created first. A topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED when named (whether it
 * exists or not) and left out of a listing of all topics. Asked for them, each topic carries the operations the
 * principal may perform on it, and (versions 8 to 10) the cluster its own ({@link AuthorizedOperations}).
 */
@Component
class MetadataApi implements KafkaApi {

    private final ClusterView cluster;
    private final KafkaBroker broker;
    private final KafkaBrokers brokers;
    private final TopicAutoCreator autoCreator;
    private final TopicAccess access;
    private final AuthorizedOperations operations;

    MetadataApi(ClusterView cluster, KafkaBroker broker, KafkaBrokers brokers, TopicAutoCreator autoCreator,
                TopicAccess access, AuthorizedOperations operations) {
        this.operations = operations;
        this.cluster = cluster;
        this.broker = broker;
        this.brokers = brokers;
        this.autoCreator = autoCreator;
        this.access = access;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.METADATA;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        MetadataRequestData data = ((MetadataRequest) request.body()).data();
        List<BrokerEndpoint> gateways = brokers.live();
        Map<Integer, BrokerEndpoint> direct = brokers.directLeaders(cluster.current(), gateways);
        Mono<List<MetadataResponseTopic>> topics;
        if (data.topics() == null) {
            topics = Mono.fromSupplier(() -> {
                MetadataView view = cluster.current();
                return view.metadata().topics().stream()
                        .filter(topic -> access.describable(session, topic.name()))
                        .map(topic -> describe(view, topic, gateways, direct)).toList();
            });
        } else {
            topics = Flux.fromIterable(data.topics())
                    .concatMap(asked -> topic(asked, data.allowAutoTopicCreation(), request, session, gateways,
                            direct))
                    .collectList();
        }
        return topics.map(described -> {
            described.stream().filter(topic -> topic.errorCode() == Errors.NONE.code() && topic.name() != null)
                    .forEach(topic -> topic.setTopicAuthorizedOperations(operations.of(
                            data.includeTopicAuthorizedOperations(), session, ResourceType.TOPIC, topic.name())));
            return response(described, gateways, direct)
                    .setClusterAuthorizedOperations(operations.ofCluster(data.includeClusterAuthorizedOperations(),
                            session));
        });
    }

    private Mono<MetadataResponseTopic> topic(MetadataRequestData.MetadataRequestTopic asked, boolean autoCreate,
                                              KafkaRequest request, KafkaSession session,
                                              List<BrokerEndpoint> live, Map<Integer, BrokerEndpoint> direct) {
        MetadataView view = cluster.current();
        if (asked.name() == null) {
            Uuid id = asked.topicId();
            return Mono.just(KafkaTopics.byId(view, id)
                    .filter(topic -> access.describable(session, topic.name()))
                    .map(topic -> describe(view, topic, live, direct))
                    .orElseGet(() -> new MetadataResponseTopic().setTopicId(id)
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
        }
        String name = asked.name();
        if (!TopicNames.isValid(name)) {
            return Mono.just(error(name, Errors.INVALID_TOPIC_EXCEPTION));
        }
        if (!access.allowed(session, request, AclOperation.DESCRIBE, name)) {
            return Mono.just(error(name, Errors.TOPIC_AUTHORIZATION_FAILED));
        }
        if (view.topic(name).isPresent()) {
            return Mono.just(describe(view, view.topic(name).get(), live, direct));
        }
        if (!autoCreate || !access.mayCreate(session, request, name)) {
            return Mono.just(error(name, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        return autoCreator.topic(name)
                .map(created -> describe(cluster.current(), created, live, direct))
                .onErrorResume(e -> Mono.just(error(name, Errors.forException(KafkaErrors.exception(e)))));
    }

    private static MetadataResponseTopic describe(MetadataView view, TopicMetadata topic, List<BrokerEndpoint> live,
                                                  Map<Integer, BrokerEndpoint> direct) {
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitions().size());
        for (PartitionState state : topic.partitions()) {
            KafkaTopics.PartitionView seen = KafkaTopics.PartitionView.of(view, topic.name(), state, live,
                    direct);
            partitions.add(new MetadataResponsePartition()
                    .setPartitionIndex(state.partition())
                    .setErrorCode(seen.error().code())
                    .setLeaderId(seen.leaderId())
                    .setLeaderEpoch(state.leaderEpoch())
                    .setReplicaNodes(state.replicas())
                    .setIsrNodes(state.isr())
                    .setOfflineReplicas(seen.offlineReplicas()));
        }
        return new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(TopicIds.of(topic.id()))
                .setIsInternal(false)
                .setPartitions(partitions);
    }

    private static MetadataResponseTopic error(String name, Errors error) {
        return new MetadataResponseTopic().setName(name).setErrorCode(error.code());
    }

    private MetadataResponseData response(List<MetadataResponseTopic> topics, List<BrokerEndpoint> live,
                                          Map<Integer, BrokerEndpoint> direct) {
        MetadataResponseData.MetadataResponseBrokerCollection brokers =
                new MetadataResponseData.MetadataResponseBrokerCollection();
        KafkaBrokers.all(live, direct).forEach(endpoint -> brokers.add(new MetadataResponseBroker().setNodeId(endpoint.brokerId())
                .setHost(endpoint.host()).setPort(endpoint.port())));
        MetadataResponseData.MetadataResponseTopicCollection collection =
                new MetadataResponseData.MetadataResponseTopicCollection();
        topics.forEach(collection::add);
        return new MetadataResponseData()
                .setBrokers(brokers)
                .setClusterId(broker.clusterId())
                .setControllerId(KafkaBrokers.controllerOf(live))
                .setTopics(collection);
    }
}
