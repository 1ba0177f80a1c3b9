package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PostfixServer;
import io.github.jamesmtasts.testkit.StartTlsStrippingProxy;
import io.github.jamesmtasts.testkit.TestCa;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real Postfix from the Debian package, with a certificate from a test CA:
 * the MX is no code of this project, so what it accepts is what a real MTA accepts.
 */
class PostfixDeliveryTest {
    private static final String MX_NAME = "mx.postfix.test";
    private static final Duration DELIVERY = Duration.ofSeconds(20);

    @TempDir
    static Path directory;
    private static TestCa ca;
    private static PostfixServer postfix;
    private static MxTarget mx;

    private NettySmtpSender sender;

    @BeforeAll
    static void startPostfix() {
        assumeTrue(PostfixServer.isInstalled(), "Postfix is not installed (apt-get install postfix; .ci/install-deps does)");
        ca = TestCa.create("Postfix Test CA");
        postfix = PostfixServer.builder(directory, LoopbackAddresses.next())
            .hostname(MX_NAME)
            .domain("rcpt.test")
            .mailboxes("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank")
            .certificate(ca.issue(MX_NAME))
            .messageSizeLimit(5_000_000)
            .start();
        mx = new MxTarget(MX_NAME, postfix.address(), 25);
    }

    @AfterAll
    static void stopPostfix() {
        if (postfix != null) {
            postfix.close();
        }
    }

    @BeforeEach
    void openSender() {
        sender = new NettySmtpSender(TestSettings.trusting(ca, Duration.ofSeconds(10)).build());
    }

    @AfterEach
    void closeSender() {
        sender.close();
    }

    private SessionOutcome send(MxTarget target, TlsStance stance, Envelope envelope, MessageContent content) {
        return sender.send(target, stance, envelope, content).join();
    }

    @Test
    void verifiedSessionDeliversOverTls() {
        SessionOutcome outcome = send(mx, TlsStance.VERIFIED, new Envelope("sender@client.test", List.of("alice@rcpt.test"), false),
            TestContent.of("Subject: verified\r\n\r\n.a line that starts with a dot\r\nlast line\r\n"));

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        assertThat(outcome.tlsEstablished()).isTrue();
        assertThat(outcome.localAddress()).isPresent();
        assertThat(outcome.recipients()).extracting(RecipientOutcome::status).containsExactly(RecipientOutcome.Status.DELIVERED);
        assertThat(outcome.transcript()).contains("C: STARTTLS").anyMatch(line -> line.startsWith("*: TLS established: TLSv1."));
        // Postfix offers CHUNKING and PIPELINING: the small message went as one BDAT chunk, not dot-stuffed (RFC 3030).
        assertThat(outcome.transcript()).anyMatch(line -> line.matches("C: BDAT \\d+ LAST")).doesNotContain("C: DATA");
        String stored = postfix.awaitMessages("alice", 1, DELIVERY).get(0);
        assertThat(stored).contains("with ESMTPS").contains("\n.a line that starts with a dot\nlast line\n");
    }

    @Test
    void certificateNotForTheMxNameIsAHostMismatch() {
        MxTarget otherName = new MxTarget("other.postfix.test", postfix.address(), 25);

        SessionOutcome outcome = send(otherName, TlsStance.VERIFIED, new Envelope("sender@client.test", List.of("bob@rcpt.test"), false),
            TestContent.of("Subject: never\r\n\r\nnever sent\r\n"));

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.TLS_FAILURE);
        assertThat(outcome.tlsFailure()).hasValueSatisfying(failure ->
            assertThat(failure.type()).isEqualTo(ResultType.CERTIFICATE_HOST_MISMATCH));
        assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
    }

    @Test
    void recipientsAreDecidedOneByOne() {
        SessionOutcome outcome = send(mx, TlsStance.VERIFIED,
            new Envelope("sender@client.test", List.of("carol@rcpt.test", "nobody@rcpt.test"), false),
            TestContent.of("Subject: partly\r\n\r\nhello\r\n"));

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        assertThat(outcome.recipients()).hasSize(2);
        RecipientOutcome nobody = outcome.recipients().stream().filter(r -> r.recipient().startsWith("nobody")).findFirst().orElseThrow();
        assertThat(nobody.status()).isEqualTo(RecipientOutcome.Status.PERMANENT_FAILURE);
        assertThat(nobody.reply().enhancedCode()).contains("5.1.1");
        RecipientOutcome carol = outcome.recipients().stream().filter(r -> r.recipient().startsWith("carol")).findFirst().orElseThrow();
        assertThat(carol.status()).isEqualTo(RecipientOutcome.Status.DELIVERED);
        postfix.awaitMessages("carol", 1, DELIVERY);
    }

    @Test
    void secondMessageReusesTheConnectionWithoutAReset() {
        Envelope envelope = new Envelope("sender@client.test", List.of("dave@rcpt.test"), false);
        SessionOutcome first = send(mx, TlsStance.VERIFIED, envelope, TestContent.of("Subject: one\r\n\r\none\r\n"));
        assertThat(sender.idleSessions()).isEqualTo(1);

        SessionOutcome second = send(mx, TlsStance.VERIFIED, envelope, TestContent.of("Subject: two\r\n\r\ntwo\r\n"));

        assertThat(first.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        assertThat(second.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        assertThat(second.tlsEstablished()).isTrue();
        // The first transaction ended with Postfix's 250 after the data, so its state is reset (RFC 5321 §4.1.1.4).
        assertThat(second.transcript()).anyMatch(line -> line.startsWith("*: reusing"))
            .noneMatch(line -> line.startsWith("C: EHLO") || line.startsWith("C: RSET"));
        assertThat(postfix.awaitMessages("dave", 2, DELIVERY)).hasSize(2);
    }

    @Test
    void connectionCarriesAtMostTheConfiguredNumberOfMessages() {
        Envelope envelope = new Envelope("sender@client.test", List.of("gina@rcpt.test"), false);
        try (NettySmtpSender limited = new NettySmtpSender(TestSettings.trusting(ca, Duration.ofSeconds(10))
                .maxMessagesPerConnection(2).build())) {
            List<SessionOutcome> outcomes = List.of(
                limited.send(mx, TlsStance.VERIFIED, envelope, TestContent.of("Subject: 1\r\n\r\n1\r\n")).join(),
                limited.send(mx, TlsStance.VERIFIED, envelope, TestContent.of("Subject: 2\r\n\r\n2\r\n")).join(),
                limited.send(mx, TlsStance.VERIFIED, envelope, TestContent.of("Subject: 3\r\n\r\n3\r\n")).join());

            assertThat(outcomes).extracting(SessionOutcome::kind).containsOnly(SessionOutcome.Kind.COMPLETED);
            assertThat(outcomes).extracting(outcome -> outcome.transcript().stream().anyMatch(line -> line.startsWith("*: connecting")))
                .containsExactly(true, false, true);
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() {
        try (NettySmtpSender idling = new NettySmtpSender(TestSettings.trusting(ca, Duration.ofSeconds(10))
                .idleTimeout(Duration.ofMillis(200)).build())) {
            SessionOutcome outcome = idling.send(mx, TlsStance.VERIFIED, new Envelope("sender@client.test", List.of("hank@rcpt.test"), false),
                TestContent.of("Subject: idle\r\n\r\nidle\r\n")).join();
            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(idling.idleSessions()).isEqualTo(1);

            awaitUntil(() -> idling.idleSessions() == 0, Duration.ofSeconds(10));
        }
    }

    @Test
    void utf8SenderGoesWithSmtpUtf8() {
        SessionOutcome outcome = send(mx, TlsStance.VERIFIED, new Envelope("rené@client.test", List.of("erin@rcpt.test"), false),
            TestContent.smtpUtf8("Subject: utf8\r\nFrom: rené@client.test\r\n\r\nvoilà\r\n"));

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        assertThat(outcome.transcript()).anyMatch(line -> line.matches("C: MAIL FROM:<rené@client.test> SIZE=\\d+ BODY=8BITMIME SMTPUTF8"));
        assertThat(postfix.awaitMessages("erin", 1, DELIVERY)).anyMatch(message -> message.contains("Return-Path: <rené@client.test>"));
    }

    @Test
    void messageLargerThanTheAnnouncedSizeIsNotSent() {
        SessionOutcome outcome = send(mx, TlsStance.VERIFIED, new Envelope("sender@client.test", List.of("bob@rcpt.test"), false),
            new GeneratedContent(6_000_000));

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.HOST_REFUSED);
        assertThat(outcome.reply()).hasValueSatisfying(reply -> assertThat(reply.enhancedCode()).contains("5.3.4"));
        assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
    }

    @Test
    void largeMessageArrivesIntact() {
        GeneratedContent content = new GeneratedContent(3_000_000);

        SessionOutcome outcome = send(mx, TlsStance.VERIFIED, new Envelope("sender@client.test", List.of("bob@rcpt.test"), false), content);

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
        // Over chunkingMaxSize: streamed after DATA rather than held whole for BDAT.
        assertThat(outcome.transcript()).contains("C: DATA").noneMatch(line -> line.startsWith("C: BDAT"));
        String stored = postfix.awaitMessages("bob", 1, DELIVERY).get(0);
        String body = stored.substring(stored.indexOf("\n\n") + 2).replace("\n", "\r\n");
        assertThat(sha256(body)).isEqualTo(content.bodyDigest());
    }

    @Test
    void strippedStartTlsFailsTheVerifiedStanceAndFallsBackToPlaintextOtherwise() {
        try (StartTlsStrippingProxy proxy = StartTlsStrippingProxy.start(LoopbackAddresses.next(),
                new InetSocketAddress(postfix.address(), 25))) {
            MxTarget attacked = new MxTarget(MX_NAME, proxy.address(), 25);
            Envelope envelope = new Envelope("sender@client.test", List.of("frank@rcpt.test"), false);

            SessionOutcome verified = send(attacked, TlsStance.VERIFIED, envelope, TestContent.of("Subject: x\r\n\r\nsecret\r\n"));
            SessionOutcome opportunistic = send(attacked, TlsStance.OPPORTUNISTIC, envelope, TestContent.of("Subject: y\r\n\r\nplain\r\n"));

            assertThat(proxy.strippedCount()).isEqualTo(2);
            assertThat(verified.kind()).isEqualTo(SessionOutcome.Kind.TLS_FAILURE);
            assertThat(verified.tlsFailure()).hasValueSatisfying(failure ->
                assertThat(failure.type()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED));
            assertThat(verified.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
            assertThat(opportunistic.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(opportunistic.tlsEstablished()).isFalse();
            assertThat(postfix.awaitMessages("frank", 1, DELIVERY)).allMatch(message -> message.contains("with ESMTP id")
                && message.contains("plain") && !message.contains("secret"));
        }
    }

    private static void awaitUntil(BooleanSupplier condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waited " + timeout).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
