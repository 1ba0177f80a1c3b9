package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.testkit.LoopbackAddresses;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections that fail below SMTP: refused, closed at once, silent. All end as network failures. */
class NetworkFailureTest {
    private final NettySmtpSender sender = new NettySmtpSender(SmtpSettings.builder("client.test")
        .allStepTimeouts(Duration.ofMillis(500))
        .connectTimeout(Duration.ofSeconds(2))
        .build());

    @AfterEach
    void close() {
        sender.close();
    }

    private SessionOutcome sendTo(InetAddress address, TlsStance stance) {
        return sender.send(new MxTarget("mx.example.test", address, 25), stance,
            new Envelope("a@client.test", List.of("b@example.test"), false), TestContent.of("Subject: x\r\n\r\nx\r\n")).join();
    }

    @Test
    void refusedConnection() {
        SessionOutcome outcome = sendTo(LoopbackAddresses.next(), TlsStance.VERIFIED);

        assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.NETWORK_FAILURE);
        assertThat(outcome.step()).contains(SmtpStep.CONNECT);
        assertThat(outcome.tlsFailure()).isEmpty();
        assertThat(outcome.detail()).contains("cannot connect");
    }

    @Test
    void connectionResetAfterTheGreeting() throws IOException {
        try (ServerSocket server = listen()) {
            Thread resetter = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getOutputStream().write("220 mx.example.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    accepted.getInputStream().read();
                    accepted.setSoLinger(true, 0);
                } catch (IOException e) {
                    // the client went away first
                }
            });
            resetter.start();

            SessionOutcome outcome = sendTo(server.getInetAddress(), TlsStance.OPPORTUNISTIC);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.NETWORK_FAILURE);
            assertThat(outcome.step()).contains(SmtpStep.EHLO);
            assertThat(outcome.transcript()).contains("S: 220 mx.example.test ESMTP", "C: EHLO client.test");
        }
    }

    @Test
    void serverThatNeverGreetsTimesOut() throws IOException {
        try (ServerSocket server = listen()) {
            SessionOutcome outcome = sendTo(server.getInetAddress(), TlsStance.OPPORTUNISTIC);

            assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.NETWORK_FAILURE);
            assertThat(outcome.step()).contains(SmtpStep.GREETING);
            assertThat(outcome.detail()).contains("within 500 ms");
            assertThat(outcome.localAddress()).isPresent();
        }
    }

    /** Listens on port 25 of a fresh loopback address; the backlog accepts connections nobody answers. */
    private static ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(LoopbackAddresses.next(), 25));
        return server;
    }
}
