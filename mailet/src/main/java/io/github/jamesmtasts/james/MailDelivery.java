package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.DeliveryOutcome;
import io.github.jamesmtasts.delivery.DeliveryProblem;
import io.github.jamesmtasts.delivery.DeliveryRequest;
import io.github.jamesmtasts.delivery.DomainDelivery;
import io.github.jamesmtasts.delivery.DomainOutcome;
import io.github.jamesmtasts.delivery.RetrySchedule;
import io.github.jamesmtasts.delivery.TlsRequirement;
import io.github.jamesmtasts.policy.HostNames;
import org.apache.james.core.MailAddress;
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
import java.util.stream.Collectors;

/**
 * One delivery attempt of one James mail: its recipients grouped by policy domain, each domain delivered by
 * {@link DomainDelivery}, then the delivered recipients dropped, the refused ones returned, and the mail
 * deferred with the rest. A recipient once delivered is never sent again.
 */
final class MailDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(MailDelivery.class);

    private final DomainDelivery domains;
    private final RetrySchedule schedule;
    private final DeferredMails deferred;
    private final Bounces bounces;
    private final MtaStsMetrics metrics;

    MailDelivery(DomainDelivery domains, RetrySchedule schedule, DeferredMails deferred, Bounces bounces, MtaStsMetrics metrics) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.deferred = Objects.requireNonNull(deferred, "deferred");
        this.bounces = Objects.requireNonNull(bounces, "bounces");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /**
     * Delivers what can be delivered now, returns what cannot be, and defers the rest. The mail keeps only the
     * recipients not yet delivered, so that whatever fails afterwards never sends it twice to the same recipient.
     */
    void deliver(Mail mail) throws MessagingException {
        int retriesMade = DeferredMails.retries(mail);
        Map<MailAddress, DeliveryOutcome> outcomes = attempt(mail);
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
        List<MailAddress> undelivered = new ArrayList<>(failed.keySet());
        undelivered.addAll(again);
        mail.setRecipients(undelivered);
        try {
            bounces.bounce(mail, failed, retriesMade);
        } catch (MessagingException | RuntimeException e) {
            LOG.error("MTA-STS delivery: cannot return {} to its sender for {}", mail.getName(), failed, e);
        }
        if (!again.isEmpty()) {
            mail.setRecipients(again);
            deferred.defer(mail, retriesMade + 1, delay);
            LOG.info("MTA-STS delivery: {} deferred for {} ({}), retry {} of {}", mail.getName(), again, delay,
                retriesMade + 1, schedule.maxRetries());
        }
    }

    private Map<MailAddress, DeliveryOutcome> attempt(Mail mail) {
        Map<MailAddress, DeliveryOutcome> outcomes = new LinkedHashMap<>();
        try {
            MimeMessageContent content = MimeMessageContent.of(mail);
            TlsRequirement requirement = MessageTls.requirement(mail);
            boolean reported = !MessageTls.isTlsReport(mail);
            String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
            for (Map.Entry<String, List<MailAddress>> domain : byPolicyDomain(mail).entrySet()) {
                List<String> recipients = domain.getValue().stream().map(MailAddress::asString).collect(Collectors.toList());
                DomainOutcome outcome = domains.deliver(new DeliveryRequest(domain.getKey(), sender, recipients,
                    content.forEnvelope(sender, recipients), requirement, reported)).join();
                domain.getValue().forEach(recipient -> outcomes.put(recipient, outcome.outcomes().get(recipient.asString())));
                count(outcome);
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            LOG.error("MTA-STS delivery: attempt for {} failed", mail.getName(), e);
            DeliveryOutcome retry = DeliveryOutcome.retry(DeliveryProblem.of(DeliveryProblem.Cause.MESSAGE,
                "local error while delivering: " + e));
            mail.getRecipients().forEach(recipient -> outcomes.putIfAbsent(recipient, retry));
        }
        return outcomes;
    }

    /** Metrics never change what happened to a mail: a failure to count is logged and ignored. */
    private void count(DomainOutcome outcome) {
        try {
            metrics.delivered(outcome);
        } catch (RuntimeException e) {
            LOG.warn("MTA-STS delivery metrics not counted for {}", outcome.domain(), e);
        }
    }

    /** RFC 8461 §5.1: the policy domain is the recipient domain as the envelope names it, as an A-label. */
    private static Map<String, List<MailAddress>> byPolicyDomain(Mail mail) {
        return mail.getRecipients().stream().collect(Collectors.groupingBy(
            recipient -> policyDomain(recipient.getDomain().asString()), LinkedHashMap::new, Collectors.toList()));
    }

    private static String policyDomain(String domain) {
        try {
            return HostNames.toAscii(domain);
        } catch (IllegalArgumentException e) {
            return HostNames.normalize(domain);
        }
    }
}
