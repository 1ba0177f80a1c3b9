package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.BounceNotice;
import io.github.jamesmtasts.delivery.DeliveryProblem;
import com.google.common.collect.ImmutableMap;
import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Returns mail that cannot be delivered, as James's {@code RemoteDelivery} does: to the {@code bounceProcessor}
 * with the attributes James's matchers and {@code DSNBounce} read, or without one through James's own bounce
 * with an explanation naming each recipient's reason.
 *
 * <p>No return is lost to a crash. The returned copy is first kept in the {@link RepositoryQueue}, then handed to
 * James, carrying {@link #RETURNED_FROM}; James copies attributes onto the DSN, so when the DSN reaches the
 * delivery mailet (a remote sender) and is kept there in turn, the copy is dropped ({@link #dsnArrived}). A copy
 * whose DSN never comes back (a local sender, a null sender) is dropped after {@link #DSN_WAIT}. At a start,
 * copies still kept are handed to James again: a DSN may then be sent twice, never not at all.
 *
 * <p>RFC 8689 §5: the return of a REQUIRETLS message is sent without REQUIRETLS (it would be refused and dropped
 * wherever the sender's domain has no {@code enforce} policy) and carries the headers only, as if
 * {@code RET=HDRS} had been given.
 */
final class Bounces {
    /** Read by {@code IsRemoteDeliveryPermanentError} / {@code IsRemoteDeliveryTemporaryError} (a {@link Boolean}). */
    static final AttributeName IS_PERMANENT = AttributeName.of("is-delivery-permanent-error");
    /** Read by {@code DSNBounce} as the status and diagnostic of the DSN (a {@link String}). */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");
    /** Read by {@code RemoteDeliveryFailedWithSMTPCode} (an {@link Integer}). */
    static final AttributeName DELIVERY_ERROR_CODE = AttributeName.of("delivery-error-code");
    /** On a returned copy kept in the queue until its DSN is under way (a {@link Boolean}). */
    static final AttributeName RETURNED_COPY = AttributeName.of("io.github.jamesmtasts.returned-copy");
    /** On the copy handed to James, and so on its DSN: the key of the kept copy (a {@link String}). */
    static final AttributeName RETURNED_FROM = AttributeName.of("io.github.jamesmtasts.returned-from");
    /** How long a kept copy waits for its DSN to come back before it is dropped. */
    static final Duration DSN_WAIT = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(Bounces.class);

    private final MailetContext context;
    private final String bounceProcessor;
    private final String serverName;
    private final RepositoryQueue queue;
    private final Clock clock;

    Bounces(MailetContext context, Optional<String> bounceProcessor, String serverName, RepositoryQueue queue, Clock clock) {
        this.context = Objects.requireNonNull(context, "context");
        this.bounceProcessor = bounceProcessor.orElse(null);
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static boolean isReturnedCopy(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, RETURNED_COPY, Boolean.class).orElse(false);
    }

    /**
     * Returns the failed recipients of a mail (the mail itself is left as it is): one copy per distinct problem,
     * since {@code DSNBounce} gives every recipient of a mail the same error.
     */
    void bounce(Mail mail, Map<MailAddress, DeliveryProblem> failed, int retriesMade) throws MessagingException {
        if (failed.isEmpty()) {
            return;
        }
        if (bounceProcessor == null && !mail.hasSender()) {
            LOG.info("MTA-STS delivery: {} has a null sender: no bounce for {}", mail.getName(), failed.keySet());
            return;
        }
        Map<DeliveryProblem, List<MailAddress>> byProblem = bounceProcessor == null
            ? Map.of(failed.values().iterator().next(), List.copyOf(failed.keySet()))
            : failed.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue, LinkedHashMap::new,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        int part = 0;
        for (Map.Entry<DeliveryProblem, List<MailAddress>> group : byProblem.entrySet()) {
            MailImpl copy = copyFor(mail, group.getValue(), explanation(failed, group.getValue(), retriesMade));
            try {
                copy.setName(mail.getName() + "-returned-" + clock.millis() + "-" + part++);
                DeliveryProblem problem = group.getKey();
                copy.setAttribute(new Attribute(IS_PERMANENT, AttributeValue.of(true)));
                copy.setAttribute(new Attribute(DELIVERY_ERROR, AttributeValue.of(problem.describe(true))));
                problem.smtpCode().ifPresent(code -> copy.setAttribute(new Attribute(DELIVERY_ERROR_CODE, AttributeValue.of(code))));
                copy.setAttribute(new Attribute(RETURNED_COPY, AttributeValue.of(true)));
                queue.keepUntil(copy, clock.instant().plus(DSN_WAIT));
                try {
                    handOver(copy);
                } catch (MessagingException | RuntimeException e) {
                    // Not returned after all: the caller keeps the recipients and returns them later.
                    queue.remove(new MailKey(copy.getName()));
                    throw e;
                }
            } finally {
                LifecycleUtil.dispose(copy);
            }
        }
    }

    /** A kept copy found at start: its DSN may not have been made; it is handed to James again. */
    void resend(MailKey key) throws MessagingException {
        Mail kept = queue.retrieve(key);
        if (kept == null) {
            return;
        }
        try {
            resend(kept);
        } finally {
            LifecycleUtil.dispose(kept);
        }
    }

    /** A kept copy whose DSN may not have been made (found at start, or left behind by another node): handed over again. */
    void resend(Mail kept) throws MessagingException {
        queue.keepUntil(kept, clock.instant().plus(DSN_WAIT));
        handOver(kept);
    }

    /**
     * A mail given to the delivery mailet that is the DSN of a copy it returned: the attribute is taken off, and
     * the key of the kept copy, which may now go, is returned.
     */
    static Optional<MailKey> dsnArrived(Mail mail) {
        Optional<String> from = AttributeUtils.getValueAndCastFromMail(mail, RETURNED_FROM, String.class);
        from.ifPresent(key -> mail.removeAttribute(RETURNED_FROM));
        return from.map(MailKey::new);
    }

    private void handOver(Mail kept) throws MessagingException {
        MailImpl sent = MailImpl.duplicate(kept);
        try {
            sent.removeAttribute(RETURNED_COPY);
            sent.removeAttribute(RepositoryQueue.DUE);
            sent.setAttribute(new Attribute(RETURNED_FROM, AttributeValue.of(kept.getName())));
            if (bounceProcessor == null) {
                context.bounce(sent, sent.getErrorMessage());
            } else {
                context.sendMail(sent, bounceProcessor);
            }
        } finally {
            LifecycleUtil.dispose(sent);
        }
    }

    private String explanation(Map<MailAddress, DeliveryProblem> failed, List<MailAddress> recipients, int retriesMade) {
        Map<String, DeliveryProblem> problems = new LinkedHashMap<>();
        recipients.forEach(recipient -> problems.put(recipient.asString(), failed.get(recipient)));
        return BounceNotice.explanation(serverName, problems, retriesMade);
    }

    /**
     * A copy for the returned recipients, without the retry state (the return is a new mail) and, for a
     * REQUIRETLS message, without the mark and without the body (RFC 8689 §5).
     */
    private static MailImpl copyFor(Mail mail, List<MailAddress> recipients, String explanation) throws MessagingException {
        MailImpl copy = MailImpl.duplicate(mail);
        copy.setRecipients(recipients);
        copy.setErrorMessage(explanation);
        copy.removeAttribute(RepositoryQueue.RETRY_COUNT);
        copy.removeAttribute(RepositoryQueue.DUE);
        if (copy.removeAttribute(MessageTls.REQUIRETLS).isPresent()) {
            Optional<DsnParameters> dsn = mail.dsnParameters();
            DsnParameters.of(dsn.flatMap(DsnParameters::getEnvIdParameter), Optional.of(DsnParameters.Ret.HDRS),
                dsn.map(DsnParameters::getRcptParameters).orElse(ImmutableMap.of())).ifPresent(copy::setDsnParameters);
            copy.setMessage(headersOnly(mail.getMessage()));
        }
        return copy;
    }

    /**
     * The header fields of a message, unchanged, with an empty body: what a DSN with {@code RET=HDRS} returns
     * (RFC 3461 §4.3), whatever DSN generator the admin's pipeline uses.
     */
    private static MimeMessage headersOnly(MimeMessage message) throws MessagingException {
        StringBuilder header = new StringBuilder();
        for (Enumeration<String> lines = message.getAllHeaderLines(); lines.hasMoreElements(); ) {
            header.append(lines.nextElement()).append("\r\n");
        }
        header.append("\r\n");
        return new MimeMessage(Session.getDefaultInstance(new Properties()),
            new ByteArrayInputStream(header.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
