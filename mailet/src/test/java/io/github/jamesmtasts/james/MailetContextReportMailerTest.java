package io.github.jamesmtasts.james;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.junit.jupiter.api.Test;

import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mailer hands James the envelope and the message unchanged, marked as this server's own report (RFC 8460
 * §5.3.1: its delivery is not counted). (That James then processes the mail,
 * DKIM signing included, is shown by the end-to-end tests through a real James.)
 */
class MailetContextReportMailerTest {
    private final List<Sent> sent = new ArrayList<>();

    /** What the mailer handed James, read before it disposed of the mail. */
    private record Sent(MailAddress sender, List<MailAddress> recipients, Object content, boolean report) {
    }

    private final MailetContext context = (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MailetContext.class}, (proxy, method, args) -> {
            if (method.getName().equals("sendMail") && args.length == 1 && args[0] instanceof Mail) {
                Mail mail = (Mail) args[0];
                sent.add(new Sent(mail.getMaybeSender().get(), List.copyOf(mail.getRecipients()), mail.getMessage().getContent(),
                    MessageTls.isTlsReport(mail)));
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });

    @Test
    void sendsTheMessageWithTheGivenEnvelope() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setText("a report");
        message.saveChanges();

        new MailetContextReportMailer(context).send("tlsrpt@sender.example", "reports@example.net", message);

        assertThat(sent).hasSize(1);
        Sent mail = sent.get(0);
        assertThat(mail.sender()).isEqualTo(new MailAddress("tlsrpt@sender.example"));
        assertThat(mail.recipients()).containsExactly(new MailAddress("reports@example.net"));
        assertThat(mail.content()).isEqualTo("a report");
        assertThat(mail.report()).isTrue();
    }

    @Test
    void refusesAnAddressJamesCannotRoute() {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));

        assertThatThrownBy(() -> new MailetContextReportMailer(context).send("tlsrpt@sender.example", "a,b@example.net", message))
            .isInstanceOf(AddressException.class);
        assertThat(sent).isEmpty();
    }
}
