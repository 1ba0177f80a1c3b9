package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.DomainDelivery;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.MxDirectory;
import io.github.jamesmtasts.policy.PolicyResolver;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.smtp.SmtpSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.inject.Inject;
import javax.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The James mailet that delivers outbound mail under MTA-STS (RFC 8461 §5), in place of {@code RemoteDelivery}.
 *
 * <p>{@link #service} keeps the mail in the {@code repository} (durably, on a durable repository) and ends its
 * processing; from there {@link DeliveryDispatcher} delivers it, domain by domain, up to
 * {@code maxConcurrentDeliveries} mails at a time, none of them holding a thread while it waits on the network.
 * Mail to retry waits in the same repository until due; mail that cannot be delivered is returned through the
 * {@code bounceProcessor}. See {@link MailetParameters} for every parameter.
 */
public class MtaStsRemoteDelivery extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsRemoteDelivery.class);
    /** Threads that read and write the repository and read messages: the only blocking work of a delivery. */
    private static final int STORE_THREADS = 4;
    /** How long after start, and between tries, returned copies found at start are handed to James again. */
    private static final Duration RESEND_DELAY = Duration.ofSeconds(1);
    /**
     * The largest new mail whose delivery starts from a copy made in memory when it is stored; a larger one is read
     * back from the repository (copying it would cost more than reading it).
     */
    private static final long IN_HAND_MAX_BYTES = 256 * 1024;
    /** The most message bytes held in copies waiting for their delivery (then mail is read back from the repository). */
    private static final long IN_HAND_BUDGET_BYTES = 32L * 1024 * 1024;

    private final MailRepositoryStore repositories;
    private final MxDirectory directory;
    private final PolicyResolver policies;
    private final Enforcement enforcement;
    private final ResultSink results;
    private final SmtpSenderFactory senders;
    private final MtaStsMetrics metrics;
    private final DeliveryClaims claims;
    private final Clock clock;

    private MailetParameters parameters;
    private SmtpSender smtp;
    private RepositoryQueue queue;
    private ExecutorService store;
    private DeliveryDispatcher dispatcher;

    @Inject
    public MtaStsRemoteDelivery(MailRepositoryStore repositories, MxDirectory directory, PolicyResolver policies,
                                Enforcement enforcement, ResultSink results, SmtpSenderFactory senders, MtaStsMetrics metrics,
                                DeliveryClaims claims) {
        this(repositories, directory, policies, enforcement, results, senders, metrics, claims, Clock.systemUTC());
    }

    MtaStsRemoteDelivery(MailRepositoryStore repositories, MxDirectory directory, PolicyResolver policies,
                         Enforcement enforcement, ResultSink results, SmtpSenderFactory senders, MtaStsMetrics metrics,
                         DeliveryClaims claims, Clock clock) {
        this.clock = clock;
        this.repositories = repositories;
        this.directory = directory;
        this.policies = policies;
        this.enforcement = enforcement;
        this.results = results;
        this.senders = senders;
        this.metrics = metrics;
        this.claims = claims;
    }

    @Override
    public void init() throws MessagingException {
        parameters = MailetParameters.read(getMailetConfig());
        enforcement.setDefaultGlobal(parameters.enforcement());
        enforcement.setDefaultDane(parameters.dane());
        MailRepository repository;
        try {
            repository = repositories.select(MailRepositoryUrl.from(parameters.repository()));
        } catch (MailRepositoryStore.MailRepositoryStoreException e) {
            throw new MessagingException("Cannot open the mail repository " + parameters.repository(), e);
        }
        smtp = senders.create(parameters);
        store = Executors.newFixedThreadPool(STORE_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "mta-sts-store");
            thread.setDaemon(true);
            return thread;
        });
        queue = new RepositoryQueue(repository, clock, claims);
        Bounces bounces = new Bounces(getMailetContext(), parameters.bounceProcessor(), parameters.heloName(), queue, clock);
        MailDelivery delivery = new MailDelivery(new DomainDelivery(policies, directory, smtp, results, enforcement, clock),
            parameters.retrySchedule(), queue, bounces, metrics, store);
        dispatcher = new DeliveryDispatcher(parameters.maxConcurrentDeliveries(), IN_HAND_BUDGET_BYTES, (key, copy) -> deliver(delivery, key, copy));
        resendLater(bounces, queue.start(dispatcher::offer));
        LOG.info("MTA-STS delivery started: mail waits in {}, at most {} deliveries at once, enforcement {}, {}",
            parameters.repository(), parameters.maxConcurrentDeliveries(), parameters.enforcement().keyword(),
            parameters.retrySchedule());
    }

    /**
     * Hands the returned copies found at start to James again, once James runs: it sets up the queue behind
     * {@code MailetContext.sendMail} only after every mailet's {@code init}, so doing it here would fail (and stop
     * James from starting). A copy that cannot be handed over yet stays in the repository and is tried again.
     */
    private void resendLater(Bounces bounces, List<MailKey> returned) {
        if (returned.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.delayedExecutor(RESEND_DELAY.toMillis(), TimeUnit.MILLISECONDS, store).execute(() -> {
                List<MailKey> left = new ArrayList<>();
                for (MailKey key : returned) {
                    try {
                        bounces.resend(key);
                    } catch (MessagingException | RuntimeException e) {
                        LOG.debug("the returned copy {} cannot be handed to James yet; trying again", key, e);
                        left.add(key);
                    }
                }
                resendLater(bounces, left);
            });
        } catch (RejectedExecutionException e) {
            LOG.info("James stopped before {} returned copies were handed over; the next start does it", returned.size());
        }
    }

    /**
     * Delivers the mail of one key, from the copy in hand or else read from the repository; that mail is disposed of
     * afterwards, whatever happened.
     */
    private CompletableFuture<Void> deliver(MailDelivery delivery, MailKey key, Optional<Mail> copy) {
        CompletableFuture<Mail> mailOfKey = copy.isPresent()
            ? CompletableFuture.completedFuture(copy.get())
            : CompletableFuture.supplyAsync(() -> retrieve(key), store);
        return mailOfKey.thenCompose(mail -> {
            if (mail == null) {
                return CompletableFuture.completedFuture(null);
            }
            return admitted(key, mail).thenCompose(admitted -> admitted ? delivery.deliver(key, mail)
                : CompletableFuture.<Void>completedFuture(null)).whenComplete((done, error) -> {
                if (error != null) {
                    // The mail stays in the repository as it was; the next start, at the latest, tries it again.
                    LOG.error("MTA-STS delivery: {} could not be delivered, deferred nor returned", key.asString(), error);
                }
                LifecycleUtil.dispose(mail);
            });
        });
    }

    /**
     * Whether this node makes the attempt now: not before the mail is due (it waits for its time again), and, with a
     * shared repository, only when its claim of the attempt is won. A claim that cannot be made leaves the mail to
     * the next sweep.
     */
    private CompletableFuture<Boolean> admitted(MailKey key, Mail mail) {
        Instant due = RepositoryQueue.due(mail);
        if (due.isAfter(clock.instant())) {
            queue.waitUntil(key, due);
            return CompletableFuture.completedFuture(false);
        }
        if (!queue.claimsAreShared()) {
            return CompletableFuture.completedFuture(true);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                boolean mine = queue.claim(key, mail);
                LOG.debug("MTA-STS delivery: the attempt of {} due {} is {}", key.asString(), due, mine ? "this node's" : "another node's");
                return mine;
            } catch (MessagingException e) {
                LOG.warn("MTA-STS delivery: {}; the next sweep of the repository offers it again", e.getMessage(), e);
                return false;
            }
        }, store);
    }

    private Mail retrieve(MailKey key) {
        try {
            return queue.retrieve(key);
        } catch (MessagingException e) {
            LOG.error("MTA-STS delivery: cannot read {} from the repository", key.asString(), e);
            return null;
        }
    }

    /**
     * Keeps the mail in the repository, to be delivered from there; its processing ends here (RFC 5321 §4.5.4:
     * delivery is queued). The DSN of a mail this mailet returned lets the returned copy go once it is kept.
     */
    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getRecipients().isEmpty()) {
            return;
        }
        Optional<MailKey> returned = Bounces.dsnArrived(mail);
        MailKey key = queue.add(mail);
        long size = mail.getMessageSize();
        dispatcher.offer(key, size <= IN_HAND_MAX_BYTES ? copyInHand(mail) : null, size);
        mail.setState(Mail.GHOST);
        if (returned.isPresent()) {
            queue.remove(returned.get());
        }
    }

    /** A copy of a new mail, under its name, to deliver from; null when none can be made. */
    private static Mail copyInHand(Mail mail) {
        try {
            Mail copy = mail.duplicate();
            copy.setName(mail.getName());
            return copy;
        } catch (MessagingException e) {
            LOG.debug("no copy of {} in hand; its delivery reads it from the repository", mail.getName(), e);
            return null;
        }
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return parameters == null ? List.of()
            : parameters.bounceProcessor().map(processor -> List.of(new ProcessingState(processor))).orElse(List.of());
    }

    @Override
    public void destroy() {
        if (queue != null) {
            queue.close();
            dispatcher.close();
            smtp.close();
            store.shutdown();
            try {
                store.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String getMailetInfo() {
        return "MTA-STS (RFC 8461) remote delivery";
    }
}
