package io.sluice.partition;

import reactor.core.scheduler.Scheduler;

/**
 * The service's own "log-io" scheduler, for tests that build its parts by hand: a cancelled read finishes rather than
 * being interrupted (an interrupt during FileChannel I/O would close the log's channel, as it would in the service).
 */
public final class TestLogScheduler {

    private TestLogScheduler() {
    }

    public static Scheduler create(int threads) {
        return LogScheduler.create(threads);
    }
}
