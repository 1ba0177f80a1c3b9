package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.DomainDelivery;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.MxDirectory;
import io.github.jamesmtasts.policy.PolicyResolver;
import io.github.jamesmtasts.result.ResultSink;
import io.github.jamesmtasts.smtp.SmtpSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import javax.inject.Inject;
import javax.mail.MessagingException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * The James mailet that delivers outbound mail under MTA-STS (RFC 8461 §5), in place of {@code RemoteDelivery}.
 *
 * <p>{@link #service} puts the mail in the {@code outgoing} James mail queue and ends its processing; a pool of
 * {@code deliveryThreads} workers takes mail from the queue and delivers it domain by domain. Mail to retry waits
 * in the {@code deferredRepository} until due, then goes back into the queue; mail that cannot be delivered is
 * returned through the {@code bounceProcessor}. See {@link MailetParameters} for every parameter.
 */
public class MtaStsRemoteDelivery extends GenericMailet {
    private static final Logger LOG = LoggerFactory.getLogger(MtaStsRemoteDelivery.class);

    private final MailQueueFactory<?> queues;
    private final MailRepositoryStore repositories;
    private final MxDirectory directory;
    private final PolicyResolver policies;
    private final Enforcement enforcement;
    private final ResultSink results;
    private final SmtpSenderFactory senders;
    private final MtaStsMetrics metrics;

    private MailetParameters parameters;
    private MailQueue queue;
    private SmtpSender smtp;
    private DeferredMails deferred;
    private Scheduler workers;
    private Disposable dequeuing;

    @Inject
    public MtaStsRemoteDelivery(MailQueueFactory<?> queues, MailRepositoryStore repositories, MxDirectory directory,
                                PolicyResolver policies, Enforcement enforcement, ResultSink results,
                                SmtpSenderFactory senders, MtaStsMetrics metrics) {
        this.queues = queues;
        this.repositories = repositories;
        this.directory = directory;
        this.policies = policies;
        this.enforcement = enforcement;
        this.results = results;
        this.senders = senders;
        this.metrics = metrics;
    }

    @Override
    public void init() throws MessagingException {
        parameters = MailetParameters.read(getMailetConfig());
        enforcement.setDefaultGlobal(parameters.enforcement());
        queue = queues.createQueue(MailQueueName.of(parameters.outgoing()));
        MailRepository repository;
        try {
            repository = repositories.select(MailRepositoryUrl.from(parameters.deferredRepository()));
        } catch (MailRepositoryStore.MailRepositoryStoreException e) {
            throw new MessagingException("Cannot open the deferred mail repository " + parameters.deferredRepository(), e);
        }
        smtp = senders.create(parameters);
        Clock clock = Clock.systemUTC();
        DomainDelivery domains = new DomainDelivery(policies, directory, smtp, results, enforcement, clock);
        deferred = new DeferredMails(repository, queue, clock);
        MailDelivery delivery = new MailDelivery(domains, parameters.delivery().retrySchedule(), deferred,
            new Bounces(getMailetContext(), parameters.bounceProcessor(), parameters.heloName()), metrics);
        deferred.start();
        workers = Schedulers.newBoundedElastic(parameters.deliveryThreads(), Integer.MAX_VALUE, "mta-sts-delivery");
        dequeuing = Flux.from(queue.deQueue())
            .flatMap(item -> Mono.fromRunnable(() -> deliver(delivery, item)).subscribeOn(workers), parameters.deliveryThreads())
            .subscribe();
        LOG.info("MTA-STS delivery started: queue {}, deferred mail in {}, enforcement {}, {}", parameters.outgoing(),
            parameters.deferredRepository(), parameters.enforcement().keyword(), parameters.delivery());
    }

    /**
     * Delivers one mail of the queue. The queue's copy is disposed of afterwards in every case, as James's own
     * {@code RemoteDelivery} does: the queue, the deferred repository and the bounce each keep copies of their own,
     * and an undisposed mail holds its content until the garbage collector finds it.
     */
    private static void deliver(MailDelivery delivery, MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try {
            delivery.deliver(mail);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (MessagingException | RuntimeException e) {
            LOG.error("MTA-STS delivery: {} could not be delivered, deferred nor returned; it goes back to the queue",
                mail.getName(), e);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (MessagingException again) {
                LOG.error("MTA-STS delivery: cannot give {} back to the queue", mail.getName(), again);
            }
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    /** Hands the mail to the outgoing queue; its processing ends here (RFC 5321 §4.5.4: delivery is queued). */
    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getRecipients().isEmpty()) {
            return;
        }
        queue.enQueue(mail);
        mail.setState(Mail.GHOST);
    }

    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return parameters == null ? List.of()
            : parameters.bounceProcessor().map(processor -> List.of(new ProcessingState(processor))).orElse(List.of());
    }

    @Override
    public void destroy() {
        if (dequeuing != null) {
            dequeuing.dispose();
            workers.dispose();
            deferred.close();
            smtp.close();
        }
    }

    @Override
    public String getMailetInfo() {
        return "MTA-STS (RFC 8461) remote delivery";
    }
}
