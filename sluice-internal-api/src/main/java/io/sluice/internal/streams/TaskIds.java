package io.sluice.internal.streams;

import java.util.List;

/** Tasks of one subtopology, by partition, as KIP-1071's APIs list them: a list of these, partitions ascending. */
public record TaskIds(String subtopologyId, List<Integer> partitions) {

    public TaskIds {
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
