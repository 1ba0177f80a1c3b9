package io.github.jamesmtasts.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.jamesmtasts.hooks.SmtpTestClient.Reply;
import io.github.jamesmtasts.testkit.TestCa;

/**
 * The hooks inside a real James 3.8.1 SMTP server, driven over a real socket with STARTTLS, down to the stored
 * {@link Mail} the delivery mailet would get.
 */
class RequireTlsThroughJamesTest {
    private static final Attribute REQUIRETLS_MARK = new Attribute(RequireTls.ATTRIBUTE, AttributeValue.of(true));

    @TempDir
    static Path home;

    private static JamesWithHooks james;
    private static SSLContext trustingTestCa;

    @BeforeAll
    static void startJames() throws Exception {
        TestCa ca = TestCa.create("smtp-hooks test CA");
        james = JamesWithHooks.start(home, ca);
        trustingTestCa = clientContextTrusting(ca.trustStore());
    }

    @AfterAll
    static void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void ehloWithoutTlsDoesNotOfferRequireTls() throws Exception {
        try (SmtpTestClient smtp = SmtpTestClient.connect(james.smtpAddress())) {
            assertThat(smtp.ehlo()).contains("STARTTLS").doesNotContain(RequireTls.KEYWORD);
        }
    }

    @Test
    void requireTlsWithoutTlsIsRefused() throws Exception {
        try (SmtpTestClient smtp = SmtpTestClient.connect(james.smtpAddress())) {
            smtp.ehlo();

            Reply reply = smtp.command("MAIL FROM:<sender@client.test> REQUIRETLS");

            assertThat(reply.code()).isEqualTo(530);
            assertThat(reply.text()).startsWith("5.7.10 ");
        }
    }

    @Test
    void requireTlsOverTlsIsOfferedAcceptedAndMarksTheMail() throws Exception {
        String subject = uniqueSubject();
        try (SmtpTestClient smtp = tlsSession()) {
            assertThat(smtp.ehlo()).contains(RequireTls.KEYWORD);
            assertThat(smtp.command("MAIL FROM:<sender@client.test> REQUIRETLS").code()).isEqualTo(250);
            send(smtp, subject);
        }

        assertThat(james.awaitReceived(subject).getAttribute(RequireTls.ATTRIBUTE)).contains(REQUIRETLS_MARK);
    }

    @Test
    void mailWithoutRequireTlsIsNotMarked() throws Exception {
        Mail mail = relay(tlsSession(), "MAIL FROM:<sender@client.test>");

        assertThat(mail.getAttribute(RequireTls.ATTRIBUTE)).isEmpty();
    }

    @Test
    void lowerCaseRequireTlsMarksTheMail() throws Exception {
        Mail mail = relay(tlsSession(), "MAIL FROM:<sender@client.test> requiretls");

        assertThat(mail.getAttribute(RequireTls.ATTRIBUTE)).contains(REQUIRETLS_MARK);
    }

    @Test
    void requireTlsOfARefusedMailCommandDoesNotMarkTheNextTransaction() throws Exception {
        String subject = uniqueSubject();
        try (SmtpTestClient smtp = tlsSession()) {
            smtp.ehlo();
            Reply tooBig = smtp.command("MAIL FROM:<sender@client.test> REQUIRETLS SIZE=999999999");
            assertThat(tooBig.code()).isEqualTo(552);

            assertThat(smtp.command("MAIL FROM:<sender@client.test>").code()).isEqualTo(250);
            send(smtp, subject);
        }

        assertThat(james.awaitReceived(subject).getAttribute(RequireTls.ATTRIBUTE)).isEmpty();
    }

    @Test
    void tlsRequiredNoIsKeptAndRequireTlsWins() throws Exception {
        Mail mail = relay(tlsSession(), "MAIL FROM:<sender@client.test> REQUIRETLS", "TLS-Required: No");

        assertThat(mail.getAttribute(RequireTls.ATTRIBUTE)).contains(REQUIRETLS_MARK);
        assertThat(mail.getMessage().getHeader("TLS-Required")).containsExactly("No");
    }

    @Test
    void tlsRequiredNoFromARelayingClientIsKept() throws Exception {
        Mail mail = relay(SmtpTestClient.connect(james.smtpAddress()), "MAIL FROM:<sender@client.test>",
            "TLS-Required: No");

        assertThat(mail.getAttribute(RequireTls.ATTRIBUTE)).isEmpty();
        assertThat(mail.getMessage().getHeader("TLS-Required")).containsExactly("No");
    }

    /** EHLO, the given MAIL command (which must be accepted), one message; returns the mail James stored. */
    private static Mail relay(SmtpTestClient session, String mailCommand, String... extraHeaders) throws Exception {
        String subject = uniqueSubject();
        try (SmtpTestClient smtp = session) {
            smtp.ehlo();
            assertThat(smtp.command(mailCommand).code()).isEqualTo(250);
            send(smtp, subject, extraHeaders);
        }
        return james.awaitReceived(subject);
    }

    private static SmtpTestClient tlsSession() {
        SmtpTestClient smtp = SmtpTestClient.connect(james.smtpAddress());
        smtp.ehlo();
        smtp.startTls(trustingTestCa, JamesWithHooks.SERVER_NAME);
        return smtp;
    }

    /** RCPT to a remote domain (loopback clients may relay) and DATA; asserts James accepted the message. */
    private static void send(SmtpTestClient smtp, String subject, String... extraHeaders) {
        assertThat(smtp.command("RCPT TO:<recipient@remote.test>").code()).isEqualTo(250);
        String[] headers = {"From: sender@client.test", "To: recipient@remote.test", "Subject: " + subject};
        String[] message = new String[headers.length + extraHeaders.length + 2];
        System.arraycopy(headers, 0, message, 0, headers.length);
        System.arraycopy(extraHeaders, 0, message, headers.length, extraHeaders.length);
        message[message.length - 2] = "";
        message[message.length - 1] = "Hello.";
        assertThat(smtp.data(message).code()).isEqualTo(250);
        assertThat(smtp.command("QUIT").code()).isEqualTo(221);
    }

    private static String uniqueSubject() {
        return "requiretls-" + UUID.randomUUID();
    }

    private static SSLContext clientContextTrusting(KeyStore trustStore) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
