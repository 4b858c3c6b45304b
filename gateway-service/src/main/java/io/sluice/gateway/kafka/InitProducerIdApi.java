package io.sluice.gateway.kafka;

import io.sluice.gateway.routing.ProducerIds;
import io.sluice.kafka.KafkaRequest;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * InitProducerId for idempotent producers: a producer id no one else has (the coordinator hands them out in blocks),
 * at epoch 0. A producer that asks again with its old id and epoch (KIP-360, after it lost track of its sequences)
 * gets a new id, as Kafka gives a producer without a transactional id; the partitions' producer state keeps the old
 * one until it expires. A transactional id is refused: transactions are not built yet.
 */
@Component
class InitProducerIdApi implements KafkaApi {

    private final ProducerIds producerIds;

    InitProducerIdApi(ProducerIds producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public ApiKeys key() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public Mono<ApiMessage> handle(KafkaRequest request, KafkaSession session) {
        InitProducerIdRequestData data = ((InitProducerIdRequest) request.body()).data();
        if (data.transactionalId() != null) {
            return Mono.just(new InitProducerIdResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        return producerIds.forClient().map(id -> new InitProducerIdResponseData().setProducerId(id)
                .setProducerEpoch((short) 0));
    }
}
