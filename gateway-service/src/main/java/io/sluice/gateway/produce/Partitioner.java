package io.sluice.gateway.produce;

import io.sluice.protocol.partition.DefaultPartitioner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Chooses partitions as a Kafka producer would: a keyed record goes to murmur2(key) mod partitions (the same partition
 * a Kafka client would pick); unkeyed records stick to one partition per request (Kafka's sticky partitioner sticks
 * per batch), moving round-robin from request to request so load spreads over all partitions.
 */
@Component
class Partitioner {

    private final Map<String, AtomicInteger> sticky = new ConcurrentHashMap<>();

    public int forKey(byte[] key, int partitions) {
        return DefaultPartitioner.partitionForKey(key, partitions);
    }

    /** The partition this request's unkeyed records go to. */
    public int nextSticky(String topic, int partitions) {
        int next = sticky.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
        return Math.floorMod(next, partitions);
    }
}
