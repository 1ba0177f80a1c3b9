package io.github.jamesmtasts.james;

import org.apache.james.mailrepository.api.MailKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Starts the delivery of each due mail, at most {@code limit} at a time; the others wait their turn, first come
 * first served. A key offered while its delivery runs is not started twice at once: it starts again when the
 * running delivery ends (it deferred the mail to a moment already come). A delivery that waits on the network
 * holds no thread, so the limit is about memory and fairness, not threads. Thread-safe.
 */
final class DeliveryDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final int limit;
    private final Function<MailKey, CompletableFuture<Void>> delivery;
    private final Deque<MailKey> waiting = new ArrayDeque<>();
    private final Set<MailKey> queued = new HashSet<>();
    private final Set<MailKey> started = new HashSet<>();
    private final Set<MailKey> again = new HashSet<>();
    private int running;
    private boolean closed;

    DeliveryDispatcher(int limit, Function<MailKey, CompletableFuture<Void>> delivery) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one delivery at a time: " + limit);
        }
        this.limit = limit;
        this.delivery = delivery;
    }

    /** A mail is due: delivered now, or as soon as a delivery ends. */
    void offer(MailKey key) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (started.contains(key)) {
                again.add(key);
                return;
            }
            if (!queued.add(key)) {
                return;
            }
            waiting.addLast(key);
        }
        startWhatFits();
    }

    /** How many deliveries run now. */
    synchronized int running() {
        return running;
    }

    private void startWhatFits() {
        while (true) {
            MailKey next;
            synchronized (this) {
                if (closed || running >= limit || waiting.isEmpty()) {
                    return;
                }
                next = waiting.pollFirst();
                queued.remove(next);
                started.add(next);
                running++;
            }
            start(next);
        }
    }

    private void start(MailKey key) {
        CompletableFuture<Void> done;
        try {
            done = delivery.apply(key);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((result, error) -> {
            if (error != null) {
                LOG.error("MTA-STS delivery of {} failed", key.asString(), error);
            }
            synchronized (this) {
                running--;
                started.remove(key);
                if (again.remove(key) && queued.add(key)) {
                    waiting.addLast(key);
                }
            }
            startWhatFits();
        });
    }

    /** Starts nothing more; deliveries under way end on their own. */
    @Override
    public synchronized void close() {
        closed = true;
        waiting.clear();
        queued.clear();
        again.clear();
    }
}
