package io.sluice.internal.partition;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.protocol.Acks;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The partition data API as a gateway calls it on a partition's leader: append record batches, read them back, look
 * up offsets, delete records below an offset. A failure is a {@link io.sluice.protocol.SluiceException}: LEADER_NOT_AVAILABLE when the node could not
 * be reached before anything was sent (safe to re-route), REQUEST_TIMED_OUT when the outcome is unknown, else the
 * leader's own error code.
 */
public interface PartitionDataApi {

    /** Appends each partition's batches at {@code leader}; {@code timeout} bounds acks=all waiting there. */
    Mono<ProduceResponse> produce(NodeInfo leader, List<PartitionBatches> batches, Acks acks, Duration timeout);

    Mono<List<FetchResponseCodec.FetchedPartition>> fetch(NodeInfo leader, FetchRequest request);

    Mono<ListOffsetsResponse> listOffsets(NodeInfo leader, ListOffsetsRequest request);

    /** Moves log start offsets at {@code leader} (Kafka's DeleteRecords); safe to repeat. */
    Mono<DeleteRecordsResponse> deleteRecords(NodeInfo leader, DeleteRecordsRequest request);

    /** The producers the partitions' producer state holds at {@code leader} (Kafka's DescribeProducers). */
    Mono<DescribeProducersResponse> describeProducers(NodeInfo leader, DescribeProducersRequest request);

    /** The replicas {@code node} holds, their sizes and offsets, and its throughput. */
    Mono<NodeStats> nodeStats(NodeInfo node);
}
