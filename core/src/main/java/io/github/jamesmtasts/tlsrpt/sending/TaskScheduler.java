package io.github.jamesmtasts.tlsrpt.sending;

import java.time.Instant;

/**
 * The clock and the one thread that the {@link ReportScheduler} runs on: tasks run one at a time, in
 * the order of their times.
 */
interface TaskScheduler extends AutoCloseable {
    Instant now();

    /** Runs {@code task} at {@code time}, or at once if that has passed. */
    void schedule(Instant time, Runnable task);

    /** Runs no more tasks. */
    @Override
    void close();
}
