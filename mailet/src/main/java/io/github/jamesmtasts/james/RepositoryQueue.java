package io.github.jamesmtasts.james;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where every mail the delivery mailet has taken waits until it is delivered or returned: a James
 * {@link MailRepository}, durable when the repository is ({@code file://} on the memory server,
 * {@code cassandra://} on the distributed one). New mail is due at once; mail to retry is due after its
 * delay; a returned copy waits here until its DSN is on its way (see {@link Bounces}). The due time and the
 * retry count travel as mail attributes. An index of due times, rebuilt by one scan of the repository at
 * start, hands each key to the delivery when it is due, once.
 *
 * <p>A mail is only ever rewritten in place (same key) or removed, never moved: whatever the moment of a
 * crash, it is still in the repository, and is tried again at the next start (RFC 5321 §6.1 allows the
 * duplicate of a message whose {@code 250} reply came just before the crash).
 */
final class RepositoryQueue implements AutoCloseable {
    /** The retry counter, by the name James's {@code RemoteDelivery} gives it (an {@link Integer}). */
    static final AttributeName RETRY_COUNT = AttributeName.of("delivery_retry_count");
    /** When the mail is due, in milliseconds since the epoch (a {@link Long}). */
    static final AttributeName DUE = AttributeName.of("io.github.jamesmtasts.delivery-due");

    private static final Logger LOG = LoggerFactory.getLogger(RepositoryQueue.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration RELEASE_RETRY = Duration.ofMinutes(1);

    private final MailRepository repository;
    private final Clock clock;
    private final ConcurrentSkipListSet<Waiting> index = new ConcurrentSkipListSet<>(
        Comparator.comparing((Waiting waiting) -> waiting.due).thenComparing(waiting -> waiting.key.asString()));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mta-sts-queue");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Consumer<MailKey> onDue = key -> { };

    RepositoryQueue(MailRepository repository, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The retries already made for a mail (0 for a new one). */
    static int retries(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RETRY_COUNT, Integer.class).orElse(0);
    }

    /**
     * Indexes the mails already waiting (from before a restart) and starts handing due keys to {@code onDue}.
     *
     * @return the keys of returned copies still waiting for their DSN, to be sent again
     */
    List<MailKey> start(Consumer<MailKey> due) throws MessagingException {
        this.onDue = Objects.requireNonNull(due, "due");
        List<MailKey> bounces = new ArrayList<>();
        int found = 0;
        for (Iterator<MailKey> keys = repository.list(); keys.hasNext(); found++) {
            MailKey key = keys.next();
            Mail mail = repository.retrieve(key);
            if (mail == null) {
                continue;
            }
            if (Bounces.isReturnedCopy(mail)) {
                bounces.add(key);
            } else {
                index.add(new Waiting(due(mail), key));
            }
            LifecycleUtil.dispose(mail);
        }
        LOG.info("MTA-STS delivery: {} mails waiting in the repository, {} of them returned copies", found, bounces.size());
        ticker.scheduleWithFixedDelay(this::releaseDue, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        return bounces;
    }

    /** Takes a new mail: stored durably, due at once; the caller hands the key to the delivery. */
    MailKey add(Mail mail) throws MessagingException {
        mail.setAttribute(new Attribute(DUE, AttributeValue.of(clock.millis())));
        return repository.store(mail);
    }

    /** Rewrites a mail in place, to be due {@code delay} from now, as retry number {@code retries}. */
    void defer(Mail mail, int retries, Duration delay) throws MessagingException {
        mail.setAttribute(new Attribute(RETRY_COUNT, AttributeValue.of(retries)));
        keepUntil(mail, clock.instant().plus(delay));
    }

    /** Rewrites a mail in place, due at {@code due}. */
    void keepUntil(Mail mail, Instant due) throws MessagingException {
        mail.setAttribute(new Attribute(DUE, AttributeValue.of(due.toEpochMilli())));
        MailKey key = repository.store(mail);
        index.add(new Waiting(due, key));
    }

    /** The mail under a key, or null when it is gone; the caller disposes of it. */
    Mail retrieve(MailKey key) throws MessagingException {
        return repository.retrieve(key);
    }

    /** The mail is delivered or returned: it leaves the repository. */
    void remove(MailKey key) throws MessagingException {
        repository.remove(key);
    }

    /** How many mails wait, in delivery or due later. */
    long size() throws MessagingException {
        return repository.size();
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
            try {
                onDue.accept(waiting.key);
            } catch (RuntimeException e) {
                LOG.warn("MTA-STS delivery: cannot start the delivery of {}; trying again in {}", waiting.key.asString(),
                    RELEASE_RETRY, e);
                index.add(new Waiting(now.plus(RELEASE_RETRY), waiting.key));
            }
        }
    }

    /** Stops handing out keys; waiting mail stays in the repository for the next start. */
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
