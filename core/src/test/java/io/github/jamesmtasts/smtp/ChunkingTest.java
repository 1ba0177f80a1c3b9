package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 3030: to an MX offering CHUNKING and PIPELINING, a small message goes as one {@code BDAT ... LAST} chunk in the
 * same write as its envelope, not dot-stuffed; a refused chunk resets the transaction; anything else goes with DATA.
 * (Postfix, which offers CHUNKING, takes BDAT in {@link PostfixDeliveryTest}.)
 */
class ChunkingTest {
    private static final String MX_NAME = "mx.chunks.test";
    private static final TestCa CA = TestCa.create("Chunking CA");
    private static final String MESSAGE = "Subject: chunk\r\n\r\n.a line that starts with a dot\n.\r\nlast line";
    private static final String ON_THE_WIRE = "Subject: chunk\r\n\r\n.a line that starts with a dot\r\n.\r\nlast line\r\n";
    private static final Envelope ENVELOPE = new Envelope("a@client.test", List.of("b@rcpt.test", "c@rcpt.test"), false);

    private NettySmtpSender sender;

    @AfterEach
    void close() {
        if (sender != null) {
            sender.close();
        }
    }

    private SessionOutcome send(MxServer server, UnaryOperator<SmtpSettings.Builder> settings, Envelope envelope) {
        if (sender == null) {
            sender = new NettySmtpSender(settings.apply(TestSettings.trusting(CA, Duration.ofSeconds(5))).build());
        }
        return sender.send(new MxTarget(MX_NAME, server.address(), 25), TlsStance.VERIFIED, envelope, TestContent.of(MESSAGE)).join();
    }

    private static MxServer chunkingMx(UnaryOperator<MxServer.Options> options) {
        return MxServer.start(LoopbackAddresses.next(), options.apply(MxServer.Options.withCertificate(CA.issue(MX_NAME)).chunking(true)));
    }

    @Test
    void smallMessageGoesInOneChunkBehindItsEnvelope() throws InterruptedException {
        try (MxServer server = chunkingMx(options -> options)) {
            SessionOutcome outcome = send(server, settings -> settings, ENVELOPE);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(outcome.recipients()).extracting(RecipientOutcome::status)
                .containsOnly(RecipientOutcome.Status.DELIVERED).hasSize(2);
            List<String> transcript = outcome.transcript();
            int octets = ON_THE_WIRE.getBytes(StandardCharsets.UTF_8).length;
            assertThat(transcript).contains("C: BDAT " + octets + " LAST").noneMatch(line -> line.equals("C: DATA"));
            // One write: MAIL, both RCPTs, BDAT and the content leave before the MX answers MAIL.
            int mail = indexOf(transcript, "C: MAIL");
            assertThat(transcript.subList(mail, mail + 5)).allMatch(line -> line.startsWith("C: "));
            MxServer.Received received = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
            assertThat(received.chunked()).isTrue();
            assertThat(received.tls()).isTrue();
            assertThat(received.recipients()).containsExactly("b@rcpt.test", "c@rcpt.test");
            // CRLF line ends, and no dot-stuffing: the chunk has a length, not an end mark.
            assertThat(received.text()).isEqualTo(ON_THE_WIRE);
        }
    }

    @Test
    void messageOverTheChunkingLimitGoesWithData() throws InterruptedException {
        try (MxServer server = chunkingMx(options -> options)) {
            SessionOutcome outcome = send(server, settings -> settings.chunkingMaxSize(MESSAGE.length() - 1), ENVELOPE);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(outcome.transcript()).contains("C: DATA").noneMatch(line -> line.startsWith("C: BDAT"));
            MxServer.Received received = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
            assertThat(received.chunked()).isFalse();
            assertThat(received.text()).isEqualTo(ON_THE_WIRE);
        }
    }

    @Test
    void withoutPipeliningTheMessageGoesWithData() throws InterruptedException {
        try (MxServer server = chunkingMx(options -> options.pipelining(false))) {
            SessionOutcome outcome = send(server, settings -> settings, ENVELOPE);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(outcome.transcript()).contains("C: DATA").noneMatch(line -> line.startsWith("C: BDAT"));
            assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).chunked()).isFalse();
        }
    }

    @Test
    void refusedChunkIsAFailureOfTheMessageAndTheSessionIsResetForTheNext() throws InterruptedException {
        try (MxServer server = chunkingMx(options -> options.reply(MxServer.Step.DATA_END, 451, "4.3.0 try again later"))) {
            SessionOutcome refused = send(server, settings -> settings, ENVELOPE);

            assertThat(refused.kind()).isEqualTo(SessionOutcome.Kind.TEMPORARY_FAILURE);
            assertThat(refused.step()).contains(SmtpStep.DATA_END);
            assertThat(refused.maybeDelivered()).isFalse();
            assertThat(refused.recipients()).extracting(RecipientOutcome::status)
                .containsOnly(RecipientOutcome.Status.TEMPORARY_FAILURE);
            // RFC 3030 §2: the state after a refused BDAT is unknown until RSET.
            assertThat(refused.transcript()).contains("C: RSET");
            assertThat(server.received()).isEmpty();

            server.options(server.options().withoutFaults());
            SessionOutcome next = send(server, settings -> settings, ENVELOPE);

            assertThat(next.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(next.transcript()).anyMatch(line -> line.startsWith("*: reusing"));
            assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).text()).isEqualTo(ON_THE_WIRE);
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void everyRecipientRefusedEndsTheTransactionAndTheChunkIsNotTakenForCommands() throws InterruptedException {
        try (MxServer server = chunkingMx(options -> options.recipientReply("b@rcpt.test", 550, "5.1.1 no such user"))) {
            SessionOutcome refused = send(server, settings -> settings, new Envelope("a@client.test", List.of("b@rcpt.test"), false));

            assertThat(refused.kind()).isEqualTo(SessionOutcome.Kind.PERMANENT_FAILURE);
            assertThat(refused.recipients()).extracting(RecipientOutcome::status)
                .containsExactly(RecipientOutcome.Status.PERMANENT_FAILURE);
            assertThat(refused.transcript()).contains("C: RSET");

            SessionOutcome next = send(server, settings -> settings, new Envelope("a@client.test", List.of("c@rcpt.test"), false));

            assertThat(next.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(server.awaitMessages(1, Duration.ofSeconds(5))).singleElement()
                .satisfies(received -> assertThat(received.recipients()).containsExactly("c@rcpt.test"));
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    /**
     * Cut after the chunk, MAIL and RCPT answered: the MX may have the message (RFC 5321 §6.1). Closed before it
     * answered MAIL: taken as no delivery, so that the next MX is tried.
     */
    @ParameterizedTest(name = "closed at {0}")
    @CsvSource({"DATA_END, DATA_END, true", "MAIL, MAIL, false"})
    void aClosedConnectionIsNoDeliveryUnlessTheMxAnsweredTheEnvelope(MxServer.Step closedAt, SmtpStep step, boolean maybeDelivered) {
        try (MxServer server = chunkingMx(options -> options.hangUp(closedAt))) {
            SessionOutcome outcome = send(server, settings -> settings, ENVELOPE);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.NETWORK_FAILURE);
            assertThat(outcome.step()).contains(step);
            assertThat(outcome.maybeDelivered()).isEqualTo(maybeDelivered);
        }
    }

    @Test
    void anIntermediateReplyToTheChunkIsATemporaryFailureOnAConnectionNotUsedAgain() throws InterruptedException {
        try (MxServer server = chunkingMx(options -> options.reply(MxServer.Step.DATA_END, 354, "go on"))) {
            SessionOutcome outcome = send(server, settings -> settings, ENVELOPE);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.TEMPORARY_FAILURE);
            assertThat(outcome.recipients()).extracting(RecipientOutcome::status)
                .containsOnly(RecipientOutcome.Status.TEMPORARY_FAILURE);

            server.options(server.options().withoutFaults());
            assertThat(send(server, settings -> settings, ENVELOPE).kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void refusedMailEndsTheTransactionWithNothingDelivered() {
        try (MxServer server = chunkingMx(options -> options.reply(MxServer.Step.MAIL, 451, "4.3.0 not now"))) {
            SessionOutcome outcome = send(server, settings -> settings, ENVELOPE);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.TEMPORARY_FAILURE);
            assertThat(outcome.step()).contains(SmtpStep.MAIL);
            assertThat(outcome.maybeDelivered()).isFalse();
            assertThat(outcome.transcript()).contains("C: RSET");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void repliesOfAChunkedGroupMayTakeAsLongAsTheReplyToTheMessage() throws InterruptedException {
        // A server may hold every reply of the group until it has taken the message (RFC 2920 §3.1).
        try (MxServer server = chunkingMx(options -> options.replyDelay(Duration.ofMillis(300)))) {
            SessionOutcome outcome = send(server, settings -> settings.mailTimeout(Duration.ofMillis(100))
                .rcptTimeout(Duration.ofMillis(100)), ENVELOPE);

            assertThat(outcome.kind()).as(outcome.transcript().toString()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(server.awaitMessages(1, Duration.ofSeconds(5))).hasSize(1);
        }
    }

    private static int indexOf(List<String> transcript, String prefix) {
        for (int i = 0; i < transcript.size(); i++) {
            if (transcript.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in " + transcript);
    }
}
