package io.sluice.partition.fetch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/** A scheduler that runs its tasks on another and counts them: how often work went to the log threads. */
final class CountingScheduler implements Scheduler {

    private final Scheduler delegate;
    private final AtomicInteger tasks = new AtomicInteger();

    CountingScheduler(Scheduler delegate) {
        this.delegate = delegate;
    }

    /** The tasks handed over since the last call. */
    int takeCount() {
        return tasks.getAndSet(0);
    }

    @Override
    public Disposable schedule(Runnable task) {
        tasks.incrementAndGet();
        return delegate.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        tasks.incrementAndGet();
        return delegate.schedule(task, delay, unit);
    }

    @Override
    public Worker createWorker() {
        Worker worker = delegate.createWorker();
        return new Worker() {
            @Override
            public Disposable schedule(Runnable task) {
                tasks.incrementAndGet();
                return worker.schedule(task);
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                tasks.incrementAndGet();
                return worker.schedule(task, delay, unit);
            }

            @Override
            public void dispose() {
                worker.dispose();
            }

            @Override
            public boolean isDisposed() {
                return worker.isDisposed();
            }
        };
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public boolean isDisposed() {
        return delegate.isDisposed();
    }
}
