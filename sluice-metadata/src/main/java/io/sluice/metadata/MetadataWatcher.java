package io.sluice.metadata;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the coordinator's metadata by long-polling {@code GET /internal/metadata?since=V&wait_ms=W} on a virtual
 * thread, and keeps the latest {@link MetadataView}. Listeners see every version in order, one view per version (or a
 * snapshot when the watcher fell further behind than the coordinator's history), on the watcher's thread. While the
 * coordinator is unreachable the last view stays in force (the data path keeps serving) and the watcher retries with
 * backoff.
 */
public final class MetadataWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MetadataWatcher.class.getName());

    private final CoordinatorClient client;
    private final Duration pollWait;
    private final List<Consumer<MetadataView>> listeners = new CopyOnWriteArrayList<>();
    private final Object versionMonitor = new Object();
    private volatile MetadataView current = MetadataView.empty();
    private volatile boolean running;
    private Thread thread;

    public MetadataWatcher(CoordinatorClient client, Duration pollWait) {
        this.client = client;
        this.pollWait = pollWait;
    }

    public MetadataView current() {
        return current;
    }

    public void addListener(Consumer<MetadataView> listener) {
        listeners.add(listener);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofVirtual().name("metadata-watcher").start(this::run);
    }

    /** Blocks until the view reaches {@code version} or the timeout passes; returns the view then current. */
    public MetadataView awaitVersion(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (versionMonitor) {
            while (current.version() < version) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(versionMonitor, left);
            }
            return current;
        }
    }

    private void run() {
        long backoffMs = 100;
        while (running) {
            try {
                long since = current.version();
                MetadataUpdate update = client.get("/internal/metadata?since=" + since + "&wait_ms=" + pollWait.toMillis(),
                        MetadataUpdate.class, pollWait.plusSeconds(5));
                backoffMs = 100;
                if (update != null) {
                    apply(update);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.log(Level.FINE, "metadata poll failed; keeping version " + current.version(), e);
                sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 2000);
            }
        }
    }

    /**
     * One poll's answer, published a version at a time: a poll that returns several deltas yields one view per delta,
     * so listeners see every version (a snapshot, for a watcher too far behind, is one view).
     */
    private void apply(MetadataUpdate update) {
        ClusterMetadata metadata = current.metadata();
        if (update.snapshot() != null) {
            metadata = update.snapshot();
            publish(new MetadataView(metadata));
        }
        for (MetadataDelta delta : update.deltas()) {
            if (delta.version() > metadata.version()) {
                metadata = metadata.apply(delta);
                publish(new MetadataView(metadata));
            }
        }
    }

    private void publish(MetadataView view) {
        synchronized (versionMonitor) {
            current = view;
            versionMonitor.notifyAll();
        }
        for (Consumer<MetadataView> listener : listeners) {
            try {
                listener.accept(view);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "metadata listener failed at version " + view.version(), e);
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
