package io.sluice.gateway.routing;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.partition.DeleteRecordsRequest;
import io.sluice.internal.partition.DeleteRecordsResponse;
import io.sluice.internal.partition.DescribeProducersRequest;
import io.sluice.internal.partition.DescribeProducersResponse;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.NodeStats;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Partition leaders whose produce answers the test gives, call by call: each internal produce request is held until
 * {@link #answer} (offsets assigned per partition in entry order, one record per entry) or {@link #fail}. Not
 * thread-safe: tests drive it from one thread.
 */
final class ScriptedLeader implements PartitionDataApi {

    static final NodeInfo NODE = new NodeInfo(1, "http://127.0.0.1:1", null, NodeStatus.ALIVE, null);
    static final NodeInfo OTHER_NODE = new NodeInfo(2, "http://127.0.0.1:2", null, NodeStatus.ALIVE, null);

    /**
     * One internal produce request as the leader received it, how many earlier ones were still unanswered then
     * ({@code inFlightBefore}) and their partitions ({@code partitionsInFlight}).
     */
    record Call(NodeInfo leader, List<PartitionBatches> entries, Acks acks, Duration timeout,
                Sinks.One<ProduceResponse> answer, int inFlightBefore, Set<TopicPartition> partitionsInFlight) {

        List<TopicPartition> partitions() {
            return entries.stream().map(PartitionBatches::partition).toList();
        }

        long bytes() {
            return entries.stream().mapToLong(entry -> entry.batches().remaining()).sum();
        }
    }

    private final List<Call> calls = new ArrayList<>();
    private final Set<Integer> settled = new HashSet<>();
    private final Map<TopicPartition, Long> logEnds = new HashMap<>();
    private final Map<ByteBuffer, Object> outcomes = new IdentityHashMap<>();

    List<Call> calls() {
        return calls;
    }

    boolean settled(int index) {
        return settled.contains(index);
    }

    /**
     * What the leader answered for the entry whose batches are {@code batches} (by identity): its
     * {@link ProduceResponse.PartitionResult}, the exception that failed its whole request, or null when not answered.
     */
    Object outcome(ByteBuffer batches) {
        return outcomes.get(batches);
    }

    Call call(int index) {
        return calls.get(index);
    }

    /** Answers call {@code index}: every entry written. */
    void answer(int index) {
        answer(index, entry -> null);
    }

    /** Answers call {@code index}, each entry refused with the code {@code refusal} gives, or written when null. */
    void answer(int index, Function<PartitionBatches, ErrorCode> refusal) {
        Call call = calls.get(index);
        List<ProduceResponse.PartitionResult> results = new ArrayList<>();
        for (PartitionBatches entry : call.entries()) {
            TopicPartition tp = entry.partition();
            ErrorCode code = refusal.apply(entry);
            if (code != null) {
                results.add(new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), code,
                        code.description(), null, null, null, null));
            } else if (call.acks() == Acks.NONE) {
                results.add(new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), null, null, null, null,
                        null, null));
            } else {
                long offset = logEnds.merge(tp, 1L, Long::sum) - 1;
                results.add(new ProduceResponse.PartitionResult(tp.topic(), tp.partition(), null, null, offset, offset,
                        null, 0L));
            }
        }
        for (int i = 0; i < results.size(); i++) {
            outcomes.put(call.entries().get(i).batches(), results.get(i));
        }
        answer(index, new ProduceResponse(results));
    }

    /** Answers call {@code index} with {@code response} as it is. */
    void answer(int index, ProduceResponse response) {
        settled.add(index);
        calls.get(index).answer().tryEmitValue(response);
    }

    /** Fails call {@code index} as a whole. */
    void fail(int index, SluiceException error) {
        settled.add(index);
        calls.get(index).entries().forEach(entry -> outcomes.put(entry.batches(), error));
        calls.get(index).answer().tryEmitError(error);
    }

    @Override
    public Mono<ProduceResponse> produce(NodeInfo leader, List<PartitionBatches> batches, Acks acks, Duration timeout) {
        Sinks.One<ProduceResponse> answer = Sinks.one();
        Set<TopicPartition> partitionsInFlight = new HashSet<>();
        for (int i = 0; i < calls.size(); i++) {
            if (!settled.contains(i)) {
                partitionsInFlight.addAll(calls.get(i).partitions());
            }
        }
        calls.add(new Call(leader, List.copyOf(batches), acks, timeout, answer, calls.size() - settled.size(),
                Set.copyOf(partitionsInFlight)));
        return answer.asMono();
    }

    @Override
    public Mono<List<FetchResponseCodec.FetchedPartition>> fetch(NodeInfo leader, FetchRequest request) {
        return Mono.error(new UnsupportedOperationException("not scripted"));
    }

    @Override
    public Mono<ListOffsetsResponse> listOffsets(NodeInfo leader, ListOffsetsRequest request) {
        return Mono.error(new UnsupportedOperationException("not scripted"));
    }

    @Override
    public Mono<DeleteRecordsResponse> deleteRecords(NodeInfo leader, DeleteRecordsRequest request) {
        return Mono.error(new UnsupportedOperationException("not scripted"));
    }

    @Override
    public Mono<DescribeProducersResponse> describeProducers(NodeInfo leader, DescribeProducersRequest request) {
        return Mono.error(new UnsupportedOperationException("not scripted"));
    }

    @Override
    public Mono<NodeStats> nodeStats(NodeInfo node) {
        return Mono.error(new UnsupportedOperationException("not scripted"));
    }
}
