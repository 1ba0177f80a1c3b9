package io.github.jamesmtasts.tlsrpt.sending;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A {@link TaskScheduler} on a single daemon thread of a {@link ScheduledThreadPoolExecutor}. */
final class ExecutorTaskScheduler implements TaskScheduler {
    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    ExecutorTaskScheduler(Clock clock, String threadName) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        // On close, tasks waiting for their time are dropped rather than run.
        this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    /** After {@link #close()}, tasks are dropped: the counts they concern stay in the store for the next run. */
    @Override
    public void schedule(Instant time, Runnable task) {
        if (executor.isShutdown()) {
            return;
        }
        long delay = Math.max(0, Duration.between(clock.instant(), time).toMillis());
        executor.schedule(task, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Drops the tasks not yet due and lets the running one finish (not interrupted: an interrupt would
     * close the store's file channel mid-write), waiting up to a minute.
     */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
