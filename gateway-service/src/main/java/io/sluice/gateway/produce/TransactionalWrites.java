package io.sluice.gateway.produce;

import io.sluice.gateway.routing.BatchRouter;
import io.sluice.gateway.routing.PartitionOutcome;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writing records that name their topics into a transaction, as the gateway does for an atomic produce
 * ({@link AtomicProduce}) and for a write into an HTTP transaction ({@link HttpTransactions}): every record checked
 * before anything is sent, each topic's batches stamped with the transaction's producer, epoch and sequences and sent
 * with acks=all ({@link BatchRouter#sendIdempotent}: re-sent after a leader change, never written twice), and the
 * outcome told record by record.
 */
@Component
class TransactionalWrites {

    private final TopicAutoCreator topics;
    private final RecordEncoder encoder;
    private final BatchRouter router;

    TransactionalWrites(TopicAutoCreator topics, RecordEncoder encoder, BatchRouter router) {
        this.topics = topics;
        this.encoder = encoder;
        this.router = router;
    }

    /** One record written, in request order. */
    record Written(String topic, int partition, long offset, long timestamp) {
    }

    /** The records of one topic: where each request index went. */
    record TopicPart(TopicMetadata topic, List<Integer> requestIndexes, List<ProduceRecord> records,
                     List<Integer> assigned) {

        /** How many records each partition of the topic gets. */
        Map<TopicPartition, Integer> counts() {
            Map<TopicPartition, Integer> counts = new LinkedHashMap<>();
            assigned.forEach(partition -> counts.merge(new TopicPartition(topic.name(), partition), 1, Integer::sum));
            return counts;
        }
    }

    /** A write's records checked and assigned to partitions, and what became of them once sent. */
    record Outcome(List<TopicPart> parts, Map<String, Map<Integer, PartitionOutcome>> byTopic) {

        /** The first partition not written, as the error to answer with; null when every one was. */
        SluiceException failure() {
            for (TopicPart part : parts) {
                Map<Integer, PartitionOutcome> outcomes = byTopic.getOrDefault(part.topic().name(), Map.of());
                for (int partition : part.assigned().stream().distinct().toList()) {
                    PartitionOutcome outcome = outcomes.get(partition);
                    SluiceException error = outcome == null
                            ? ErrorCode.REQUEST_TIMED_OUT.exception("No answer for partition " + partition)
                            : outcome.error();
                    if (error != null) {
                        return error.errorCode().exception("Partition " + partition + " of topic '"
                                + part.topic().name() + "' was not written: " + error.getMessage());
                    }
                }
            }
            return null;
        }

        /** Where each record landed, in request order; only when {@link #failure} is null. */
        List<Written> written(int recordCount) {
            Written[] results = new Written[recordCount];
            for (TopicPart part : parts) {
                Map<Integer, Integer> seen = new LinkedHashMap<>();
                for (int k = 0; k < part.records().size(); k++) {
                    int partition = part.assigned().get(k);
                    int position = seen.merge(partition, 1, Integer::sum) - 1;
                    ProduceResponse.PartitionResult result = byTopic.get(part.topic().name()).get(partition).result();
                    long timestamp = result.logAppendTime() != null ? result.logAppendTime()
                            : part.records().get(k).timestamp();
                    results[part.requestIndexes().get(k)] = new Written(part.topic().name(), partition,
                            result.baseOffset() + position, timestamp);
                }
            }
            return List.of(results);
        }
    }

    /** Each topic's records, checked as a produce to it would check them; nothing is sent before all pass. */
    Mono<List<TopicPart>> checked(List<TopicRecord> records) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byTopic.computeIfAbsent(records.get(i).topic(), t -> new ArrayList<>()).add(i);
        }
        return Flux.fromIterable(byTopic.entrySet()).concatMap(entry -> topics.topic(entry.getKey()).map(topic -> {
            List<ProduceRecord> own = entry.getValue().stream().map(i -> records.get(i).record()).toList();
            for (int k = 0; k < own.size(); k++) {
                encoder.check(topic, own.get(k), entry.getValue().get(k));
            }
            return new TopicPart(topic, entry.getValue(), own, encoder.assign(topic, own));
        })).collectList();
    }

    /**
     * Sends every topic's batches at once as the transactional {@code producerId} at {@code epoch}, each partition's
     * records numbered from its first sequence in {@code firstSequences} (0 when absent).
     */
    Mono<Outcome> send(long producerId, short epoch, Map<TopicPartition, Integer> firstSequences,
                       List<TopicPart> parts, Duration timeout) {
        return Flux.fromIterable(parts).flatMap(part -> {
            Map<Integer, Integer> first = new LinkedHashMap<>();
            firstSequences.forEach((tp, sequence) -> {
                if (tp.topic().equals(part.topic().name())) {
                    first.put(tp.partition(), sequence);
                }
            });
            RecordEncoder.EncodedRecords encoded = encoder.encode(part.topic(), part.records(), part.assigned(),
                    new RecordEncoder.IdempotentProducer(producerId, epoch, true, first));
            return router.sendIdempotent(part.topic().name(), encoded.batches(), Acks.ALL, timeout)
                    .map(outcomes -> Map.entry(part.topic().name(), outcomes));
        }).collectMap(Map.Entry::getKey, Map.Entry::getValue).map(outcomes -> new Outcome(parts, outcomes));
    }

    /** Every partition the parts write to. */
    static List<TopicPartition> partitions(List<TopicPart> parts) {
        return parts.stream().flatMap(part -> part.counts().keySet().stream()).toList();
    }
}
