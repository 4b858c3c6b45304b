package io.sluice.gateway.produce;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.gateway.routing.BatchRouter;
import io.sluice.gateway.routing.PartitionOutcome;
import io.sluice.internal.metadata.TopicMetadata;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Produces records to a topic: the topic is looked up (or auto-created), the records encoded into batches
 * ({@link RecordEncoder}), the batches sent to their leaders ({@link BatchRouter}), and each record answered with where
 * it landed or why it did not, in request order.
 */
@Service
class ProduceService {

    private final TopicAutoCreator topics;
    private final RecordEncoder encoder;
    private final BatchRouter router;
    private final MeterRegistry meters;
    private final Timer latency;

    ProduceService(TopicAutoCreator topics, RecordEncoder encoder, BatchRouter router, MeterRegistry meters) {
        this.topics = topics;
        this.encoder = encoder;
        this.router = router;
        this.meters = meters;
        this.latency = Timer.builder("sluice.gateway.produce.latency").publishPercentileHistogram().register(meters);
    }

    /** Results in record order. */
    Mono<List<RecordResult>> produce(String topicName, List<ProduceRecord> records, Acks acks, Duration timeout) {
        long started = System.nanoTime();
        return topics.topic(topicName).flatMap(topic -> {
            RecordEncoder.EncodedRecords encoded = encoder.encode(topic, records);
            return router.send(topic.name(), encoded.batches(), acks, timeout)
                    .map(outcomes -> results(records, encoded, outcomes, acks));
        }).doOnNext(results -> record(topicName, records, results, started));
    }

    /**
     * Results in record order, for records of an NDJSON stream: each partition's batches are stamped with the stream's
     * session of that partition before they are sent (not for acks=0), and a partition that failed ends its session.
     */
    Mono<List<RecordResult>> produce(String topicName, List<ProduceRecord> records, Acks acks, Duration timeout,
                                     StreamSession session) {
        long started = System.nanoTime();
        return topics.topic(topicName).flatMap(topic -> {
            RecordEncoder.EncodedRecords encoded = encoder.encode(topic, records);
            Map<Integer, Long> stamped = new HashMap<>();
            if (acks != Acks.NONE) {
                encoded.batches().forEach((partition, batches) ->
                        stamped.put(partition, session.partition(partition).stamp(batches)));
            }
            return router.send(topic.name(), encoded.batches(), acks, timeout)
                    .doOnNext(outcomes -> stamped.forEach((partition, producerId) -> {
                        PartitionOutcome outcome = outcomes.get(partition);
                        if (outcome == null || outcome.error() != null) {
                            session.partition(partition).failed(producerId);
                        }
                    }))
                    .map(outcomes -> results(records, encoded, outcomes, acks));
        }).doOnNext(results -> record(topicName, records, results, started));
    }

    /**
     * Results in record order, for records already assigned to partitions and sent as {@code producer}'s batches
     * (an Idempotency-Key's request, see {@link IdempotentProduce}).
     */
    Mono<List<RecordResult>> produce(TopicMetadata topic, List<ProduceRecord> records, List<Integer> assigned,
                                     RecordEncoder.IdempotentProducer producer, Acks acks, Duration timeout) {
        long started = System.nanoTime();
        return Mono.defer(() -> {
            RecordEncoder.EncodedRecords encoded = encoder.encode(topic, records, assigned, producer);
            return router.sendIdempotent(topic.name(), encoded.batches(), acks, timeout)
                    .map(outcomes -> results(records, encoded, outcomes, acks));
        }).doOnNext(results -> record(topic.name(), records, results, started));
    }

    /** The topic's metadata once it exists (or was auto-created); UNKNOWN_TOPIC or INVALID_TOPIC_NAME otherwise. */
    Mono<TopicMetadata> metadata(String topicName) {
        return topics.topic(topicName);
    }

    /** The partition each record would go to (explicit, by key, sticky), checked against the topic. */
    List<Integer> assign(TopicMetadata topic, List<ProduceRecord> records) {
        return encoder.assign(topic, records);
    }

    /** Completes when the topic exists (or was auto-created); UNKNOWN_TOPIC or INVALID_TOPIC_NAME otherwise. */
    Mono<Void> topic(String topicName) {
        return topics.topic(topicName).then();
    }

    /** Checks record {@code index} against the topic as {@link #produce} would, for records taken one by one. */
    Mono<Void> check(String topicName, ProduceRecord record, int index) {
        return topics.topic(topicName).doOnNext(topic -> encoder.check(topic, record, index)).then();
    }

    private static List<RecordResult> results(List<ProduceRecord> records, RecordEncoder.EncodedRecords encoded,
                                              Map<Integer, PartitionOutcome> outcomes, Acks acks) {
        RecordResult[] results = new RecordResult[records.size()];
        encoded.indexes().forEach((partition, indexes) -> {
            PartitionOutcome outcome = outcomes.get(partition);
            Map<Integer, String> refused = new HashMap<>();
            if (outcome != null) {
                outcome.recordErrors().forEach(error -> refused.put(error.index(), error.message()));
            }
            for (int k = 0; k < indexes.size(); k++) {
                int index = indexes.get(k);
                if (outcome == null || outcome.error() != null) {
                    SluiceException error = outcome == null
                            ? ErrorCode.REQUEST_TIMED_OUT.exception("No answer for partition " + partition)
                            : refused.isEmpty() ? outcome.error() : recordRefusal(indexes, refused, k);
                    results[index] = RecordResult.failed(partition, error);
                } else if (acks == Acks.NONE || outcome.result().baseOffset() == null) {
                    results[index] = RecordResult.sent(partition);
                } else {
                    ProduceResponse.PartitionResult r = outcome.result();
                    long timestamp = r.logAppendTime() != null ? r.logAppendTime() : records.get(index).timestamp();
                    results[index] = RecordResult.written(partition, r.baseOffset() + k, timestamp);
                }
            }
        });
        return List.of(results);
    }

    /**
     * Record {@code k} of a partition's batch that its leader refused for the records of {@code refused} (by their
     * position in the batch): its own reason, or the first refused record's, named by its index in the request.
     */
    private static SluiceException recordRefusal(List<Integer> indexes, Map<Integer, String> refused, int k) {
        String own = refused.get(k);
        if (own != null) {
            return ErrorCode.INVALID_RECORD_SCHEMA.exception("Record " + indexes.get(k) + " refused by the topic's "
                    + "schema validation: " + own);
        }
        int first = refused.keySet().stream().min(Integer::compare).orElseThrow();
        return ErrorCode.INVALID_RECORD_SCHEMA.exception("Not written: record " + indexes.get(first) + " of the same "
                + "partition was refused by the topic's schema validation, and nothing of the partition's batch is "
                + "written then");
    }

    private void record(String topic, List<ProduceRecord> records, List<RecordResult> results, long started) {
        long ok = results.stream().filter(RecordResult::ok).count();
        Counter.builder("sluice.gateway.records.in").tag("topic", topic).register(meters).increment(ok);
        long bytes = 0;
        for (int i = 0; i < records.size(); i++) {
            if (results.get(i).ok()) {
                bytes += RecordEncoder.length(records.get(i).key()) + RecordEncoder.length(records.get(i).value());
            }
        }
        Counter.builder("sluice.gateway.bytes.in").baseUnit("bytes").tag("topic", topic).register(meters).increment(bytes);
        latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
}
