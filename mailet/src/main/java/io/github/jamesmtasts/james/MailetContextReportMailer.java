package io.github.jamesmtasts.james;

import io.github.jamesmtasts.tlsrpt.ReportMailer;
import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import java.util.List;
import java.util.Objects;

/**
 * Sends TLS-RPT report mails through James's mailet container (RFC 8460 §5.3): the mail enters the
 * root processor like any other, so the admin's pipeline handles it, DKIM signing included.
 */
public final class MailetContextReportMailer implements ReportMailer {
    private final MailetContext context;

    public MailetContextReportMailer(MailetContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void send(String envelopeSender, String recipient, MimeMessage message) throws MessagingException {
        context.sendMail(new MailAddress(envelopeSender), List.of(new MailAddress(recipient)), message);
    }
}
