package io.github.jamesmtasts.james;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Starts the delivery of each due mail, at most {@code limit} at a time; the others wait their turn, first come
 * first served. A key offered while its delivery runs is not started twice at once: it starts again when the
 * running delivery ends (it deferred the mail to a moment already come). A delivery that waits on the network
 * holds no thread, so the limit is about memory and fairness, not threads.
 *
 * <p>A new mail may come with a copy in hand, the same mail the repository has just stored: its delivery then
 * starts from that copy, without reading the repository back (whose file store is one lock for all its mails, and
 * which James's spool threads keep busy while mail comes in). Copies of at most {@code inHandBytes} in all wait in
 * hand; beyond that a copy is let go and the mail read back when its turn comes. Thread-safe.
 */
final class DeliveryDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final int limit;
    private final BiFunction<MailKey, Optional<Mail>, CompletableFuture<Void>> delivery;
    private final Deque<MailKey> waiting = new ArrayDeque<>();
    private final Map<MailKey, Mail> inHand = new HashMap<>();
    private final Map<MailKey, Long> inHandSizes = new HashMap<>();
    private final long inHandBudget;
    private long inHandBytes;
    private final Set<MailKey> queued = new HashSet<>();
    private final Set<MailKey> started = new HashSet<>();
    private final Set<MailKey> again = new HashSet<>();
    private int running;
    private boolean closed;

    /** @param delivery delivers the mail of a key, from the copy in hand when there is one; it disposes of that copy */
    DeliveryDispatcher(int limit, long inHandBytes, BiFunction<MailKey, Optional<Mail>, CompletableFuture<Void>> delivery) {
        if (limit < 1) {
            throw new IllegalArgumentException("at least one delivery at a time: " + limit);
        }
        this.limit = limit;
        this.inHandBudget = inHandBytes;
        this.delivery = delivery;
    }

    /** A mail is due: delivered now, or as soon as a delivery ends. */
    void offer(MailKey key) {
        offer(key, null, 0);
    }

    /** A new mail is due, with a copy in hand of {@code bytes} (null for none) that this dispatcher disposes of. */
    void offer(MailKey key, Mail copy, long bytes) {
        Mail unused = copy;
        synchronized (this) {
            if (!closed && started.contains(key)) {
                again.add(key);
            } else if (!closed && queued.add(key)) {
                waiting.addLast(key);
                if (copy != null && inHandBytes + bytes <= inHandBudget) {
                    inHand.put(key, copy);
                    inHandSizes.put(key, bytes);
                    inHandBytes += bytes;
                    unused = null;
                }
            }
        }
        LifecycleUtil.dispose(unused);
        startWhatFits();
    }

    /** How many deliveries run now. */
    synchronized int running() {
        return running;
    }

    private void startWhatFits() {
        while (true) {
            MailKey next;
            Optional<Mail> copy;
            synchronized (this) {
                if (closed || running >= limit || waiting.isEmpty()) {
                    return;
                }
                next = waiting.pollFirst();
                copy = Optional.ofNullable(inHand.remove(next));
                inHandBytes -= Optional.ofNullable(inHandSizes.remove(next)).orElse(0L);
                queued.remove(next);
                started.add(next);
                running++;
            }
            start(next, copy);
        }
    }

    private void start(MailKey key, Optional<Mail> copy) {
        CompletableFuture<Void> done;
        try {
            done = delivery.apply(key, copy);
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

    /** Starts nothing more; deliveries under way end on their own. The mails waiting stay in the repository. */
    @Override
    public void close() {
        Map<MailKey, Mail> copies;
        synchronized (this) {
            closed = true;
            waiting.clear();
            queued.clear();
            again.clear();
            copies = new HashMap<>(inHand);
            inHand.clear();
            inHandSizes.clear();
            inHandBytes = 0;
        }
        copies.values().forEach(LifecycleUtil::dispose);
    }
}
