package io.sluice.internal.coordinator;

import java.util.List;

/**
 * A partition service reporting replicas whose logs went offline (an I/O error: a failed disk, a full one). Kafka's
 * failed log directory: the coordinator moves their leaderships and takes them out of ISRs.
 */
public record OfflineReplicasRequest(List<Replica> replicas) {

    public OfflineReplicasRequest {
        replicas = List.copyOf(replicas);
    }

    public record Replica(String topic, int partition) {
    }
}
