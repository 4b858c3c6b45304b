package io.sluice.internal.coordinator;

import java.util.List;

/** Per partition of an {@link ElectLeadersRequest}, what became of its election. */
public record ElectLeadersResponse(List<Result> partitions) {

    /**
     * ELECTED: the partition has a new leader; NOT_NEEDED: its preferred replica already leads (PREFERRED), or it has
     * a leader (UNCLEAN); PREFERRED_NOT_AVAILABLE: its preferred replica is dead or out of sync; NO_ELIGIBLE_LEADER: no
     * live replica can lead it; UNKNOWN_PARTITION: no such topic or partition.
     */
    public enum Outcome { ELECTED, NOT_NEEDED, PREFERRED_NOT_AVAILABLE, NO_ELIGIBLE_LEADER, UNKNOWN_PARTITION }

    public ElectLeadersResponse {
        partitions = List.copyOf(partitions);
    }

    public record Result(String topic, int partition, Outcome outcome) {
    }
}
