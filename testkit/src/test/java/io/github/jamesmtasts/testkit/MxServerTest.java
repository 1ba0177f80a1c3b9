package io.github.jamesmtasts.testkit;

import io.github.jamesmtasts.testkit.MxServer.Options;
import io.github.jamesmtasts.testkit.MxServer.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

class MxServerTest {
    private static final String MX_NAME = "mx1.example.com";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static TestCa ca;
    private static SSLContext trustingCa;
    private static TestCa.Issued certificate;
    private MxServer mx;

    @BeforeAll
    static void makeCa() {
        ca = TestCa.create("MX test CA");
        trustingCa = ca.clientContext();
        certificate = ca.issue(MX_NAME);
    }

    @AfterEach
    void stop() {
        if (mx != null) {
            mx.close();
        }
    }

    private SmtpProbe connect(Options options) throws IOException {
        mx = MxServer.start(LoopbackAddresses.next(), options);
        return greeted(SmtpProbe.connect(mx));
    }

    private static SmtpProbe greeted(SmtpProbe probe) throws IOException {
        assertThat(probe.readReply().code()).isEqualTo(220);
        return probe;
    }

    private static void send(SmtpProbe probe, String from, String to, String data) throws IOException {
        assertThat(probe.command("MAIL FROM:<" + from + ">").code()).isEqualTo(250);
        assertThat(probe.command("RCPT TO:<" + to + ">").code()).isEqualTo(250);
        assertThat(probe.command("DATA").code()).isEqualTo(354);
        assertThat(probe.command(data + ".").code()).isEqualTo(250);
    }

    @Test
    void takesAMessageOverStartTlsOnPort25AndRecordsHowItCame() throws Exception {
        try (SmtpProbe probe = connect(Options.withCertificate(certificate))) {
            SmtpProbe.Reply ehlo = probe.command("EHLO client.example");
            assertThat(ehlo.code()).isEqualTo(250);
            assertThat(ehlo.texts()).containsExactly("mx.test greets client.example", "PIPELINING", "SIZE 10485760",
                "8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS");
            assertThat(probe.command("STARTTLS").code()).isEqualTo(220);
            probe.startTls(trustingCa, MX_NAME);
            assertThat(probe.command("EHLO client.example").texts()).doesNotContain("STARTTLS");
            assertThat(probe.command("MAIL FROM:<sender@client.example> SIZE=42 BODY=8BITMIME").code()).isEqualTo(250);
            assertThat(probe.command("RCPT TO:<rcpt@example.com>").code()).isEqualTo(250);
            assertThat(probe.command("DATA").code()).isEqualTo(354);
            assertThat(probe.command("Subject: hi\r\n\r\nhello\r\n.").code()).isEqualTo(250);
        }

        assertThat(mx.port()).isEqualTo(25);
        assertThat(mx.received()).singleElement().satisfies(message -> {
            assertThat(message.sender()).isEqualTo("sender@client.example");
            assertThat(message.recipients()).containsExactly("rcpt@example.com");
            assertThat(message.mailParameters()).containsExactly(
                entry("SIZE", "42"), entry("BODY", "8BITMIME"));
            assertThat(message.text()).isEqualTo("Subject: hi\r\n\r\nhello\r\n");
            assertThat(message.clientName()).isEqualTo("client.example");
            assertThat(message.tls()).isTrue();
            assertThat(message.tlsProtocol()).isIn("TLSv1.2", "TLSv1.3");
            assertThat(message.serverName()).isEqualTo(MX_NAME);
            assertThat(message.connectionId()).isEqualTo(1);
        });
    }

    @Test
    void undoesDotStuffingAndKeepsLineEndings() throws Exception {
        try (SmtpProbe probe = connect(Options.plain())) {
            probe.command("EHLO client.example");
            send(probe, "a@client.example", "b@example.com", "..\r\n...two\r\n.x\r\nend\r\n");
        }

        MxServer.Received message = mx.awaitMessages(1, WAIT).get(0);
        assertThat(message.text()).isEqualTo(".\r\n..two\r\nx\r\nend\r\n");
        assertThat(message.tls()).isFalse();
        assertThat(message.serverName()).isNull();
    }

    @Test
    void offersNoStartTlsWithoutACertificateOrWhenToldNotTo() throws Exception {
        for (Options options : List.of(Options.plain(), Options.withCertificate(certificate).advertiseStartTls(false))) {
            try (SmtpProbe probe = connect(options)) {
                assertThat(probe.command("EHLO client.example").texts()).doesNotContain("STARTTLS");
                assertThat(probe.command("STARTTLS").code()).isEqualTo(502);
                send(probe, "a@client.example", "b@example.com", "cleartext\r\n");
            }
            assertThat(mx.received()).singleElement().satisfies(message -> assertThat(message.tls()).isFalse());
            mx.close();
        }
    }

    @Test
    void advertisesTheKeywordsItIsGivenAndRefusesParametersItDoesNotOffer() throws Exception {
        Options options = Options.withCertificate(certificate).pipelining(false).size(1000).eightBitMime(false)
            .smtpUtf8(true).requireTls(true);
        try (SmtpProbe probe = connect(options)) {
            assertThat(probe.command("EHLO client.example").texts())
                .containsExactly("mx.test greets client.example", "SIZE 1000", "SMTPUTF8", "ENHANCEDSTATUSCODES", "STARTTLS");
            assertThat(probe.command("MAIL FROM:<a@client.example> REQUIRETLS").code())
                .as("REQUIRETLS is offered inside TLS only").isEqualTo(555);
            assertThat(probe.command("MAIL FROM:<a@client.example> BODY=8BITMIME").code()).isEqualTo(555);
            assertThat(probe.command("MAIL FROM:<a@client.example> SIZE=1001").code()).isEqualTo(552);
            probe.command("STARTTLS");
            probe.startTls(trustingCa, MX_NAME);
            assertThat(probe.command("EHLO client.example").texts()).contains("REQUIRETLS");
            assertThat(probe.command("MAIL FROM:<\u00e4@client.example> SIZE=1000 SMTPUTF8 REQUIRETLS").code()).isEqualTo(250);
            assertThat(probe.command("RCPT TO:<b@example.com> NOTIFY=NEVER").code()).as("no DSN offered").isEqualTo(555);
            assertThat(probe.command("RCPT TO:<b@example.com>").code()).isEqualTo(250);
            assertThat(probe.command("DATA").code()).isEqualTo(354);
            assertThat(probe.command("x\r\n.").code()).isEqualTo(250);
        }

        MxServer.Received message = mx.received().get(0);
        assertThat(message.sender()).isEqualTo("\u00e4@client.example");
        assertThat(message.hasMailParameter("requiretls")).isTrue();
        assertThat(message.mailParameters()).containsEntry("SMTPUTF8", "").containsEntry("SIZE", "1000");
    }

    @Test
    void enforcesTheSessionOrder() throws Exception {
        try (SmtpProbe probe = connect(Options.plain())) {
            assertThat(probe.command("MAIL FROM:<a@client.example>").code()).as("MAIL before EHLO").isEqualTo(503);
            assertThat(probe.command("HELO client.example").code()).isEqualTo(250);
            assertThat(probe.command("RCPT TO:<b@example.com>").code()).as("RCPT before MAIL").isEqualTo(503);
            assertThat(probe.command("DATA").code()).as("DATA before MAIL").isEqualTo(503);
            assertThat(probe.command("MAIL FROM:a@client.example").code()).as("no brackets").isEqualTo(501);
            assertThat(probe.command("MAIL FROM:<>").code()).as("null sender").isEqualTo(250);
            assertThat(probe.command("MAIL FROM:<a@client.example>").code()).as("nested MAIL").isEqualTo(503);
            assertThat(probe.command("DATA").code()).as("DATA without recipients").isEqualTo(554);
            assertThat(probe.command("BDAT 10 LAST").code()).isEqualTo(500);
            assertThat(probe.command("NOOP").code()).isEqualTo(250);
            assertThat(probe.command("QUIT").code()).isEqualTo(221);
            assertThat(probe.readReply()).as("closed after QUIT").isNull();
        }
    }

    @Test
    void carriesSeveralTransactionsOnOneConnectionAndForgetsOneAfterRset() throws Exception {
        try (SmtpProbe probe = connect(Options.plain())) {
            probe.command("EHLO client.example");
            send(probe, "first@client.example", "one@example.com", "first\r\n");
            probe.command("MAIL FROM:<dropped@client.example>");
            probe.command("RCPT TO:<dropped@example.com>");
            assertThat(probe.command("RSET").code()).isEqualTo(250);
            assertThat(probe.command("DATA").code()).isEqualTo(503);
            send(probe, "second@client.example", "two@example.com", "second\r\n");
        }
        try (SmtpProbe again = greeted(SmtpProbe.connect(mx))) {
            again.command("EHLO client.example");
            send(again, "third@client.example", "three@example.com", "third\r\n");
        }

        assertThat(mx.received()).extracting(MxServer.Received::sender, MxServer.Received::connectionId)
            .containsExactly(tuple("first@client.example", 1),
                tuple("second@client.example", 1),
                tuple("third@client.example", 2));
        assertThat(mx.connections()).isEqualTo(2);
    }

    @Test
    void answersScriptedRepliesPerStepAndPerRecipient() throws Exception {
        Options options = Options.plain()
            .recipientReply("Bad@Example.com", 550, "5.1.1 no such user")
            .reply(Step.DATA_END, 554, "5.7.1 rejected\nfor policy reasons");
        try (SmtpProbe probe = connect(options)) {
            probe.command("EHLO client.example");
            probe.command("MAIL FROM:<a@client.example>");
            assertThat(probe.command("RCPT TO:<bad@example.com>").lines()).containsExactly("550 5.1.1 no such user");
            assertThat(probe.command("RCPT TO:<good@example.com>").code()).isEqualTo(250);
            probe.command("DATA");
            assertThat(probe.command("x\r\n.").lines()).containsExactly("554-5.7.1 rejected", "554 for policy reasons");
        }
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void refusesServiceAfterANegativeGreetingUntilQuit() throws Exception {
        mx = MxServer.start(LoopbackAddresses.next(), Options.plain().reply(Step.GREETING, 554, "5.3.2 not today"));
        try (SmtpProbe probe = SmtpProbe.connect(mx)) {
            assertThat(probe.readReply().code()).isEqualTo(554);
            assertThat(probe.command("EHLO client.example").code()).isEqualTo(503);
            assertThat(probe.command("QUIT").code()).isEqualTo(221);
        }
    }

    @Test
    void refusesTlsWhenStartTlsIsScriptedToFail() throws Exception {
        try (SmtpProbe probe = connect(Options.withCertificate(certificate).reply(Step.STARTTLS, 454, "4.7.0 TLS not available"))) {
            probe.command("EHLO client.example");
            assertThat(probe.command("STARTTLS").code()).isEqualTo(454);
            assertThat(probe.command("NOOP").code()).as("still talking in cleartext").isEqualTo(250);
        }
    }

    @Test
    void stallsAtAStep() throws Exception {
        try (SmtpProbe probe = connect(Options.plain().stall(Step.DATA_END))) {
            probe.command("EHLO client.example");
            probe.command("MAIL FROM:<a@client.example>");
            probe.command("RCPT TO:<b@example.com>");
            probe.command("DATA");
            probe.socket().setSoTimeout(200);

            assertThatThrownBy(() -> probe.command("x\r\n.")).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void hangsUpAtAStep() throws Exception {
        try (SmtpProbe probe = connect(Options.plain().hangUp(Step.MAIL))) {
            probe.command("EHLO client.example");

            assertThat(probe.command("MAIL FROM:<a@client.example>")).isNull();
        }
        mx.options(Options.plain().hangUp(Step.GREETING));
        try (SmtpProbe probe = SmtpProbe.connect(mx)) {
            assertThat(probe.readReply()).isNull();
        }
    }

    @Test
    void takesNewFaultsWhileRunningSoATestCanFixTheMx() throws Exception {
        try (SmtpProbe probe = connect(Options.plain().reply(Step.RCPT, 451, "4.3.0 try again later"))) {
            probe.command("EHLO client.example");
            probe.command("MAIL FROM:<a@client.example>");
            assertThat(probe.command("RCPT TO:<b@example.com>").code()).isEqualTo(451);

            mx.options(mx.options().withoutFaults());
            assertThat(probe.command("RCPT TO:<b@example.com>").code()).isEqualTo(250);
        }
    }

    @Test
    void dropsCommandsPipelinedBeforeTheTlsHandshake() throws Exception {
        try (SmtpProbe probe = connect(Options.withCertificate(certificate))) {
            probe.command("EHLO client.example");
            probe.write("STARTTLS\r\nRSET\r\n");
            assertThat(probe.readReply().code()).isEqualTo(220);
            probe.startTls(trustingCa, MX_NAME);

            assertThat(probe.command("EHLO client.example").lines().get(0))
                .as("the cleartext RSET was not answered inside TLS").isEqualTo("250-mx.test greets client.example");
        }
    }

    @Test
    void countsHandshakesTheClientAborts() throws Exception {
        SSLContext trustingNobody = TestCa.create("another CA").clientContext();
        try (SmtpProbe probe = connect(Options.withCertificate(certificate))) {
            probe.command("EHLO client.example");
            probe.command("STARTTLS");

            assertThatThrownBy(() -> probe.startTls(trustingNobody, MX_NAME)).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(mx.awaitFailedHandshakes(1, WAIT)).isEqualTo(1);
    }

    @Test
    void awaitsMessagesFromOtherThreadsOrFailsAfterTheTimeout() throws Exception {
        mx = MxServer.start(LoopbackAddresses.next(), 0, Options.plain());
        assertThat(mx.port()).isNotIn(0, 25);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try (SmtpProbe probe = greeted(SmtpProbe.connect(mx))) {
                probe.command("EHLO client.example");
                send(probe, "a@client.example", "b@example.com", "one\r\n");
                send(probe, "a@client.example", "c@example.com", "two\r\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(mx.awaitMessages(2, WAIT)).extracting(MxServer.Received::text).containsExactly("one\r\n", "two\r\n");
        sending.join();
        assertThatThrownBy(() -> mx.awaitMessages(3, Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }

    @Test
    void keepsNonAsciiDataBytes() throws Exception {
        try (SmtpProbe probe = connect(Options.plain())) {
            probe.command("EHLO client.example");
            send(probe, "a@client.example", "b@example.com", "Gr\u00fc\u00dfe\r\n");
        }
        assertThat(mx.received().get(0).data()).isEqualTo("Gr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.UTF_8));
    }
}
