package io.sluice.it.chaos;

import java.time.Duration;

/**
 * What a chaos run does, from system properties so that one test serves the short run in {@code ./mvnw verify} and
 * the soak ({@code bench/soak.sh}), and so that a failure can be replayed with its seed:
 *
 * <pre>
 *   sluice.chaos.seed        the seed of the fault schedule and the producers' choices (default 12)
 *   sluice.chaos.duration    how long faults are injected, ISO-8601 (default PT1M)
 *   sluice.chaos.producers   producer threads (default 4)
 *   sluice.chaos.report      a file to write the report to, besides target/chaos/ (default: none)
 *   sluice.chaos.session-timeout  the coordinator's session timeout (default PT10S)
 *   sluice.chaos.streams-protocol the Kafka Streams application's group protocol, classic or streams (default: streams
 *                                 for an even seed, classic for an odd one)
 * </pre>
 *
 * The same seed gives the same sequence of faults, targets and waits; the processes' timing is not replayed, so a
 * replay reproduces the schedule, not necessarily every interleaving.
 *
 * @param sessionTimeout the coordinator's session timeout: long enough that a killed node restarted at once
 *                       re-registers within it (a partition service takes 5–8 s to start on a loaded two-core
 *                       machine), so that both sides of it are exercised. Failover after a SIGKILL waits for it, so
 *                       the failover times a run reports grow with it.
 * @param lagTimeMax     the followers' {@code replica.lag.time.max.ms}
 */
record ChaosSettings(long seed, Duration duration, int producers, String reportFile, Duration sessionTimeout,
                     Duration lagTimeMax) {

    static final long DEFAULT_SEED = 12;

    static ChaosSettings fromSystemProperties() {
        return new ChaosSettings(
                Long.getLong("sluice.chaos.seed", DEFAULT_SEED),
                Duration.parse(System.getProperty("sluice.chaos.duration", "PT1M")),
                Integer.getInteger("sluice.chaos.producers", 4),
                System.getProperty("sluice.chaos.report", ""),
                Duration.parse(System.getProperty("sluice.chaos.session-timeout", "PT10S")),
                Duration.ofSeconds(3));
    }
}
