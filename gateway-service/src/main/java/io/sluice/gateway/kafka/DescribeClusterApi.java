package io.sluice.gateway.kafka;

import io.sluice.kafka.KafkaRequest;
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
 * DescribeCluster, as Metadata tells it ({@link KafkaBroker}): this gateway is the cluster's one broker and its
 * controller, under the configured cluster id. Only the brokers' endpoints are served (endpoint type 1): a request for
 * the controllers' endpoints (KIP-919, sent to a KRaft controller) is UNSUPPORTED_ENDPOINT_TYPE, as a Kafka broker
 * answers it. The cluster's authorized operations are not computed (Integer.MIN_VALUE, "not provided") until the
 * listener authenticates its clients.
 */
@Component
class DescribeClusterApi implements KafkaApi {

    private static final byte BROKERS = 1;

    private final KafkaBroker broker;

    DescribeClusterApi(KafkaBroker broker) {
        this.broker = broker;
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
        DescribeClusterResponseData.DescribeClusterBrokerCollection brokers =
                new DescribeClusterResponseData.DescribeClusterBrokerCollection();
        brokers.add(new DescribeClusterBroker().setBrokerId(broker.nodeId()).setHost(broker.advertisedHost())
                .setPort(broker.advertisedPort()));
        return Mono.just(new DescribeClusterResponseData()
                .setEndpointType(BROKERS)
                .setClusterId(broker.clusterId())
                .setControllerId(broker.nodeId())
                .setBrokers(brokers)
                .setClusterAuthorizedOperations(Integer.MIN_VALUE));
    }
}
