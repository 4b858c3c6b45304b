package io.sluice.gateway.kafka.produce;

import io.sluice.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The partitions a connection's transactional producers add to their transactions by their produces (transaction
 * version 2, KIP-890 part 2), by producer id: a partition added at the producer's epoch, or being added, needs no
 * second add — a producer sends up to five produce requests before the first is answered, and each would otherwise
 * ask the coordinator, one after another. Under version 2 every transaction has an epoch of its own, so a new epoch
 * starts again. What is remembered wrongly never lets a batch into a transaction that did not add its partition — the
 * leader still verifies a transaction's first batch at each partition with the coordinator, and refuses it
 * INVALID_TXN_STATE — and such a refusal makes the connection forget the producer ({@link #forget}); an add that
 * failed is forgotten at once; remembering too little costs one more add. At most {@value #MAX_PRODUCERS} producers
 * are kept, the least recently used dropped first. Thread-safe.
 */
final class ImplicitAdds {

    static final int MAX_PRODUCERS = 64;

    /** Each partition's add at one epoch: done, or under way (a cached call every request for it waits on). */
    private record Added(short epoch, Map<TopicPartition, Mono<Void>> partitions) {
    }

    private final Map<Long, Added> byProducer = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Added> eldest) {
            return size() > MAX_PRODUCERS;
        }
    };

    /**
     * Completes once producer {@code producerId}'s transaction at {@code epoch} has every one of {@code partitions}:
     * those added or being added through here are waited for, {@code add} is called once for the rest. Fails as the
     * add that any of them waited for failed.
     */
    Mono<Void> join(long producerId, short epoch, Collection<TopicPartition> partitions,
                    Function<List<TopicPartition>, Mono<Void>> add) {
        List<Mono<Void>> waits = new ArrayList<>();
        synchronized (this) {
            Added known = byProducer.get(producerId);
            if (known == null || known.epoch() != epoch) {
                known = new Added(epoch, new HashMap<>());
                byProducer.put(producerId, known);
            }
            List<TopicPartition> missing = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Mono<Void> under = known.partitions().get(tp);
                if (under != null) {
                    waits.add(under);
                } else {
                    missing.add(tp);
                }
            }
            if (!missing.isEmpty()) {
                Added at = known;
                Mono<Void> adding = Mono.defer(() -> add.apply(List.copyOf(missing)))
                        .doOnError(e -> dropFailed(at, missing))
                        .cache();
                missing.forEach(tp -> at.partitions().put(tp, adding));
                waits.add(adding);
            }
        }
        return Mono.when(waits);
    }

    /** Nothing is known of what {@code producerId} added. */
    synchronized void forget(long producerId) {
        byProducer.remove(producerId);
    }

    private synchronized void dropFailed(Added at, List<TopicPartition> failed) {
        failed.forEach(at.partitions()::remove);
    }
}
