package io.sluice.gateway.kafka.admin;

import io.sluice.gateway.cluster.ClusterView;
import io.sluice.gateway.kafka.AuthorizedOperations;
import io.sluice.gateway.kafka.KafkaApi;
import io.sluice.gateway.kafka.KafkaBroker;
import io.sluice.gateway.kafka.KafkaBrokers;
import io.sluice.gateway.kafka.KafkaSession;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.kafka.KafkaRequest;
import java.util.List;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * DescribeCluster, as Metadata tells it: the live gateways are the brokers ({@link KafkaBrokers}), the lowest id the
 * controller, under the configured cluster id. Only the brokers' endpoints are served (endpoint type 1): a request for
 * the controllers' endpoints (KIP-919, sent to a KRaft controller) is UNSUPPORTED_ENDPOINT_TYPE, as a Kafka broker
 * answers it. Asked for them, the answer carries the operations the principal may perform on the cluster
 * ({@link AuthorizedOperations}).
 */
@Component
class DescribeClusterApi implements KafkaApi {

    private static final byte BROKERS = 1;

    private final KafkaBroker broker;
    private final KafkaBrokers brokers;
    private final ClusterView cluster;
    private final AuthorizedOperations operations;

    DescribeClusterApi(KafkaBroker broker, KafkaBrokers brokers, ClusterView cluster,
                       AuthorizedOperations operations) {
        this.operations = operations;
        this.broker = broker;
        this.brokers = brokers;
        this.cluster = cluster;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        DescribeClusterRequestData data = ((DescribeClusterRequest) request.body()).data();
        if (data.endpointType() != BROKERS) {
            return Mono.just(new DescribeClusterResponseData().setEndpointType(data.endpointType())
                    .setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Sluice's gateways are brokers: they serve the brokers' endpoints (type 1) only"));
        }
        List<BrokerEndpoint> live = brokers.live();
        DescribeClusterResponseData.DescribeClusterBrokerCollection described =
                new DescribeClusterResponseData.DescribeClusterBrokerCollection();
        KafkaBrokers.all(live, brokers.directLeaders(cluster.current(), live)).forEach(endpoint -> described.add(new DescribeClusterBroker().setBrokerId(endpoint.brokerId())
                .setHost(endpoint.host()).setPort(endpoint.port())));
        return Mono.just(new DescribeClusterResponseData()
                .setEndpointType(BROKERS)
                .setClusterId(broker.clusterId())
                .setControllerId(KafkaBrokers.controllerOf(live))
                .setBrokers(described)
                .setClusterAuthorizedOperations(operations.ofCluster(data.includeClusterAuthorizedOperations(),
                        session)));
    }
}
