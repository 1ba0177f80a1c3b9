package io.github.jamesmtasts.smtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * The sessions of each destination (an MX address under one stance), at most {@code limit} of them open or
 * opening at a time, as Postfix's {@code default_destination_concurrency_limit}. A message for a destination takes
 * a {@link Lease}: the session another message has just finished with, an idle one, or the right to open a new one
 * while fewer than the limit are open; otherwise it waits, holding no thread, until one of those comes free. Whoever
 * holds a lease ends it exactly once: {@link #release} with the session it used, or {@link #abandon} when it has none
 * (the open failed).
 *
 * <p>RFC 5321 §4.5.3.1 lets a client send several transactions per connection. A session idle longer than the idle
 * timeout is retired ({@code QUIT}). Thread-safe; no future is completed while the lock is held.
 */
final class ConnectionPool {
    private final int limit;
    private final Duration idleTimeout;
    private final Consumer<SmtpSession> retire;
    private final Map<Destination, Sessions> destinations = new HashMap<>();
    private boolean closed;

    /**
     * @param limit  sessions open or opening per destination, at least 1
     * @param retire ends a session that leaves the pool without being reused
     */
    ConnectionPool(int limit, Duration idleTimeout, Consumer<SmtpSession> retire) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one session per destination: " + limit);
        }
        this.limit = limit;
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.retire = Objects.requireNonNull(retire, "retire");
    }

    /** What a message gets to be sent on; fails only when the pool is closed. */
    CompletableFuture<Lease> acquire(Destination key) {
        List<SmtpSession> broken = new ArrayList<>();
        Lease lease = null;
        CompletableFuture<Lease> waiting = null;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the SMTP sender is closed"));
            }
            Sessions destination = destinations.computeIfAbsent(key, k -> new Sessions());
            while (lease == null && !destination.idle.isEmpty()) {
                Idle entry = destination.idle.pollLast();
                entry.timer.cancel(false);
                if (entry.session.isReusable()) {
                    lease = Lease.of(entry.session);
                } else {
                    broken.add(entry.session);
                    destination.open--;
                }
            }
            if (lease == null && destination.open < limit) {
                destination.open++;
                lease = Lease.toOpen();
            }
            if (lease == null) {
                waiting = new CompletableFuture<>();
                destination.waiting.addLast(waiting);
            }
        }
        broken.forEach(retire);
        return lease != null ? CompletableFuture.completedFuture(lease) : waiting;
    }

    /**
     * Ends a lease with the session it used: handed to the next waiting message, kept idle when {@code reusable},
     * else retired and its place given to the next waiting message.
     */
    void release(Destination key, SmtpSession session, boolean reusable) {
        CompletableFuture<Lease> next = null;
        Lease lease = null;
        boolean retired = false;
        synchronized (this) {
            Sessions destination = destinations.get(key);
            boolean keep = reusable && !closed && session.isReusable();
            if (keep && !destination.waiting.isEmpty()) {
                next = destination.waiting.pollFirst();
                lease = Lease.of(session);
            } else if (keep) {
                Idle entry = new Idle(session);
                destination.idle.addLast(entry);
                entry.timer = session.schedule(() -> expire(key, entry), idleTimeout);
            } else {
                retired = true;
                destination.open--;
                next = nextToOpen(destination);
                lease = next == null ? null : Lease.toOpen();
                forgetIfUnused(key, destination);
            }
        }
        if (retired) {
            retire.accept(session);
        }
        if (next != null) {
            next.complete(lease);
        }
    }

    /** Ends a lease that got no session (the open failed): its place goes to the next waiting message. */
    void abandon(Destination key) {
        CompletableFuture<Lease> next;
        synchronized (this) {
            Sessions destination = destinations.get(key);
            destination.open--;
            next = nextToOpen(destination);
            forgetIfUnused(key, destination);
        }
        if (next != null) {
            next.complete(Lease.toOpen());
        }
    }

    /** Closes the pool: idle sessions are handed back to be retired, waiting messages fail, later releases retire. */
    List<SmtpSession> close() {
        List<SmtpSession> idle = new ArrayList<>();
        List<CompletableFuture<Lease>> waiting = new ArrayList<>();
        synchronized (this) {
            closed = true;
            destinations.values().forEach(destination -> {
                destination.idle.forEach(entry -> {
                    entry.timer.cancel(false);
                    idle.add(entry.session);
                });
                destination.open -= destination.idle.size();
                destination.idle.clear();
                waiting.addAll(destination.waiting);
                destination.waiting.clear();
            });
        }
        waiting.forEach(future -> future.completeExceptionally(new IllegalStateException("the SMTP sender is closed")));
        return idle;
    }

    synchronized int idleCount() {
        return destinations.values().stream().mapToInt(destination -> destination.idle.size()).sum();
    }

    private CompletableFuture<Lease> nextToOpen(Sessions destination) {
        if (destination.waiting.isEmpty() || closed) {
            return null;
        }
        destination.open++;
        return destination.waiting.pollFirst();
    }

    private void forgetIfUnused(Destination key, Sessions destination) {
        if (destination.open == 0 && destination.waiting.isEmpty()) {
            destinations.remove(key);
        }
    }

    private void expire(Destination key, Idle entry) {
        CompletableFuture<Lease> next = null;
        boolean removed;
        synchronized (this) {
            Sessions destination = destinations.get(key);
            removed = destination != null && destination.idle.remove(entry);
            if (removed) {
                destination.open--;
                next = nextToOpen(destination);
                forgetIfUnused(key, destination);
            }
        }
        if (removed) {
            retire.accept(entry.session);
        }
        if (next != null) {
            next.complete(Lease.toOpen());
        }
    }

    /**
     * What a message is sent on: a session another message has just finished with or an idle one, or none (open a new
     * one; its place is already counted).
     */
    static final class Lease {
        private final SmtpSession session;

        private Lease(SmtpSession session) {
            this.session = session;
        }

        static Lease toOpen() {
            return new Lease(null);
        }

        static Lease of(SmtpSession session) {
            return new Lease(session);
        }

        /** The session to send on, null when a new one is to be opened. */
        SmtpSession session() {
            return session;
        }
    }

    /** The sessions of one destination: idle ones, how many are open or opening, and the messages waiting. */
    private static final class Sessions {
        private final Deque<Idle> idle = new ArrayDeque<>();
        private final Deque<CompletableFuture<Lease>> waiting = new ArrayDeque<>();
        private int open;
    }

    private static final class Idle {
        private final SmtpSession session;
        private ScheduledFuture<?> timer;

        Idle(SmtpSession session) {
            this.session = session;
        }
    }
}
