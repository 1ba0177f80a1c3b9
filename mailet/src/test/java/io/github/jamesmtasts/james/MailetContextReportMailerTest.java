package io.github.jamesmtasts.james;

import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;
import org.junit.jupiter.api.Test;

import javax.mail.Session;
import javax.mail.internet.AddressException;
import javax.mail.internet.MimeMessage;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mailer hands James the envelope and the message unchanged. (That James then processes the mail,
 * DKIM signing included, is shown by the end-to-end tests through a real James.)
 */
class MailetContextReportMailerTest {
    private final List<Object[]> sent = new ArrayList<>();
    private final MailetContext context = (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MailetContext.class}, (proxy, method, args) -> {
            if (method.getName().equals("sendMail") && args.length == 3 && args[1] instanceof Collection) {
                sent.add(args);
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });

    @Test
    void sendsTheMessageWithTheGivenEnvelope() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));

        new MailetContextReportMailer(context).send("tlsrpt@sender.example", "reports@example.net", message);

        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)[0]).isEqualTo(new MailAddress("tlsrpt@sender.example"));
        assertThat(List.copyOf((Collection<?>) sent.get(0)[1])).isEqualTo(List.of(new MailAddress("reports@example.net")));
        assertThat(sent.get(0)[2]).isSameAs(message);
    }

    @Test
    void refusesAnAddressJamesCannotRoute() {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));

        assertThatThrownBy(() -> new MailetContextReportMailer(context).send("tlsrpt@sender.example", "a,b@example.net", message))
            .isInstanceOf(AddressException.class);
        assertThat(sent).isEmpty();
    }
}
