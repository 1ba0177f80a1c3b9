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
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>When every node sees the repository ({@link DeliveryClaims#isShared()}), the index is also fed by a scan of
 * the repository every {@link DeliveryClaims#sweep()}, which finds the mail other nodes keep; the claim of each
 * attempt decides which node makes it. A returned copy found so is indexed one sweep after its due time, so that
 * the node that kept it lets it go first; one still there then was left by a node that died or restarted, and its
 * DSN is sent again ({@link #isLeftBehind}).
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
    private final DeliveryClaims claims;
    private final ConcurrentSkipListSet<Waiting> index = new ConcurrentSkipListSet<>(
        Comparator.comparing((Waiting waiting) -> waiting.due).thenComparing(waiting -> waiting.key.asString()));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mta-sts-queue");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Consumer<MailKey> onDue = key -> { };
    /** The returned copies this node kept since its start (their DSN left from here). */
    private final Set<MailKey> keptHere = ConcurrentHashMap.newKeySet();

    RepositoryQueue(MailRepository repository, Clock clock, DeliveryClaims claims) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.claims = Objects.requireNonNull(claims, "claims");
    }

    /** The retries already made for a mail (0 for a new one). */
    static int retries(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RETRY_COUNT, Integer.class).orElse(0);
    }

    /**
     * Indexes the mails already waiting (from before a restart) and starts handing due keys to {@code onDue}.
     *
     * @return the keys of returned copies still waiting for their DSN, to be sent again (none with a shared
     *     repository: those are indexed, and their DSN sent again only when no node let them go in time)
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
            if (Bounces.isReturnedCopy(mail) && !claims.isShared()) {
                bounces.add(key);
            } else {
                index(key, mail);
            }
            LifecycleUtil.dispose(mail);
        }
        LOG.info("MTA-STS delivery: {} mails waiting in the repository ({}), {} returned copies to hand over again", found,
            claims, bounces.size());
        ticker.scheduleWithFixedDelay(this::releaseDue, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        claims.sweep().ifPresent(sweep ->
            ticker.scheduleWithFixedDelay(this::sweep, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS));
        return bounces;
    }

    /** Indexes a mail found in the repository: at its due time, a returned copy one sweep later. */
    private void index(MailKey key, Mail mail) {
        Instant due = due(mail);
        index.add(new Waiting(Bounces.isReturnedCopy(mail) ? due.plus(claims.sweep().orElse(Duration.ZERO)) : due, key));
    }

    /** Looks through a shared repository for the mail of other nodes (and this node's own, already indexed). */
    private void sweep() {
        int found = 0;
        try {
            for (Iterator<MailKey> keys = repository.list(); keys.hasNext(); ) {
                MailKey key = keys.next();
                try {
                    Mail mail = repository.retrieve(key);
                    if (mail != null) {
                        index(key, mail);
                        found++;
                        LifecycleUtil.dispose(mail);
                    }
                } catch (MessagingException | RuntimeException e) {
                    // Being written or removed by another node at this moment: the next sweep sees it as it is then.
                    LOG.debug("MTA-STS delivery: {} not readable in this sweep", key.asString(), e);
                }
            }
        } catch (MessagingException | RuntimeException e) {
            LOG.warn("MTA-STS delivery: cannot look through the shared repository; trying again in {}", claims.sweep().get(), e);
        }
        LOG.debug("MTA-STS delivery: swept the shared repository, {} mails", found);
    }

    /**
     * Whether a returned copy was left behind by another node, or by this one before a restart: its DSN may not
     * have left, so it is sent again. Only with a shared repository: alone, the copies found at start are handed
     * over again at once.
     */
    boolean isLeftBehind(MailKey key) {
        return claims.isShared() && !keptHere.contains(key);
    }

    /** Whether this node makes the attempt of a mail as it is now due (with a shared repository, its claim). */
    boolean claim(MailKey key, Mail mail) throws MessagingException {
        try {
            return claims.claim(key, due(mail));
        } catch (IOException e) {
            throw new MessagingException("cannot claim the delivery of " + key.asString() + ": " + e.getMessage(), e);
        }
    }

    /** Whether claiming an attempt waits on a store shared by the nodes (else it takes no time). */
    boolean claimsAreShared() {
        return claims.isShared();
    }

    /** Hands the key to the delivery again at {@code due} (a mail read before its time). */
    void waitUntil(MailKey key, Instant due) {
        index.add(new Waiting(due, key));
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
        if (Bounces.isReturnedCopy(mail)) {
            keptHere.add(key);
        }
        index.add(new Waiting(due, key));
    }

    /** The mail under a key, or null when it is gone; the caller disposes of it. */
    Mail retrieve(MailKey key) throws MessagingException {
        return repository.retrieve(key);
    }

    /** The mail is delivered or returned: it leaves the repository. */
    void remove(MailKey key) throws MessagingException {
        repository.remove(key);
        keptHere.remove(key);
    }

    /** How many mails wait, in delivery or due later. */
    long size() throws MessagingException {
        return repository.size();
    }

    /** When a mail is due (at once when it carries no due time). */
    static Instant due(Mail mail) {
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
