package io.sluice.partition;

import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where blocking log work runs — appends, reads and lookups, never on a Netty event loop: "log-io" threads that never
 * interrupt a task they cancel. Reactor's elastic schedulers interrupt the thread of a cancelled task (a produce whose
 * caller went away), and an interrupt during FileChannel I/O closes the channel: the log would go offline for a
 * client's timeout.
 */
public final class LogScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(LogScheduler.class);

    /** On each "log-io" thread, the work to run there once the task under way has ended; unset elsewhere. */
    private static final ThreadLocal<ArrayDeque<Runnable>> AFTER_TASK = new ThreadLocal<>();

    private LogScheduler() {
    }

    /** A scheduler of {@code threads} "log-io" daemon threads. */
    static Scheduler create(int threads) {
        return Schedulers.fromExecutorService(new UninterruptibleExecutor(threads), "log-io");
    }

    /**
     * A scheduler for log work that something else set off: on a "log-io" thread (a long poll that an append there
     * woke), the work runs on that thread as soon as the task under way has ended — no hand-off to another thread,
     * and no lock of that task still held; on any other thread it is handed to {@code logThreads}.
     */
    public static Scheduler afterTaskOn(Scheduler logThreads) {
        return Schedulers.fromExecutor(work -> {
            ArrayDeque<Runnable> after = AFTER_TASK.get();
            if (after != null) {
                after.add(work);
            } else {
                logThreads.schedule(work);
            }
        });
    }

    /** Threads whose tasks, once running, finish: cancelling one only keeps it from starting. */
    private static final class UninterruptibleExecutor extends ScheduledThreadPoolExecutor {

        UninterruptibleExecutor(int threads) {
            super(threads, logThreads());
            setRemoveOnCancelPolicy(true);
        }

        private static ThreadFactory logThreads() {
            ThreadFactory threads = Thread.ofPlatform().name("log-io-", 0).daemon(true).factory();
            return task -> threads.newThread(() -> {
                AFTER_TASK.set(new ArrayDeque<>());
                task.run();
            });
        }

        /** Runs the work {@link #afterTaskOn} left for this thread, and what that work leaves in turn. */
        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            ArrayDeque<Runnable> after = AFTER_TASK.get();
            for (Runnable work = after.poll(); work != null; work = after.poll()) {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("Log work run after a task failed", e);
                }
            }
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
            return new NoInterrupt<>(task);
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> callable, RunnableScheduledFuture<V> task) {
            return new NoInterrupt<>(task);
        }
    }

    private record NoInterrupt<V>(RunnableScheduledFuture<V> task) implements RunnableScheduledFuture<V> {

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return task.cancel(false);
        }

        @Override
        public boolean isPeriodic() {
            return task.isPeriodic();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return task.getDelay(unit);
        }

        @Override
        public int compareTo(Delayed other) {
            return task.compareTo(other instanceof NoInterrupt<?> wrapped ? wrapped.task() : other);
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelled();
        }

        @Override
        public boolean isDone() {
            return task.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return task.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return task.get(timeout, unit);
        }
    }
}
