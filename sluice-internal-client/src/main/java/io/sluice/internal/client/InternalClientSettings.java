package io.sluice.internal.client;

import java.time.Duration;

/**
 * How a service calls its peers ({@code sluice.<service>.internal-calls.*}). Every value may be left out (null or 0):
 * the compact constructor fills in the default, so a service binds this record as it is and gets defaults for
 * what its configuration does not name.
 *
 * @param connectTimeout         how long a connection may take to open
 * @param callTimeout            the time limit of one call; a long poll's wait and a produce's own timeout are added
 * @param longPollGrace          on top of a long poll's wait (metadata, fetch), time for its answer to arrive
 * @param failureRate            percentage of failed calls (no answer, timed out) that opens a target's circuit
 * @param openDuration           how long an open circuit refuses calls before it lets a trial call through
 * @param retryAttempts          attempts of a call that may be retried (the first included)
 * @param retryBackoff           the wait before the first retry; doubled for each further one
 * @param retryMaxBackoff        the longest wait between two attempts
 * @param controlConnections     connections per target for control calls (coordinator, offsets, epochs)
 * @param produceConnections     connections per target for produce calls
 * @param fetchConnections       connections per target for consumer fetches (long polls hold theirs while waiting)
 * @param replicationConnections connections per target for follower fetches
 */
public record InternalClientSettings(Duration connectTimeout, Duration callTimeout, Duration longPollGrace,
                                     Integer failureRate, Duration openDuration, Integer retryAttempts,
                                     Duration retryBackoff, Duration retryMaxBackoff, Integer controlConnections,
                                     Integer produceConnections, Integer fetchConnections,
                                     Integer replicationConnections) {

    public InternalClientSettings {
        connectTimeout = or(connectTimeout, Duration.ofSeconds(2));
        callTimeout = or(callTimeout, Duration.ofSeconds(10));
        longPollGrace = or(longPollGrace, Duration.ofSeconds(5));
        failureRate = positiveOr(failureRate, 50);
        openDuration = or(openDuration, Duration.ofSeconds(5));
        retryAttempts = positiveOr(retryAttempts, 3);
        retryBackoff = or(retryBackoff, Duration.ofMillis(50));
        retryMaxBackoff = or(retryMaxBackoff, Duration.ofSeconds(1));
        controlConnections = positiveOr(controlConnections, 32);
        produceConnections = positiveOr(produceConnections, 256);
        fetchConnections = positiveOr(fetchConnections, 1024);
        replicationConnections = positiveOr(replicationConnections, 8);
        if (failureRate > 100) {
            throw new IllegalArgumentException("failure-rate is a percentage, was " + failureRate);
        }
    }

    public static InternalClientSettings defaults() {
        return new InternalClientSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** These settings with another call timeout (tests use short ones). */
    public InternalClientSettings withCallTimeout(Duration timeout) {
        return new InternalClientSettings(connectTimeout, timeout, longPollGrace, failureRate, openDuration,
                retryAttempts, retryBackoff, retryMaxBackoff, controlConnections, produceConnections, fetchConnections,
                replicationConnections);
    }

    int connections(Purpose purpose) {
        return switch (purpose) {
            case CONTROL -> controlConnections;
            case PRODUCE -> produceConnections;
            case FETCH -> fetchConnections;
            case REPLICATION -> replicationConnections;
        };
    }

    private static Duration or(Duration value, Duration fallback) {
        return value == null || value.isZero() ? fallback : value;
    }

    private static int positiveOr(Integer value, int fallback) {
        return value == null || value <= 0 ? fallback : value;
    }
}
