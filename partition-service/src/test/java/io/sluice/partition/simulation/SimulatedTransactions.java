package io.sluice.partition.simulation;

import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.PartitionState;
import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceRequestCodec;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.partition.WriteMarkersRequest;
import io.sluice.internal.partition.WriteMarkersResponse;
import io.sluice.internal.txn.TxnVerifyRequest;
import io.sluice.internal.txn.TxnVerifyResponse;
import io.sluice.partition.simulation.ReadCommittedChecker.Txn;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import reactor.core.publisher.Mono;

/**
 * Transactional producers and the transaction coordinator's marker writing, in a {@link SimulatedCluster}. A producer
 * runs one transaction at a time: it names the transaction's partitions first (as AddPartitionsToTxn does), writes
 * one to four transactional batches to them, acks=all, each to the leader its metadata names, then ends it —
 * committing or aborting at random, and aborting when a write failed. After a failed write the producer cannot know
 * its sequence there, so its next transaction starts a new epoch at sequence 0 (as Kafka's producer bumps its epoch).
 * The coordinator writes the outcome's marker to every partition of the transaction through the leader's
 * WriteTxnMarkers service, retrying across leader changes until each is acknowledged (once the high watermark passed
 * it); only then does the producer begin its next transaction. What happened goes to the {@link ReadCommittedChecker}.
 *
 * <p>The coordinator also answers the leaders' verifications (KIP-890 part 1, {@link #verify}): a batch may open a
 * transaction at a partition only while its producer's transaction at that epoch names the partition and has not been
 * decided. A batch delayed past its transaction's end (its producer gave up on it) is then refused instead of opening
 * a transaction that no marker would end.
 */
final class SimulatedTransactions {

    private static final int PRODUCERS = 3;
    private static final long FIRST_PRODUCER_ID = 1_000;
    private static final int COORDINATOR_EPOCH = 0;
    private static final double COMMIT = 0.7;

    private final SimulatedCluster cluster;
    private final Simulation sim;
    private final ReadCommittedChecker checker;
    private final int partitions;
    private final Map<String, Integer> outcomes = new HashMap<>();
    /** Each producer's transaction as the coordinator knows it, until it is decided. */
    private final Map<Long, Open> open = new HashMap<>();

    SimulatedTransactions(SimulatedCluster cluster, ReadCommittedChecker checker, int partitions) {
        this.cluster = cluster;
        this.sim = cluster.sim();
        this.checker = checker;
        this.partitions = partitions;
    }

    /** How the transactions ended: committed, aborted by their producer, aborted after a failed write. */
    Map<String, Integer> outcomes() {
        return outcomes;
    }

    /**
     * The coordinator learns of a transaction that a test writes on its own (as AddPartitionsToTxn tells it), so that
     * the leaders' verification lets its batches open it.
     */
    void declare(long producerId, short producerEpoch, int... partitions) {
        open.put(producerId, new Open(producerEpoch, Arrays.stream(partitions).boxed().toList()));
    }

    /** The coordinator's answer to a leader's verification, across the link from {@code caller} to the coordinator. */
    Mono<TxnVerifyResponse> verify(SimulatedNode caller, TxnVerifyRequest request) {
        return cluster.callCoordinator(caller, "verify", () -> {
            List<TxnVerifyResponse.Failure> failures = new ArrayList<>();
            for (TxnVerifyRequest.Check check : request.checks()) {
                Open txn = open.get(check.producerId());
                if (txn == null || txn.epoch() != check.producerEpoch()
                        || !txn.partitions().contains(check.partition())) {
                    failures.add(new TxnVerifyResponse.Failure(check.producerId(), check.producerEpoch(),
                            check.topic(), check.partition(), ErrorCode.INVALID_TXN_STATE, "not in an open transaction"));
                }
            }
            return new TxnVerifyResponse(failures);
        });
    }

    void start() {
        for (int id = 0; id < PRODUCERS; id++) {
            Producer producer = new Producer(id);
            sim.schedule(sim.between(1, 50), "transactional producer " + id, () -> begin(producer));
        }
    }

    private void begin(Producer producer) {
        if (!cluster.producing()) {
            return;
        }
        SortedSet<Integer> named = new TreeSet<>();
        while (named.isEmpty()) {
            for (int p = 0; p < partitions; p++) {
                if (sim.chance(0.6)) {
                    named.add(p);
                }
            }
        }
        Txn txn = checker.begin("t" + producer.id + "." + producer.transactions++, producer.producerId,
                producer.epoch, named);
        open.put(producer.producerId, new Open(producer.epoch, List.copyOf(named)));
        write(producer, txn, 1 + sim.random.nextInt(4));
    }

    /** Writes the next of the transaction's {@code remaining} batches, or ends it when none remains. */
    private void write(Producer producer, Txn txn, int remaining) {
        if (remaining == 0) {
            end(producer, txn, sim.chance(COMMIT), "by its producer");
            return;
        }
        List<Integer> named = List.copyOf(txn.partitions);
        int partition = named.get(sim.random.nextInt(named.size()));
        if (producer.view == null || sim.nowMs() - producer.refreshedAtMs > 500) {
            producer.view = new MetadataView(cluster.metadata());
            producer.refreshedAtMs = sim.nowMs();
        }
        PartitionState state = producer.view.partition(new TopicPartition(SimulatedCluster.TOPIC, partition))
                .orElseThrow();
        if (!state.hasLeader()) {
            producer.view = null; // a producer waits for a leader
            sim.schedule(50, "transactional producer " + producer.id, () -> write(producer, txn, remaining));
            return;
        }
        List<String> values = new ArrayList<>();
        int count = 1 + sim.random.nextInt(3);
        for (int i = 0; i < count; i++) {
            values.add(txn.id + "-" + (txn.writes.size() + i));
        }
        int sequence = producer.sequences.getOrDefault(partition, 0);
        ByteBuffer body = ProduceRequestCodec.encode(List.of(new PartitionBatches(
                new TopicPartition(SimulatedCluster.TOPIC, partition), state.leaderEpoch(),
                batch(producer, txn, sequence, values))));
        checker.sending(txn, partition, values);
        cluster.call(null, state.leader(), "transactional produce",
                        target -> target.produce.produce(body, Acks.ALL, Duration.ofSeconds(2)))
                .subscribe(response -> {
                    ProduceResponse.PartitionResult result = response.partitions().getFirst();
                    if (result.errorCode() == null) {
                        producer.sequences.put(partition, sequence + count);
                        checker.acked(txn, partition, values, result.baseOffset());
                        sim.schedule(sim.between(1, 20), "transactional producer " + producer.id,
                                () -> write(producer, txn, remaining - 1));
                    } else {
                        failed(producer, txn);
                    }
                }, error -> failed(producer, txn));
    }

    private void failed(Producer producer, Txn txn) {
        producer.view = null;
        producer.epoch++;
        producer.sequences.clear();
        end(producer, txn, false, "after a failed write");
    }

    /** The producer ends the transaction; the coordinator writes its markers, then the producer begins the next. */
    private void end(Producer producer, Txn txn, boolean commit, String how) {
        outcomes.merge(commit ? "committed" : "aborted " + how, 1, Integer::sum);
        open.remove(producer.producerId);
        checker.decided(txn, commit);
        int[] pending = {txn.partitions.size()};
        for (int partition : txn.partitions) {
            writeMarker(txn, commit, partition, () -> {
                if (--pending[0] == 0) {
                    checker.completed(txn);
                    sim.schedule(sim.between(5, 50), "transactional producer " + producer.id, () -> begin(producer));
                }
            });
        }
    }

    /** The coordinator writes one marker to the partition's current leader, again and again until it is committed. */
    private void writeMarker(Txn txn, boolean commit, int partition, Runnable written) {
        PartitionState state = cluster.partitionState(partition);
        Runnable retry = () -> sim.schedule(sim.between(50, 200), "marker retry " + txn.id,
                () -> writeMarker(txn, commit, partition, written));
        if (!state.hasLeader()) {
            retry.run();
            return;
        }
        WriteMarkersRequest request = new WriteMarkersRequest(2_000, List.of(new WriteMarkersRequest.Marker(
                txn.producerId, txn.producerEpoch, COORDINATOR_EPOCH, commit, List.of(new WriteMarkersRequest.Partition(
                        SimulatedCluster.TOPIC, partition, state.leaderEpoch())))));
        cluster.callFromCoordinator(state.leader(), "markers", target -> target.markers.writeMarkers(request))
                .subscribe(response -> {
                    WriteMarkersResponse.Partition answer = response.markers().getFirst().partitions().getFirst();
                    if (answer.errorCode() == null) {
                        written.run();
                    } else {
                        retry.run();
                    }
                }, error -> retry.run());
    }

    private static ByteBuffer batch(Producer producer, Txn txn, int sequence, List<String> values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE)
                .producer(producer.producerId, txn.producerEpoch, sequence).transactional(true);
        for (String value : values) {
            builder.append(0L, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** An open transaction's epoch and partitions. */
    private record Open(short epoch, List<Integer> partitions) {
    }

    /** A transactional producer: its id, epoch, next sequence per partition and metadata (null: to be refreshed). */
    private static final class Producer {
        final int id;
        final long producerId;
        short epoch;
        int transactions;
        final Map<Integer, Integer> sequences = new HashMap<>();
        MetadataView view;
        long refreshedAtMs;

        Producer(int id) {
            this.id = id;
            this.producerId = FIRST_PRODUCER_ID + id;
        }
    }
}
