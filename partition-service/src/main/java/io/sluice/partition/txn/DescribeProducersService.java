package io.sluice.partition.txn;

import io.sluice.internal.partition.DescribeProducersRequest;
import io.sluice.internal.partition.DescribeProducersResponse;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.log.ProducerDescription;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Kafka's DescribeProducers at a partition leader: per partition, the producers its producer state holds, as
 * {@code kafka-transactions describe-producers}, {@code find-hanging} and {@code abort} read them. Only a leader
 * answers; a partition this node does not lead answers NOT_LEADER. The state is
 * read under the log's writer lock, so on the log scheduler.
 */
@Service
class DescribeProducersService {

    private final ReplicaManager replicas;
    private final Scheduler logScheduler;

    DescribeProducersService(ReplicaManager replicas, Scheduler logScheduler) {
        this.replicas = replicas;
        this.logScheduler = logScheduler;
    }

    Mono<DescribeProducersResponse> describeProducers(DescribeProducersRequest request) {
        return Mono.fromCallable(() -> new DescribeProducersResponse(request.partitions().stream()
                        .map(this::describe).toList()))
                .subscribeOn(logScheduler);
    }

    private DescribeProducersResponse.Partition describe(DescribeProducersRequest.Partition asked) {
        TopicPartition tp = new TopicPartition(asked.topic(), asked.partition());
        try {
            List<DescribeProducersResponse.Producer> producers = replicas.leaderPartition(tp, PartitionBatches.ANY_EPOCH).log().describeProducers()
                    .stream().map(DescribeProducersService::producer).toList();
            return new DescribeProducersResponse.Partition(tp.topic(), tp.partition(), null, null, producers);
        } catch (SluiceException e) {
            return new DescribeProducersResponse.Partition(tp.topic(), tp.partition(), e.errorCode(), e.getMessage(),
                    null);
        }
    }

    private static DescribeProducersResponse.Producer producer(ProducerDescription producer) {
        return new DescribeProducersResponse.Producer(producer.producerId(), producer.producerEpoch(),
                producer.lastSequence(), producer.lastTimestamp(), producer.coordinatorEpoch(),
                producer.currentTxnStartOffset());
    }
}
