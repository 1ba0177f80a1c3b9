package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8689: a message marked REQUIRETLS goes only under the verified stance, and only to an MX that
 * announces REQUIRETLS after STARTTLS, with {@code REQUIRETLS} on {@code MAIL FROM}. (That Postfix,
 * which lacks REQUIRETLS, gets a 5.7.30 refusal is shown in {@link PostfixFaultsTest}.)
 */
class RequireTlsTest {
    private static final String MX_NAME = "mx.tiny.test";
    private static final TestCa CA = TestCa.create("RequireTLS CA");

    private final NettySmtpSender sender = new NettySmtpSender(TestSettings.trusting(CA, Duration.ofSeconds(5)).build());

    @AfterEach
    void close() {
        sender.close();
    }

    private SessionOutcome send(MxServer server) {
        // The caller asks for the opportunistic stance: REQUIRETLS must make it verified anyway.
        return sender.send(new MxTarget(MX_NAME, server.address(), 25), TlsStance.OPPORTUNISTIC,
            new Envelope("a@client.test", List.of("b@rcpt.test"), true), TestContent.of("Subject: x\r\n\r\nx\r\n")).join();
    }

    @Test
    void requireTlsIsSentToAnMxThatOffersIt() {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(), MxServer.Options.withCertificate(CA.issue(MX_NAME)).requireTls(true))) {
            SessionOutcome outcome = send(server);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(outcome.tlsEstablished()).isTrue();
            assertThat(server.received()).singleElement().satisfies(received -> {
                assertThat(received.hasMailParameter("REQUIRETLS")).isTrue();
                assertThat(received.tls()).isTrue();
            });
        }
    }

    @Test
    void requireTlsIsNotSentOverAnUnverifiedCertificate() throws InterruptedException {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(),
            MxServer.Options.withCertificate(TestCa.selfSigned(MX_NAME)).requireTls(true))) {
            SessionOutcome outcome = send(server);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.TLS_FAILURE);
            assertThat(server.received()).isEmpty();
            assertThat(server.awaitFailedHandshakes(1, Duration.ofSeconds(5))).isEqualTo(1);
        }
    }

    @Test
    void requireTlsIsNotSentToAnMxThatDoesNotOfferIt() {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(), MxServer.Options.withCertificate(CA.issue(MX_NAME)))) {
            SessionOutcome outcome = send(server);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.HOST_REFUSED);
            assertThat(outcome.reply()).hasValueSatisfying(reply -> assertThat(reply.enhancedCode()).contains("5.7.30"));
            assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
            assertThat(server.received()).isEmpty();
        }
    }
}
