package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.DeliveryOutcome;
import io.github.jamesmtasts.delivery.DeliveryProblem;
import io.github.jamesmtasts.delivery.DeliveryRequest;
import io.github.jamesmtasts.delivery.DomainDelivery;
import io.github.jamesmtasts.delivery.DomainOutcome;
import io.github.jamesmtasts.delivery.RetrySchedule;
import io.github.jamesmtasts.delivery.TlsRequirement;
import io.github.jamesmtasts.dns.HostNames;
import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.mail.MessagingException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * One delivery attempt of one James mail waiting in the {@link RepositoryQueue}: its recipients grouped by
 * policy domain, the domains delivered at the same time by {@link DomainDelivery}, then the returned recipients
 * handed to {@link Bounces} and the mail rewritten with only the recipients to retry, or removed. A recipient
 * once delivered is never sent again (but for a crash between the MX's {@code 250} and the rewrite: RFC 5321
 * §6.1). Reading and writing the repository and the message runs on the {@code store} executor; waiting for
 * DNS, policies and MX hosts holds no thread.
 */
final class MailDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    private final DomainDelivery domains;
    private final RetrySchedule schedule;
    private final RepositoryQueue queue;
    private final Bounces bounces;
    private final MtaStsMetrics metrics;
    private final Executor store;

    MailDelivery(DomainDelivery domains, RetrySchedule schedule, RepositoryQueue queue, Bounces bounces,
                 MtaStsMetrics metrics, Executor store) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.bounces = Objects.requireNonNull(bounces, "bounces");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Delivers the mail of {@code key} as far as it goes now: delivers, returns, and defers the rest. A returned
     * copy whose wait for its DSN is over leaves the queue; one left behind by a node that died is handed over again. Completes when the repository says what is left.
     */
    CompletableFuture<Void> deliver(MailKey key, Mail mail) {
        if (Bounces.isReturnedCopy(mail)) {
            return CompletableFuture.runAsync(() -> unchecked(() -> {
                if (queue.isLeftBehind(key)) {
                    bounces.resend(mail);
                } else {
                    queue.remove(key);
                }
            }), store);
        }
        int retriesMade = RepositoryQueue.retries(mail);
        return attempt(mail).thenAcceptAsync(outcomes -> unchecked(() -> settle(key, mail, outcomes, retriesMade)), store);
    }

    /** Bounces first, kept durably by {@link Bounces}; then the mail keeps only the recipients to retry. */
    private void settle(MailKey key, Mail mail, Map<MailAddress, DeliveryOutcome> outcomes, int retriesMade)
        throws MessagingException {
        Map<MailAddress, DeliveryProblem> failed = new LinkedHashMap<>();
        List<MailAddress> again = new ArrayList<>();
        Duration delay = Duration.ZERO;
        for (Map.Entry<MailAddress, DeliveryOutcome> entry : outcomes.entrySet()) {
            DeliveryOutcome outcome = entry.getValue();
            if (outcome.status() == DeliveryOutcome.Status.DELIVERED) {
                continue;
            }
            Optional<Duration> retry = schedule.retryDelay(outcome, retriesMade);
            if (retry.isPresent()) {
                again.add(entry.getKey());
                delay = retry.get();
            } else {
                failed.put(entry.getKey(), outcome.problem().orElseThrow());
            }
        }
        try {
            bounces.bounce(mail, failed, retriesMade);
        } catch (MessagingException | RuntimeException e) {
            // The return is tried again with the next attempt, rather than lost.
            LOG.error("MTA-STS delivery: cannot return {} to its sender for {}; trying again later", mail.getName(), failed, e);
            again.addAll(failed.keySet());
            delay = delay.isZero() ? schedule.delays().get(0) : delay;
        }
        if (again.isEmpty()) {
            queue.remove(key);
            return;
        }
        mail.setRecipients(again);
        queue.defer(mail, retriesMade + 1, delay);
        LOG.info("MTA-STS delivery: {} deferred for {} ({}), retry {} of {}", mail.getName(), again, delay,
            retriesMade + 1, schedule.maxRetries());
    }

    /** Every recipient's outcome; a local error (an unreadable message) retries everybody. */
    private CompletableFuture<Map<MailAddress, DeliveryOutcome>> attempt(Mail mail) {
        return CompletableFuture.supplyAsync(() -> requests(mail), store)
            .thenCompose(requests -> {
                List<CompletableFuture<DomainOutcome>> delivered = requests.stream()
                    .map(request -> domains.deliver(request).whenComplete((outcome, error) -> count(outcome)))
                    .collect(Collectors.toList());
                return CompletableFuture.allOf(delivered.toArray(new CompletableFuture<?>[0])).thenApply(all -> {
                    Map<MailAddress, DeliveryOutcome> outcomes = new LinkedHashMap<>();
                    for (MailAddress recipient : mail.getRecipients()) {
                        String domain = policyDomain(recipient);
                        delivered.stream().map(CompletableFuture::join).filter(outcome -> outcome.domain().equals(domain))
                            .findFirst().ifPresent(outcome -> outcomes.put(recipient, outcome.outcomes().get(recipient.asString())));
                    }
                    return outcomes;
                });
            })
            .exceptionally(error -> {
                LOG.error("MTA-STS delivery: attempt for {} failed", mail.getName(), error);
                DeliveryOutcome retry = DeliveryOutcome.retry(DeliveryProblem.of(DeliveryProblem.Cause.MESSAGE,
                    "local error while delivering: " + unwrap(error)));
                Map<MailAddress, DeliveryOutcome> outcomes = new LinkedHashMap<>();
                mail.getRecipients().forEach(recipient -> outcomes.put(recipient, retry));
                return outcomes;
            });
    }

    /** The delivery requests of a mail, one per policy domain; reads the message once (blocking). */
    private static List<DeliveryRequest> requests(Mail mail) {
        try {
            MimeMessageContent content = MimeMessageContent.of(mail);
            TlsRequirement requirement = MessageTls.requirement(mail);
            boolean reported = !MessageTls.isTlsReport(mail);
            String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
            List<DeliveryRequest> requests = new ArrayList<>();
            for (Map.Entry<String, List<MailAddress>> domain : byPolicyDomain(mail).entrySet()) {
                List<String> recipients = domain.getValue().stream().map(MailAddress::asString).collect(Collectors.toList());
                requests.add(new DeliveryRequest(domain.getKey(), sender, recipients, content.forEnvelope(sender, recipients),
                    requirement, reported));
            }
            return requests;
        } catch (MessagingException | IOException e) {
            throw new CompletionException(e);
        }
    }

    /** Metrics never change what happened to a mail: a failure to count is logged and ignored. */
    private void count(DomainOutcome outcome) {
        if (outcome == null) {
            return;
        }
        try {
            metrics.delivered(outcome);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS delivery metrics not counted for {}", outcome.domain(), e);
        }
    }

    /** RFC 8461 §5.1: the policy domain is the recipient domain as the envelope names it, as an A-label. */
    private static Map<String, List<MailAddress>> byPolicyDomain(Mail mail) {
        return mail.getRecipients().stream().collect(Collectors.groupingBy(MailDelivery::policyDomain, LinkedHashMap::new,
            Collectors.toList()));
    }

    private static String policyDomain(MailAddress recipient) {
        return HostNames.policyDomain(recipient.getDomain().asString());
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static void unchecked(StoreAction action) {
        try {
            action.run();
        } catch (MessagingException e) {
            throw new CompletionException(e);
        }
    }

    /** A step on the repository. */
    @FunctionalInterface
    private interface StoreAction {
        void run() throws MessagingException;
    }
}
