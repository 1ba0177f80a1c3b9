package io.github.jamesmtasts.smtp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * Idle sessions kept open for the next message to the same MX address under the same stance (RFC
 * 5321 §4.5.3.1 lets a client send several transactions per connection). A session idle longer
 * than the idle timeout is retired ({@code QUIT}); one that broke while idle is dropped when taken.
 * Thread-safe.
 */
final class ConnectionPool {
    private final Duration idleTimeout;
    private final Consumer<SmtpSession> retire;
    private final Map<Key, Deque<Idle>> idle = new HashMap<>();
    private boolean closed;

    /** @param retire ends a session that leaves the pool without being reused */
    ConnectionPool(Duration idleTimeout, Consumer<SmtpSession> retire) {
        this.idleTimeout = idleTimeout;
        this.retire = retire;
    }

    /** The most recently used idle session to {@code target} under {@code stance}, if one is still open. */
    Optional<SmtpSession> take(MxTarget target, TlsStance stance) {
        List<SmtpSession> broken = new ArrayList<>();
        Optional<SmtpSession> found = Optional.empty();
        synchronized (this) {
            Deque<Idle> sessions = idle.getOrDefault(new Key(target, stance), new ArrayDeque<>());
            while (found.isEmpty() && !sessions.isEmpty()) {
                Idle entry = sessions.pollLast();
                entry.timer.cancel(false);
                if (entry.session.isReusable()) {
                    found = Optional.of(entry.session);
                } else {
                    broken.add(entry.session);
                }
            }
        }
        broken.forEach(retire);
        return found;
    }

    /** Keeps {@code session} for reuse, or retires it when the pool is closed. */
    void give(MxTarget target, TlsStance stance, SmtpSession session) {
        synchronized (this) {
            if (!closed) {
                Key key = new Key(target, stance);
                Idle entry = new Idle(session);
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(entry);
                entry.timer = session.schedule(() -> expire(key, entry), idleTimeout);
                return;
            }
        }
        retire.accept(session);
    }

    /** Closes the pool: every idle session is handed back, to be retired; sessions given later are retired at once. */
    List<SmtpSession> close() {
        List<SmtpSession> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(sessions -> sessions.forEach(entry -> {
                entry.timer.cancel(false);
                all.add(entry.session);
            }));
            idle.clear();
        }
        return all;
    }

    synchronized int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    private void expire(Key key, Idle entry) {
        boolean removed;
        synchronized (this) {
            Deque<Idle> sessions = idle.get(key);
            removed = sessions != null && sessions.remove(entry);
        }
        if (removed) {
            retire.accept(entry.session);
        }
    }

    private static final class Idle {
        private final SmtpSession session;
        private ScheduledFuture<?> timer;

        Idle(SmtpSession session) {
            this.session = session;
        }
    }

    private static final class Key {
        private final MxTarget target;
        private final TlsStance stance;

        Key(MxTarget target, TlsStance stance) {
            this.target = target;
            this.stance = stance;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key other = (Key) o;
            return target.equals(other.target) && stance == other.stance;
        }

        @Override
        public int hashCode() {
            return Objects.hash(target, stance);
        }
    }
}
