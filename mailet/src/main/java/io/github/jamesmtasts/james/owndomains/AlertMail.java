package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.watch.Alert;
import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/** Mails each watch {@link Alert} from James's postmaster to {@code watch.alertsTo}, or to the postmaster. */
public final class AlertMail implements Consumer<Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertMail.class);

    private final MailetContext context;
    private final Optional<String> to;

    public AlertMail(MailetContext context, Optional<String> to) {
        this.context = context;
        this.to = to;
    }

    @Override
    public void accept(Alert alert) {
        try {
            MailAddress postmaster = context.getPostmaster();
            MailAddress recipient = to.isPresent() ? new MailAddress(to.get()) : postmaster;
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
            message.setFrom(new InternetAddress(postmaster.asString()));
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient.asString()));
            message.setSubject(alert.subject());
            message.setSentDate(new Date());
            message.setText(alert.text());
            message.saveChanges();
            context.sendMail(postmaster, List.of(recipient), message);
        } catch (AddressException e) {
            LOG.error("watch.alertsTo is no mail address: {}", to.orElse(""), e);
        } catch (MessagingException e) {
            LOG.error("The alert about {} could not be mailed: {}", alert.domain(), alert.subject(), e);
        }
    }
}
