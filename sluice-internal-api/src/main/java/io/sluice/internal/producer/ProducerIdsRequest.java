package io.sluice.internal.producer;

/** Asks for {@code count} producer ids no one else will ever get. */
public record ProducerIdsRequest(int count) {

    /** The most one call hands out (Kafka's coordinators hand out blocks of 1,000). */
    public static final int MAX_COUNT = 10_000;
}
