package io.sluice.log;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.record.CorruptRecordException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The writer lock of a partition log and its life cycle: open, then offline (after a storage failure) or closed,
 * both final. Every state change of the log runs through {@link #write}, which serializes writers and decides what
 * a failure means: a {@link SluiceException} is a refusal that left the log untouched (bad input, out of range,
 * fenced) and passes through; anything else (an I/O error, corrupt bytes on disk, a broken invariant) may have left
 * the files half-changed, so the log goes offline: that call and every later one fail with STORAGE_ERROR and the
 * offset waiters fail at once. Readers call {@link #ensureUsable()} without taking the lock.
 */
final class WriterGuard {

    /** A state change that may fail on I/O. */
    @FunctionalInterface
    interface StorageAction<T> {
        T run() throws IOException;
    }

    /** A closing step that may fail on I/O. */
    @FunctionalInterface
    interface CloseAction {
        void run() throws IOException;
    }

    private final String name;
    private final List<OffsetWaiters> waiters;
    private final Runnable afterFailingWaiters;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile SluiceException offline;
    private volatile boolean closed;

    /** @param afterFailingWaiters tells waiters kept elsewhere (a {@link LogEndWatch}) that the log failed or closed */
    WriterGuard(String name, List<OffsetWaiters> waiters, Runnable afterFailingWaiters) {
        this.name = name;
        this.waiters = waiters;
        this.afterFailingWaiters = afterFailingWaiters;
    }

    /** Runs {@code action} under the writer lock, taking the log offline if it fails other than by refusal. */
    <T> T write(String operation, StorageAction<T> action) {
        lock.lock();
        try {
            ensureUsable();
            return action.run();
        } catch (CorruptRecordException e) {
            throw markOffline(operation, e); // raised by bytes read back from disk, not by the caller's input
        } catch (SluiceException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw markOffline(operation, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * An I/O failure of work done outside the lock on the log's files (a flush, a checkpoint): takes the log offline
     * as a failure under the lock would, and returns the STORAGE_ERROR to throw. A closed log stays closed.
     */
    SluiceException fail(String operation, IOException cause) {
        lock.lock();
        try {
            return closed ? new SluiceException(ErrorCode.STORAGE_ERROR, "Log " + name + " is closed", cause)
                    : markOffline(operation, cause);
        } finally {
            lock.unlock();
        }
    }

    /** Throws STORAGE_ERROR if the log is offline or closed. */
    void ensureUsable() {
        SluiceException failure = offline;
        if (failure != null) {
            throw new SluiceException(ErrorCode.STORAGE_ERROR, failure.getMessage(), failure);
        }
        if (closed) {
            throw new SluiceException(ErrorCode.STORAGE_ERROR, "Log " + name + " is closed");
        }
    }

    boolean isOffline() {
        return offline != null;
    }

    boolean isUsable() {
        return offline == null && !closed;
    }

    /**
     * Closes once: fails the waiters, then runs {@code ifOnline}, or {@code ifOffline} when a failure already
     * took the log offline (its files are not to be trusted with more writes). Later calls do nothing.
     */
    void close(CloseAction ifOnline, CloseAction ifOffline) throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            failWaiters(new SluiceException(ErrorCode.STORAGE_ERROR, "Log " + name + " is closed"));
            if (offline == null) {
                ifOnline.run();
            } else {
                ifOffline.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} under the lock on a closed log. */
    void whenClosed(CloseAction action) throws IOException {
        lock.lock();
        try {
            if (!closed) {
                throw new IllegalStateException("close " + name + " first");
            }
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private SluiceException markOffline(String operation, Throwable cause) {
        SluiceException error = new SluiceException(ErrorCode.STORAGE_ERROR, "Log " + name + " failed during "
                + operation + " and is offline: " + cause, cause);
        if (offline == null) {
            offline = error;
            failWaiters(error);
        }
        return error;
    }

    private void failWaiters(SluiceException cause) {
        Supplier<SluiceException> failure = () -> new SluiceException(cause.errorCode(), cause.getMessage(), cause);
        for (OffsetWaiters w : waiters) {
            w.failAll(failure);
        }
        afterFailingWaiters.run();
    }
}
