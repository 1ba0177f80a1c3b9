package io.github.jamesmtasts.tlsrpt.sending;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Comparator;

/** A {@link TaskScheduler} on virtual time: tasks run on the test's thread when the test moves time on. */
final class VirtualTimer implements TaskScheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(Comparator.comparing(Task::time).thenComparing(Task::sequence));
    private final List<Instant> scheduled = new ArrayList<>();
    private Instant now;
    private long sequence;
    private boolean closed;

    VirtualTimer(Instant start) {
        this.now = start;
    }

    private record Task(Instant time, long sequence, Runnable runnable) {
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public void schedule(Instant time, Runnable task) {
        scheduled.add(time);
        tasks.add(new Task(time.isBefore(now) ? now : time, sequence++, task));
    }

    /** Runs, in order, every task due up to {@code time}, then stands at {@code time}. */
    void runUntil(Instant time) {
        while (!closed && !tasks.isEmpty() && !tasks.peek().time().isAfter(time)) {
            Task task = tasks.poll();
            now = task.time();
            task.runnable().run();
        }
        now = time;
    }

    /** A clock that reads this timer's time. */
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.fixed(now, zone);
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    /** Every time a task was scheduled for, in the order asked. */
    List<Instant> scheduledTimes() {
        return List.copyOf(scheduled);
    }

    @Override
    public void close() {
        closed = true;
        tasks.clear();
    }
}
