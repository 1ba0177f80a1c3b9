package io.github.jamesmtasts.tlsrpt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A {@link TaskTimer} on a single daemon thread of a {@link ScheduledExecutorService}. */
final class ExecutorTaskTimer implements TaskTimer {
    private final Clock clock;
    private final ScheduledExecutorService executor;

    ExecutorTaskTimer(Clock clock, String threadName) {
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void schedule(Instant time, Runnable task) {
        long delay = Math.max(0, Duration.between(clock.instant(), time).toMillis());
        executor.schedule(task, delay, TimeUnit.MILLISECONDS);
    }

    /** Drops the tasks not yet run and waits briefly for the running one. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
