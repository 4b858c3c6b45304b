package io.sluice.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.cluster.ClusterView;
import io.sluice.internal.metadata.ClusterMetadata;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.metadata.NodeStatus;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.partition.ListOffsetsRequest;
import io.sluice.internal.partition.ListOffsetsResponse;
import io.sluice.internal.partition.PartitionDataApi;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Offset lookups at partition leaders during a leader change. A node that does not lead answers a lookup with
 * NOT_LEADER in the partition's entry of a successful call (the partition service answers each partition on its
 * own), and such an answer must be re-routed as a failed call is, or an HTTP read from "earliest" fails with 503
 * while a node hands a partition back (seen in AtomicProduceIT in a full build).
 */
class PartitionReaderTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private volatile MetadataView current = view(1, 1);
    private final List<Integer> asked = new CopyOnWriteArrayList<>();
    private final PartitionDataApi partitions = mock(PartitionDataApi.class);
    private final PartitionReader reader = new PartitionReader(
            new Rerouting(cluster(), new GatewayProperties.Rerouting(Duration.ofSeconds(5), Duration.ofMillis(20)),
                    System::nanoTime),
            partitions, mock(ReplicationApi.class), new SimpleMeterRegistry());

    @Test
    void aLookupAnsweredNotLeaderIsMadeAgainAtTheLeaderNewerMetadataNames() {
        leaderAnswers(2, null, 42L);
        // Node 1 answers NOT_LEADER once the gateway has asked it; the metadata then names node 2.
        when(partitions.listOffsets(node(1), request())).thenAnswer(invocation -> {
            asked.add(1);
            current = view(2, 2);
            return Mono.just(answer(ErrorCode.NOT_LEADER, null));
        });

        ListOffsetsResponse.Partition found = reader.listOffset(TP, ListOffsetsRequest.EARLIEST).block();

        assertThat(found.offset()).isEqualTo(42L);
        assertThat(asked).containsExactly(1, 2);
    }

    @Test
    void aLookupAnsweredWithAnErrorThatNoOtherNodeWouldChangeFailsAtOnce() {
        leaderAnswers(1, ErrorCode.INVALID_TIMESTAMP, null);

        assertThatThrownBy(() -> reader.listOffset(TP, ListOffsetsRequest.EARLIEST).block())
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TIMESTAMP));
        assertThat(asked).containsExactly(1);
    }

    /**
     * A topic created a moment ago: the gateway's metadata has it, its leader has not applied that metadata yet and
     * answers UNKNOWN_TOPIC. The lookup is made again after a pause, not failed (a Kafka client's OffsetCommit right
     * after CreateTopics got UNKNOWN_SERVER_ERROR from the commit's check in KafkaAclsIT).
     */
    @Test
    void aLookupAnsweredUnknownTopicByALeaderThatHasNotLearnedOfItYetIsMadeAgain() {
        when(partitions.listOffsets(node(1), request())).thenAnswer(invocation -> {
            asked.add(1);
            return Mono.just(asked.size() == 1 ? answer(ErrorCode.UNKNOWN_TOPIC, null) : answer(null, 42L));
        });

        assertThat(reader.listOffset(TP, ListOffsetsRequest.EARLIEST).block().offset()).isEqualTo(42L);
        assertThat(asked).containsExactly(1, 1);
    }

    /** The same for a partition's bounds (the check of every committed offset), asked with a fetch. */
    @Test
    void boundsAnsweredUnknownPartitionByALeaderThatHasNotLearnedOfItYetAreAskedAgain() {
        when(partitions.fetch(any(), any())).thenAnswer(invocation -> {
            asked.add(1);
            return Mono.just(List.of(asked.size() == 1
                    ? new FetchedPartition(TP, ErrorCode.UNKNOWN_PARTITION, -1, -1, -1, -1, List.of(), EMPTY)
                    : new FetchedPartition(TP, ErrorCode.OFFSET_OUT_OF_RANGE, 5, 5, 2, 7, List.of(), EMPTY)));
        });

        PartitionReader.PartitionBounds bounds = reader.bounds(TP).block();

        assertThat(bounds).isEqualTo(new PartitionReader.PartitionBounds(2, 5, 7));
        assertThat(asked).containsExactly(1, 1);
    }

    private void leaderAnswers(int node, ErrorCode error, Long offset) {
        when(partitions.listOffsets(node(node), request())).thenAnswer(invocation -> {
            asked.add(node);
            return Mono.just(answer(error, offset));
        });
    }

    private static ListOffsetsRequest request() {
        return new ListOffsetsRequest(List.of(new ListOffsetsRequest.Partition("t", 0, ListOffsetsRequest.EARLIEST)),
                false);
    }

    private static ListOffsetsResponse answer(ErrorCode error, Long offset) {
        return new ListOffsetsResponse(List.of(new ListOffsetsResponse.Partition("t", 0, error,
                error == null ? null : "node says " + error, offset, null)));
    }

    /** A gateway's metadata: the test's current view, newer views seen by the next attempt. */
    private ClusterView cluster() {
        ClusterView view = mock(ClusterView.class);
        when(view.current()).thenAnswer(invocation -> current);
        when(view.awaitNewerThan(anyLong(), any())).thenAnswer(invocation -> Mono.fromSupplier(() -> current));
        return view;
    }

    /** Metadata {@code version} in which node {@code leader} leads partition t-0; nodes 1 to 3. */
    private static MetadataView view(long version, int leader) {
        TopicMetadata topic = new TopicMetadata("t", "id", 3, Map.of(),
                List.of(new PartitionState(0, List.of(1, 2, 3), leader, List.of(1, 2, 3), (int) version, 0)));
        return new MetadataView(new ClusterMetadata(version, null, List.of(node(1), node(2), node(3)),
                List.of(topic)));
    }

    private static NodeInfo node(int id) {
        return new NodeInfo(id, "http://127.0.0.1:" + id, null, NodeStatus.ALIVE);
    }
}
