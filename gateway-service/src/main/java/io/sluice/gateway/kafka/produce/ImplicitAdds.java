package io.sluice.gateway.kafka.produce;

import io.sluice.protocol.TopicPartition;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The partitions a connection's transactional producers had added to their transactions by their produces
 * (transaction version 2, KIP-890 part 2), by producer id: a partition added at the producer's epoch needs no second
 * add. Under version 2 every transaction has an epoch of its own, so a new epoch starts again. What is remembered
 * wrongly never lets a batch into a transaction that did not add its partition — the leader still verifies a
 * transaction's first batch at each partition with the coordinator, and refuses it INVALID_TXN_STATE — and such a
 * refusal makes the connection forget the producer ({@link #forget}); remembering too little costs one more add. At
 * most {@value #MAX_PRODUCERS} producers are kept, the least recently used dropped first. Thread-safe.
 */
final class ImplicitAdds {

    static final int MAX_PRODUCERS = 64;

    private record Added(short epoch, Set<TopicPartition> partitions) {
    }

    private final Map<Long, Added> byProducer = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Added> eldest) {
            return size() > MAX_PRODUCERS;
        }
    };

    /** Of {@code partitions}, those producer {@code producerId} has not added at {@code epoch} through here. */
    synchronized List<TopicPartition> missing(long producerId, short epoch, Collection<TopicPartition> partitions) {
        Added added = byProducer.get(producerId);
        if (added == null || added.epoch() != epoch) {
            return List.copyOf(partitions);
        }
        return partitions.stream().filter(tp -> !added.partitions().contains(tp)).toList();
    }

    /** Nothing is known of what {@code producerId} added. */
    synchronized void forget(long producerId) {
        byProducer.remove(producerId);
    }

    /** The coordinator added {@code partitions} to the transaction of {@code producerId} at {@code epoch}. */
    synchronized void added(long producerId, short epoch, Collection<TopicPartition> partitions) {
        Added known = byProducer.get(producerId);
        if (known == null || known.epoch() != epoch) {
            known = new Added(epoch, new HashSet<>());
            byProducer.put(producerId, known);
        }
        known.partitions().addAll(partitions);
    }
}
