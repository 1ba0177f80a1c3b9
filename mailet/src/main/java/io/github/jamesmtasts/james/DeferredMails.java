package io.github.jamesmtasts.james;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.queue.api.MailQueue;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Where deferred mail waits for its next attempt: a James {@link MailRepository}, so it waits durably and for
 * the whole delay on every James server (RabbitMQ's queue ignores {@code enQueue} delays). The due time and the
 * retry count travel as mail attributes. An in-memory index of due times, rebuilt by one scan of the repository
 * at start, tells a one-second ticker which mails to put back into the outgoing queue. A mail is enqueued before
 * it leaves the repository: after a crash in between it is delivered at least once, never lost.
 */
final class DeferredMails implements AutoCloseable {
    /** The retry counter, by the name James's {@code RemoteDelivery} gives it (an {@link Integer}). */
    static final AttributeName RETRY_COUNT = AttributeName.of("delivery_retry_count");
    /** When the mail is due again, in milliseconds since the epoch (a {@link Long}). */
    static final AttributeName DUE = AttributeName.of("io.github.jamesmtasts.delivery-due");

    private static final Logger LOG = LoggerFactory.getLogger(DeferredMails.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration RELEASE_RETRY = Duration.ofMinutes(1);
    private static final Pattern RETRY_SUFFIX = Pattern.compile("-retry-\\d+$");

    private final MailRepository repository;
    private final MailQueue queue;
    private final Clock clock;
    private final ConcurrentSkipListSet<Waiting> index = new ConcurrentSkipListSet<>(
        Comparator.comparing((Waiting waiting) -> waiting.due).thenComparing(waiting -> waiting.key.asString()));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mta-sts-deferred");
        thread.setDaemon(true);
        return thread;
    });

    DeferredMails(MailRepository repository, MailQueue queue, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The retries already made for a mail (0 for a new one). */
    static int retries(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RETRY_COUNT, Integer.class).orElse(0);
    }

    /** Indexes the mails already waiting (from before a restart) and starts releasing due mail. */
    void start() throws MessagingException {
        int found = 0;
        for (Iterator<MailKey> keys = repository.list(); keys.hasNext(); found++) {
            MailKey key = keys.next();
            Mail mail = repository.retrieve(key);
            if (mail != null) {
                index.add(new Waiting(due(mail), key));
                LifecycleUtil.dispose(mail);
            }
        }
        LOG.info("MTA-STS delivery: {} deferred mails waiting", found);
        ticker.scheduleWithFixedDelay(this::releaseDue, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Puts a mail aside until {@code delay} from now, as retry number {@code retries}. */
    void defer(Mail mail, int retries, Duration delay) throws MessagingException {
        Instant due = clock.instant().plus(delay);
        mail.setAttribute(new Attribute(RETRY_COUNT, AttributeValue.of(retries)));
        mail.setAttribute(new Attribute(DUE, AttributeValue.of(due.toEpochMilli())));
        // A key of its own for each deferral: the release of the previous one removes its key after the enqueue,
        // and must not remove this one when the retry came back faster than that.
        mail.setName(RETRY_SUFFIX.matcher(mail.getName()).replaceFirst("") + "-retry-" + retries);
        MailKey key = repository.store(mail);
        index.add(new Waiting(due, key));
    }

    private static Instant due(Mail mail) {
        return Instant.ofEpochMilli(AttributeUtils.getValueAndCastFromMail(mail, DUE, Long.class).orElse(0L));
    }

    private void releaseDue() {
        Instant now = clock.instant();
        for (Waiting waiting = index.pollFirst(); waiting != null; waiting = index.pollFirst()) {
            if (waiting.due.isAfter(now)) {
                index.add(waiting);
                return;
            }
            release(waiting);
        }
    }

    private void release(Waiting waiting) {
        try {
            Mail mail = repository.retrieve(waiting.key);
            if (mail != null) {
                try {
                    queue.enQueue(mail);
                    repository.remove(waiting.key);
                } finally {
                    // the repository handed out a copy, and the queue keeps one of its own
                    LifecycleUtil.dispose(mail);
                }
            }
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("MTA-STS delivery: cannot release deferred mail {}; trying again in {}", waiting.key.asString(), RELEASE_RETRY, e);
            index.add(new Waiting(clock.instant().plus(RELEASE_RETRY), waiting.key));
        }
    }

    /** Stops releasing; waiting mail stays in the repository for the next start. */
    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** A key in the repository and when its mail is due. */
    private static final class Waiting {
        private final Instant due;
        private final MailKey key;

        private Waiting(Instant due, MailKey key) {
            this.due = due;
            this.key = key;
        }
    }
}
