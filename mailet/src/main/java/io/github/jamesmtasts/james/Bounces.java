package io.github.jamesmtasts.james;

import io.github.jamesmtasts.delivery.BounceNotice;
import io.github.jamesmtasts.delivery.DeliveryProblem;
import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.mail.MessagingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Returns mail that cannot be delivered, as James's {@code RemoteDelivery} does: to the {@code bounceProcessor}
 * with the attributes James's matchers and {@code DSNBounce} read, or without one through James's own bounce
 * with an explanation naming each recipient's reason.
 */
final class Bounces {
    /** Read by {@code IsRemoteDeliveryPermanentError} / {@code IsRemoteDeliveryTemporaryError} (a {@link Boolean}). */
    static final AttributeName IS_PERMANENT = AttributeName.of("is-delivery-permanent-error");
    /** Read by {@code DSNBounce} as the status and diagnostic of the DSN (a {@link String}). */
    static final AttributeName DELIVERY_ERROR = AttributeName.of("delivery-error");
    /** Read by {@code RemoteDeliveryFailedWithSMTPCode} (an {@link Integer}). */
    static final AttributeName DELIVERY_ERROR_CODE = AttributeName.of("delivery-error-code");

    private static final Logger LOG = LoggerFactory.getLogger(Bounces.class);

    private final MailetContext context;
    private final String bounceProcessor;
    private final String serverName;

    Bounces(MailetContext context, Optional<String> bounceProcessor, String serverName) {
        this.context = Objects.requireNonNull(context, "context");
        this.bounceProcessor = bounceProcessor.orElse(null);
        this.serverName = Objects.requireNonNull(serverName, "serverName");
    }

    /** Returns the failed recipients of a mail; the mail itself is left as it is. */
    void bounce(Mail mail, Map<MailAddress, DeliveryProblem> failed, int retriesMade) throws MessagingException {
        if (failed.isEmpty()) {
            return;
        }
        if (bounceProcessor == null) {
            bounceThroughJames(mail, failed, retriesMade);
            return;
        }
        // DSNBounce gives every recipient of a mail the same error: one mail per distinct problem.
        Map<DeliveryProblem, List<MailAddress>> byProblem = failed.entrySet().stream().collect(Collectors.groupingBy(
            Map.Entry::getValue, LinkedHashMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        for (Map.Entry<DeliveryProblem, List<MailAddress>> group : byProblem.entrySet()) {
            MailImpl returned = copyFor(mail, group.getValue(), explanation(failed, group.getValue(), retriesMade));
            try {
                DeliveryProblem problem = group.getKey();
                returned.setAttribute(new Attribute(IS_PERMANENT, AttributeValue.of(true)));
                returned.setAttribute(new Attribute(DELIVERY_ERROR, AttributeValue.of(problem.describe(true))));
                problem.smtpCode().ifPresent(code -> returned.setAttribute(new Attribute(DELIVERY_ERROR_CODE, AttributeValue.of(code))));
                context.sendMail(returned, bounceProcessor);
            } finally {
                LifecycleUtil.dispose(returned);
            }
        }
    }

    private void bounceThroughJames(Mail mail, Map<MailAddress, DeliveryProblem> failed, int retriesMade) throws MessagingException {
        if (!mail.hasSender()) {
            LOG.info("MTA-STS delivery: {} has a null sender: no bounce for {}", mail.getName(), failed.keySet());
            return;
        }
        String explanation = explanation(failed, List.copyOf(failed.keySet()), retriesMade);
        MailImpl returned = copyFor(mail, List.copyOf(failed.keySet()), explanation);
        try {
            context.bounce(returned, explanation);
        } finally {
            LifecycleUtil.dispose(returned);
        }
    }

    private String explanation(Map<MailAddress, DeliveryProblem> failed, List<MailAddress> recipients, int retriesMade) {
        Map<String, DeliveryProblem> problems = new LinkedHashMap<>();
        recipients.forEach(recipient -> problems.put(recipient.asString(), failed.get(recipient)));
        return BounceNotice.explanation(serverName, problems, retriesMade);
    }

    /** A copy for the returned recipients, without the retry state: the bounce is a new mail with retries of its own. */
    private static MailImpl copyFor(Mail mail, List<MailAddress> recipients, String explanation) throws MessagingException {
        MailImpl copy = MailImpl.duplicate(mail);
        copy.setRecipients(recipients);
        copy.setErrorMessage(explanation);
        copy.removeAttribute(DeferredMails.RETRY_COUNT);
        copy.removeAttribute(DeferredMails.DUE);
        return copy;
    }
}
