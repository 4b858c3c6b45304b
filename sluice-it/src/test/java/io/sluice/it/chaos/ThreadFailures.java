package io.sluice.it.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The client threads of a workload that died of an exception: a run whose clients stopped early judges less than it
 * claims, and its checker, which judges only what was acknowledged and read, cannot tell. Thread-safe.
 */
final class ThreadFailures {

    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    /** {@code body}, with whatever ends it unexpectedly noted under {@code name}. */
    Runnable guarded(String name, Runnable body) {
        return () -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                failures.add(name + " stopped by " + e);
                throw e;
            }
        };
    }

    List<String> all() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }
}
