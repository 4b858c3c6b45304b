package io.sluice.partition;

import java.util.Objects;
import java.util.UUID;

/**
 * The id this process drew when it started (Kafka's incarnation id). It registers with the coordinator under it, so
 * the coordinator tells a retried registration from a restart, and it names every replica fetch, so a leader tells
 * what this process reported from what an earlier process of the same node did.
 */
public record Incarnation(String id) {

    public Incarnation {
        Objects.requireNonNull(id, "id");
    }

    public static Incarnation draw() {
        return new Incarnation(UUID.randomUUID().toString());
    }
}
