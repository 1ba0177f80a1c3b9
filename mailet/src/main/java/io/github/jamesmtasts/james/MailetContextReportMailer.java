package io.github.jamesmtasts.james;

import io.github.jamesmtasts.tlsrpt.sending.ReportMailer;
import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.MailetContext;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
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
        MailImpl mail = MailImpl.builder()
            .name(MailImpl.getId())
            .sender(new MailAddress(envelopeSender))
            .addRecipient(new MailAddress(recipient))
            .mimeMessage(message)
            .addAttribute(new Attribute(MessageTls.TLS_REPORT, AttributeValue.of(true)))
            .build();
        try {
            context.sendMail(mail);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }
}
