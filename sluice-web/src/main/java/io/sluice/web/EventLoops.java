package io.sluice.web;

/**
 * How many event loops a service's Reactor Netty server and clients share: one per processor the JVM may use, where
 * Reactor Netty's own default is at least four ({@code max(processors, 4)}). The two differ only below four
 * processors (a container or pod limited to one or two CPUs, the local cluster on a small machine): there the extra
 * loops take connections that then answer each other across threads, each hand-off a wake-up of another loop. On a machine of two processors, a gateway of two loops spent 68.8–100.7 µs
 * of CPU per one-record HTTP request where one of four spent 87.4–121.6 (docs/benchmarks/history.md, run EL1).
 *
 * <p>Set before anything touches Reactor Netty, in each service's {@code main}; a value already given
 * ({@code -Dreactor.netty.ioWorkerCount=N}, e.g. in the launcher's {@code SLUICE_JVM_OPTS}) is kept.
 */
public final class EventLoops {

    /** Reactor Netty's system property for its default loop count ({@code ReactorNetty.IO_WORKER_COUNT}). */
    static final String IO_WORKER_COUNT = "reactor.netty.ioWorkerCount";

    private EventLoops() {
    }

    /**
     * One event loop per available processor, unless a count was given; returns the count in force.
     *
     * @throws IllegalArgumentException for a given count that is not a whole number of at least 1 (the service then
     *                                  does not start, naming the option)
     */
    public static int onePerProcessor() {
        String given = System.getProperty(IO_WORKER_COUNT);
        if (given != null && !given.isBlank()) {
            return parsed(given.trim());
        }
        int processors = Math.max(1, Runtime.getRuntime().availableProcessors());
        System.setProperty(IO_WORKER_COUNT, Integer.toString(processors));
        return processors;
    }

    private static int parsed(String value) {
        try {
            int count = Integer.parseInt(value);
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("-D" + IO_WORKER_COUNT + " must be a whole number of at least 1, not '"
                + value + "'");
    }
}
