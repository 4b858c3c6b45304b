package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The partition logs a test opens on its clock, closed after each test unless the test closed them or crashed them
 * itself. Register with {@code @RegisterExtension}.
 */
final class OpenLogs implements AfterEachCallback {

    private final MutableClock clock;
    private final List<PartitionLog> open = new ArrayList<>();

    OpenLogs(MutableClock clock) {
        this.clock = clock;
    }

    PartitionLog open(Path dir, LogConfig config) throws IOException {
        PartitionLog log = PartitionLog.open(dir, config, clock);
        open.add(log);
        return log;
    }

    /** Closes {@code log} as a clean shutdown does. */
    void close(PartitionLog log) throws IOException {
        open.remove(log);
        log.close();
    }

    /** Simulates a process crash: files stay as written, nothing is sealed or checkpointed as clean. */
    void crash(PartitionLog log) throws IOException {
        open.remove(log);
        log.abandon();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (PartitionLog log : open) {
            log.close();
        }
        open.clear();
    }
}
