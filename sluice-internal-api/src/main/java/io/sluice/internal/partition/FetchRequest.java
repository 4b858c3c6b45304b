package io.sluice.internal.partition;

import java.util.List;

/**
 * A consumer fetch (from a gateway): per partition an offset and a byte budget; the whole request waits up to
 * {@code maxWaitMs} until at least {@code minBytes} are available.
 */
public record FetchRequest(Long maxWaitMs, Integer minBytes, Integer maxBytes, List<Partition> partitions) {

    public record Partition(String topic, int partition, long fetchOffset, Integer maxBytes) {
    }
}
