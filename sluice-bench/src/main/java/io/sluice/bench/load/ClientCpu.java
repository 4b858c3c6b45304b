package io.sluice.bench.load;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU time this generator's JVM used during a run, so a report shows when the client itself, sharing the machine's
 * cores with the cluster, may have been the limit. 100% is one core busy for the whole run.
 */
record ClientCpu(long cpuNanos, long wallNanos) {

    /** Process CPU time so far in ns, or -1 when the JVM does not say. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static ClientCpu since(long cpuStart, long wallStart) {
        long now = processCpuNanos();
        return new ClientCpu(cpuStart < 0 || now < 0 ? -1 : now - cpuStart, System.nanoTime() - wallStart);
    }

    double percentOfOneCore() {
        return cpuNanos < 0 || wallNanos <= 0 ? Double.NaN : 100.0 * cpuNanos / wallNanos;
    }

    String human() {
        return cpuNanos < 0 ? "client CPU: unknown" : String.format(Locale.ROOT,
                "client CPU: %.2f s over %.2f s wall (%.0f%% of one core; the generator shares the machine)",
                cpuNanos / 1e9, wallNanos / 1e9, percentOfOneCore());
    }

    void addTo(ResultLine line) {
        line.add("client_cpu_pct", percentOfOneCore(), 0);
    }
}
