package io.github.jamesmtasts.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;

class MimeMessageContentTest {
    private static Mail mail(String text) throws Exception {
        return MailImpl.builder().name("m").sender("alice@sender.test").addRecipient("bob@rcpt.test")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("hello").setText(text, "text/plain; charset=UTF-8")).build();
    }

    @Test
    void sizeIsTheOctetsOfTheMessageAsWritten() throws Exception {
        MimeMessageContent content = MimeMessageContent.of(mail("a body\r\nof two lines\r\n"));
        ByteArrayOutputStream written = new ByteArrayOutputStream();

        content.writeTo(written);

        assertThat(content.size()).isEqualTo(written.size()).isPositive();
        assertThat(content.needs8BitMime()).isFalse();
        assertThat(content.needsSmtpUtf8()).isFalse();
    }

    @Test
    void eightBitBodyAndUtf8EnvelopeAreNoticed() throws Exception {
        byte[] raw = "Subject: x\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\u00e9t\u00e9\r\n"
            .getBytes(StandardCharsets.UTF_8);
        Mail mail = MailImpl.builder().name("m").sender("alice@sender.test").addRecipient("bob@rcpt.test")
            .mimeMessage(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw))).build();

        MimeMessageContent content = MimeMessageContent.of(mail);

        assertThat(content.size()).isEqualTo(raw.length);
        assertThat(content.needs8BitMime()).isTrue();
        assertThat(content.forEnvelope("ren\u00e9@sender.test", List.of("bob@rcpt.test")).needsSmtpUtf8()).isTrue();
        assertThat(content.forEnvelope("alice@sender.test", List.of("bob@rcpt.test")).needsSmtpUtf8()).isFalse();
    }
}
