package io.sluice.internal.partition;

import java.util.List;

/**
 * Kafka's DescribeProducers as a gateway asks a partition leader: the producers each named partition's producer state
 * holds. Changes nothing.
 */
public record DescribeProducersRequest(List<Partition> partitions) {

    public DescribeProducersRequest {
        partitions = List.copyOf(partitions);
    }

    public record Partition(String topic, int partition) {
    }
}
