package io.sluice.internal.partition;

import java.util.List;

/**
 * A consumer fetch (from a gateway): per partition an offset and a byte budget; the whole request waits up to
 * {@code maxWaitMs} until at least {@code minBytes} are available. A {@code readCommitted} fetch reads below each
 * partition's last stable offset and is told the aborted transactions among its records (Kafka's read_committed).
 */
public record FetchRequest(Long maxWaitMs, Integer minBytes, Integer maxBytes, List<Partition> partitions,
                           boolean readCommitted) {

    /** A read_uncommitted fetch. */
    public FetchRequest(Long maxWaitMs, Integer minBytes, Integer maxBytes, List<Partition> partitions) {
        this(maxWaitMs, minBytes, maxBytes, partitions, false);
    }

    public record Partition(String topic, int partition, long fetchOffset, Integer maxBytes) {
    }
}
