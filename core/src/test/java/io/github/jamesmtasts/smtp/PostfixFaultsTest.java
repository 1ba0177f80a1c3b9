package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PostfixServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Refusals and stalls at every step, from a real Postfix told by access maps to answer 4yz or 5yz
 * (or to sleep) for chosen client addresses, HELO names, senders and recipients. Transactions run
 * from a client address Postfix offers PIPELINING to, from one it does not, and from one it offers
 * CHUNKING to as well (RFC 3030: the message as one BDAT chunk behind its envelope).
 */
class PostfixFaultsTest {
    private static final String MX_NAME = "mx.faults.test";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(1);
    private static final InetAddress REFUSED_CLIENT = LoopbackAddresses.next();
    private static final InetAddress BUSY_CLIENT = LoopbackAddresses.next();
    private static final InetAddress STALLED_CLIENT = LoopbackAddresses.next();
    private static final InetAddress STEPWISE_CLIENT = LoopbackAddresses.next();
    private static final InetAddress SEVEN_BIT_CLIENT = LoopbackAddresses.next();
    private static final InetAddress PIPELINING_CLIENT = LoopbackAddresses.next();
    private static final InetAddress CHUNKING_CLIENT = LoopbackAddresses.next();

    @TempDir
    static Path directory;
    private static TestCa ca;
    private static PostfixServer postfix;
    private static MxTarget mx;

    private final List<NettySmtpSender> senders = new ArrayList<>();

    @BeforeAll
    static void startPostfix() {
        assumeTrue(PostfixServer.isInstalled(), "Postfix is not installed (apt-get install postfix; .ci/install-deps does)");
        ca = TestCa.create("Faults Test CA");
        postfix = PostfixServer.builder(directory, LoopbackAddresses.next())
            .hostname(MX_NAME)
            .mailboxes("ok", "other")
            .certificate(ca.issue(MX_NAME))
            .mainCf(
                "smtpd_delay_reject = no",
                "smtpd_client_restrictions = check_client_access inline:{ {" + REFUSED_CLIENT.getHostAddress()
                    + "=554 5.7.1 no service for you} {" + BUSY_CLIENT.getHostAddress() + "=421 4.3.2 too busy} {"
                    + STALLED_CLIENT.getHostAddress() + "=sleep 5} }",
                "smtpd_helo_restrictions = check_helo_access inline:{ {helo-temp.test=450 4.7.0 come back later}"
                    + " {helo-perm.test=550 5.7.1 go away} }",
                "smtpd_sender_restrictions = check_sender_access inline:{ {mail-temp@client.test=451 4.3.2 busy}"
                    + " {mail-perm@client.test=553 5.7.1 sender refused} }",
                "smtpd_recipient_restrictions = check_recipient_access inline:{ {rcpt-temp@rcpt.test=450 4.2.1 mailbox busy}"
                    + " {rcpt-perm@rcpt.test=550 5.1.1 no such user} }, permit_mynetworks, reject_unauth_destination",
                "smtpd_data_restrictions = check_sender_access inline:{ {data-temp@client.test=451 4.3.0 not now}"
                    + " {data-perm@client.test=554 5.7.1 not ever} }",
                "smtpd_end_of_data_restrictions = check_sender_access inline:{ {eod-temp@client.test=452 4.3.1 out of space}"
                    + " {eod-perm@client.test=554 5.7.1 content refused} {eod-stall@client.test=sleep 5} }",
                "smtpd_discard_ehlo_keyword_address_maps = inline:{ {" + STEPWISE_CLIENT.getHostAddress() + "=pipelining} {"
                    + SEVEN_BIT_CLIENT.getHostAddress() + "=8bitmime, smtputf8} {" + PIPELINING_CLIENT.getHostAddress()
                    + "=chunking} }")
            .start();
        mx = new MxTarget(MX_NAME, postfix.address(), 25);
    }

    @AfterAll
    static void stopPostfix() {
        if (postfix != null) {
            postfix.close();
        }
    }

    @AfterEach
    void closeSenders() {
        senders.forEach(NettySmtpSender::close);
    }

    private NettySmtpSender sender(InetAddress client, UnaryOperator<SmtpSettings.Builder> settings) {
        NettySmtpSender sender = new NettySmtpSender(settings.apply(TestSettings.trusting(ca, STEP_TIMEOUT).bindAddress(client)).build());
        senders.add(sender);
        return sender;
    }

    private SessionOutcome send(InetAddress client, String from, String... to) {
        return send(sender(client, UnaryOperator.identity()), from, to);
    }

    private static SessionOutcome send(NettySmtpSender sender, String from, String... to) {
        return sender.send(mx, TlsStance.VERIFIED, new Envelope(from, List.of(to), false),
            TestContent.of("Subject: faults\r\n\r\nbody\r\n")).join();
    }

    private static void assertEnded(SessionOutcome outcome, SessionOutcome.Kind kind, SmtpStep step, int code, String enhanced) {
        assertThat(outcome.kind()).as(outcome.transcript().toString()).isEqualTo(kind);
        assertThat(outcome.step()).contains(step);
        assertThat(outcome.reply()).hasValueSatisfying(reply -> {
            assertThat(reply.code()).isEqualTo(code);
            assertThat(reply.enhancedCode()).contains(enhanced);
        });
        assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: <message content"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"554 refused, HOST_REFUSED, 554, 5.7.1", "421 busy, TEMPORARY_FAILURE, 421, 4.3.2"})
    void refusedGreeting(String name, SessionOutcome.Kind kind, int code, String enhanced) {
        InetAddress client = code == 554 ? REFUSED_CLIENT : BUSY_CLIENT;

        assertEnded(send(client, "a@client.test", "ok@rcpt.test"), kind, SmtpStep.GREETING, code, enhanced);
    }

    @Test
    void stalledGreetingTimesOut() {
        SessionOutcome outcome = send(STALLED_CLIENT, "a@client.test", "ok@rcpt.test");

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.NETWORK_FAILURE);
        assertThat(outcome.step()).contains(SmtpStep.GREETING);
        assertThat(outcome.reply()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"helo-temp.test, TEMPORARY_FAILURE, 450, 4.7.0", "helo-perm.test, HOST_REFUSED, 550, 5.7.1"})
    void refusedEhlo(String heloName, SessionOutcome.Kind kind, int code, String enhanced) {
        NettySmtpSender sender = new NettySmtpSender(SmtpSettings.builder(heloName)
            .allStepTimeouts(STEP_TIMEOUT)
            .bindAddress(PIPELINING_CLIENT)
            .build());
        senders.add(sender);

        assertEnded(send(sender, "a@client.test", "ok@rcpt.test"), kind, SmtpStep.EHLO, code, enhanced);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "PIPELINING, mail-temp, TEMPORARY_FAILURE, 451, 4.3.2", "PIPELINING, mail-perm, PERMANENT_FAILURE, 553, 5.7.1",
        "STEPWISE,   mail-temp, TEMPORARY_FAILURE, 451, 4.3.2", "STEPWISE,   mail-perm, PERMANENT_FAILURE, 553, 5.7.1"})
    void refusedSender(String client, String sender, SessionOutcome.Kind kind, int code, String enhanced) {
        SessionOutcome outcome = send(client(client), sender + "@client.test", "ok@rcpt.test");

        assertEnded(outcome, kind, SmtpStep.MAIL, code, enhanced);
        assertThat(outcome.recipients()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PIPELINING", "STEPWISE", "CHUNKING"})
    void everyRecipientRefused(String client) {
        SessionOutcome outcome = send(client(client), "a@client.test", "rcpt-temp@rcpt.test", "rcpt-perm@rcpt.test");

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.TEMPORARY_FAILURE);
        assertThat(outcome.step()).contains(SmtpStep.RCPT);
        assertThat(outcome.recipients()).extracting(RecipientOutcome::recipient, RecipientOutcome::status).containsExactly(
            tuple("rcpt-temp@rcpt.test", RecipientOutcome.Status.TEMPORARY_FAILURE),
            tuple("rcpt-perm@rcpt.test", RecipientOutcome.Status.PERMANENT_FAILURE));
        assertThat(outcome.recipients().get(1).reply().enhancedCode()).contains("5.1.1");
        assertThat(outcome.transcript()).contains("C: RSET");
        // RFC 3030 §2: a chunk follows its BDAT unasked, so only then was the content sent (and Postfix read it as such).
        assertThat(outcome.transcript().stream().anyMatch(line -> line.startsWith("C: <message content")))
            .isEqualTo(client.equals("CHUNKING"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PIPELINING", "STEPWISE", "CHUNKING"})
    void someRecipientsRefused(String client) {
        SessionOutcome outcome = send(client(client), "a@client.test", "rcpt-perm@rcpt.test", "other@rcpt.test");

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        List<String> transcript = outcome.transcript();
        int mailAccepted = transcript.indexOf("S: 250 2.1.0 Ok");
        String command = client.equals("CHUNKING") ? "C: BDAT" : "C: DATA";
        int data = IntStream.range(0, transcript.size()).filter(i -> transcript.get(i).startsWith(command)).findFirst().orElse(-1);
        // RFC 2920: pipelined, DATA (or BDAT) goes out before the reply to MAIL comes back; stepwise, after.
        assertThat(data).isNotNegative();
        assertThat(data < mailAccepted).isEqualTo(!client.equals("STEPWISE"));
        assertThat(outcome.recipients()).extracting(RecipientOutcome::recipient, RecipientOutcome::status).containsExactlyInAnyOrder(
            tuple("rcpt-perm@rcpt.test", RecipientOutcome.Status.PERMANENT_FAILURE),
            tuple("other@rcpt.test", RecipientOutcome.Status.DELIVERED));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "PIPELINING, data-temp, TEMPORARY_FAILURE, 451, 4.3.0", "PIPELINING, data-perm, PERMANENT_FAILURE, 554, 5.7.1",
        "STEPWISE,   data-temp, TEMPORARY_FAILURE, 451, 4.3.0", "STEPWISE,   data-perm, PERMANENT_FAILURE, 554, 5.7.1"})
    void refusedData(String client, String sender, SessionOutcome.Kind kind, int code, String enhanced) {
        SessionOutcome outcome = send(client(client), sender + "@client.test", "ok@rcpt.test");

        assertEnded(outcome, kind, SmtpStep.DATA, code, enhanced);
        assertThat(outcome.recipients()).singleElement().satisfies(recipient -> assertThat(recipient.reply().code()).isEqualTo(code));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "PIPELINING, eod-temp, TEMPORARY_FAILURE, 452, 4.3.1", "PIPELINING, eod-perm, PERMANENT_FAILURE, 554, 5.7.1",
        "STEPWISE,   eod-temp, TEMPORARY_FAILURE, 452, 4.3.1", "STEPWISE,   eod-perm, PERMANENT_FAILURE, 554, 5.7.1",
        "CHUNKING,   eod-temp, TEMPORARY_FAILURE, 452, 4.3.1", "CHUNKING,   eod-perm, PERMANENT_FAILURE, 554, 5.7.1",
        "CHUNKING,   data-temp, TEMPORARY_FAILURE, 451, 4.3.0", "CHUNKING,   data-perm, PERMANENT_FAILURE, 554, 5.7.1"})
    void refusedMessage(String client, String sender, SessionOutcome.Kind kind, int code, String enhanced) {
        SessionOutcome outcome = send(client(client), sender + "@client.test", "ok@rcpt.test");

        assertThat(outcome.kind()).isEqualTo(kind);
        assertThat(outcome.step()).contains(SmtpStep.DATA_END);
        assertThat(outcome.reply()).hasValueSatisfying(reply -> assertThat(reply.enhancedCode()).contains(enhanced));
        assertThat(outcome.recipients()).singleElement().satisfies(recipient -> {
            assertThat(recipient.status()).isEqualTo(kind == SessionOutcome.Kind.TEMPORARY_FAILURE
                ? RecipientOutcome.Status.TEMPORARY_FAILURE : RecipientOutcome.Status.PERMANENT_FAILURE);
            assertThat(recipient.reply().code()).isEqualTo(code);
        });
    }

    @ParameterizedTest
    @CsvSource({"PIPELINING, C: .", "CHUNKING, C: BDAT 25 LAST"})
    void stalledEndOfDataTimesOut(String client, String lastCommand) {
        SessionOutcome outcome = send(client(client), "eod-stall@client.test", "ok@rcpt.test");

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.NETWORK_FAILURE);
        assertThat(outcome.step()).contains(SmtpStep.DATA_END);
        assertThat(outcome.maybeDelivered()).isTrue();
        assertThat(outcome.transcript()).contains(lastCommand);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mail-temp, TEMPORARY_FAILURE, 451, 4.3.2", "mail-perm, PERMANENT_FAILURE, 553, 5.7.1"})
    void refusedSenderOfAChunkedMessage(String sender, SessionOutcome.Kind kind, int code, String enhanced) {
        SessionOutcome outcome = send(CHUNKING_CLIENT, sender + "@client.test", "ok@rcpt.test");

        assertThat(outcome.kind()).isEqualTo(kind);
        assertThat(outcome.step()).contains(SmtpStep.MAIL);
        assertThat(outcome.maybeDelivered()).isFalse();
        assertThat(outcome.reply()).hasValueSatisfying(reply -> assertThat(reply.enhancedCode()).contains(enhanced));
        assertThat(outcome.recipients()).isEmpty();
        assertThat(outcome.transcript()).contains("C: RSET");
    }

    @Test
    void eightBitMessageIsNotSentToAServerWithout8BitMime() {
        SessionOutcome outcome = sender(SEVEN_BIT_CLIENT, UnaryOperator.identity()).send(mx, TlsStance.VERIFIED,
            new Envelope("a@client.test", List.of("ok@rcpt.test"), false), TestContent.eightBit("Subject: é\r\n\r\nété\r\n")).join();

        assertEnded(outcome, SessionOutcome.Kind.HOST_REFUSED, SmtpStep.MAIL, 554, "5.6.3");
        assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
    }

    @Test
    void utf8AddressIsNotSentToAServerWithoutSmtpUtf8() {
        SessionOutcome outcome = sender(SEVEN_BIT_CLIENT, UnaryOperator.identity()).send(mx, TlsStance.VERIFIED,
            new Envelope("josé@client.test", List.of("ok@rcpt.test"), false), TestContent.smtpUtf8("Subject: x\r\n\r\nx\r\n")).join();

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.HOST_REFUSED);
        assertThat(outcome.reply()).hasValueSatisfying(reply -> assertThat(reply.enhancedCode()).isPresent());
        assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
    }

    @Test
    void requireTlsNeedsTheMxToOfferIt() {
        // Postfix 3.7 has no REQUIRETLS (RFC 8689): the message must not go, and the session is verified
        // although the caller asked for the opportunistic stance.
        SessionOutcome outcome = sender(PIPELINING_CLIENT, UnaryOperator.identity()).send(mx, TlsStance.OPPORTUNISTIC,
            new Envelope("a@client.test", List.of("ok@rcpt.test"), true), TestContent.of("Subject: x\r\n\r\nx\r\n")).join();

        assertEnded(outcome, SessionOutcome.Kind.HOST_REFUSED, SmtpStep.MAIL, 550, "5.7.30");
        assertThat(outcome.tlsEstablished()).isTrue();
        assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PIPELINING", "CHUNKING"})
    void connectionIsReusedAfterARefusedTransaction(String client) {
        NettySmtpSender sender = sender(client(client), settings -> settings.maxMessagesPerConnection(5));

        SessionOutcome refused = send(sender, "mail-perm@client.test", "ok@rcpt.test");
        SessionOutcome delivered = send(sender, "a@client.test", "ok@rcpt.test");

        assertThat(refused.kind()).isEqualTo(SessionOutcome.Kind.PERMANENT_FAILURE);
        assertThat(delivered.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        // The refused transaction ends with RSET (RFC 5321 §4.1.1.5), so the next one starts on a clean session.
        assertThat(refused.transcript()).contains("C: RSET");
        assertThat(delivered.transcript()).anyMatch(line -> line.startsWith("*: reusing")).noneMatch(line -> line.startsWith("C: RSET"));
    }

    private static InetAddress client(String name) {
        return name.equals("STEPWISE") ? STEPWISE_CLIENT : name.equals("CHUNKING") ? CHUNKING_CLIENT : PIPELINING_CLIENT;
    }
}
