package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Per-destination concurrency: however many messages are sent at once, no more than
 * {@code destinationConcurrencyLimit} sessions go to one MX address; the others wait and are carried by the
 * sessions as they come free, without an {@code RSET} round trip; a destination that cannot be reached fails each
 * waiting message in turn and keeps nothing.
 */
class DestinationConcurrencyTest {
    private static final String MX_NAME = "mx.many.test";
    private static final TestCa CA = TestCa.create("Concurrency CA");

    private static NettySmtpSender sender(int limit, int messagesPerConnection) {
        return new NettySmtpSender(TestSettings.trusting(CA, Duration.ofSeconds(10))
            .destinationConcurrencyLimit(limit)
            .maxMessagesPerConnection(messagesPerConnection)
            .build());
    }

    private static List<SessionOutcome> sendAtOnce(NettySmtpSender sender, InetAddress address, int messages) throws Exception {
        List<CompletableFuture<SessionOutcome>> sent = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            sent.add(sender.send(new MxTarget(MX_NAME, address, 25), TlsStance.VERIFIED,
                new Envelope("a@client.test", List.of("b" + i + "@many.test"), false),
                TestContent.of("Subject: " + i + "\r\n\r\nbody " + i + "\r\n")));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        return sent.stream().map(CompletableFuture::join).collect(Collectors.toList());
    }

    @Test
    void manyMessagesAtOnceUseNoMoreSessionsThanTheLimit() throws Exception {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(),
                MxServer.Options.withCertificate(CA.issue(MX_NAME)).replyDelay(Duration.ofMillis(5)));
             NettySmtpSender sender = sender(3, 1000)) {
            List<SessionOutcome> outcomes = sendAtOnce(sender, server.address(), 60);

            assertThat(outcomes).allSatisfy(outcome -> {
                assertThat(outcome.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
                assertThat(outcome.tlsEstablished()).isTrue();
            });
            assertThat(server.awaitMessages(60, Duration.ofSeconds(10))).hasSize(60);
            assertThat(server.connections()).isEqualTo(3);
            Set<Integer> used = server.received().stream().map(MxServer.Received::connectionId).collect(Collectors.toSet());
            assertThat(used).hasSize(3);
            // A session handed from one message to the next is not reset: its transaction ended (RFC 5321 §4.1.1.4).
            assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.transcript()).noneMatch(line -> line.startsWith("C: RSET")));
            assertThat(sender.idleSessions()).isEqualTo(3);
        }
    }

    @Test
    void aSessionThatCarriedItsMessagesMakesWayForANewOne() throws Exception {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(), MxServer.Options.withCertificate(CA.issue(MX_NAME)));
             NettySmtpSender sender = sender(1, 2)) {
            List<SessionOutcome> outcomes = sendAtOnce(sender, server.address(), 6);

            assertThat(outcomes).extracting(SessionOutcome::kind).containsOnly(SessionOutcome.Kind.COMPLETED);
            assertThat(server.awaitMessages(6, Duration.ofSeconds(10))).hasSize(6);
            assertThat(server.connections()).isEqualTo(3);
        }
    }

    @Test
    void anUnreachableDestinationFailsEveryWaitingMessageAndGivesItsPlacesBack() throws Exception {
        InetAddress address = LoopbackAddresses.next();
        try (NettySmtpSender sender = sender(2, 20)) {
            List<SessionOutcome> outcomes = sendAtOnce(sender, address, 10);

            assertThat(outcomes).extracting(SessionOutcome::kind).containsOnly(SessionOutcome.Kind.NETWORK_FAILURE);
            assertThat(sender.idleSessions()).isZero();

            // Every failed open gave its place back: once the MX answers, messages go through the same limit.
            try (MxServer server = MxServer.start(address, MxServer.Options.withCertificate(CA.issue(MX_NAME)))) {
                assertThat(sendAtOnce(sender, address, 6)).extracting(SessionOutcome::kind)
                    .containsOnly(SessionOutcome.Kind.COMPLETED);
                assertThat(server.connections()).isEqualTo(2);
            }
        }
    }

    @Test
    void anIdleSessionIsUsedAgainWithoutAResetRoundTrip() throws Exception {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(), MxServer.Options.withCertificate(CA.issue(MX_NAME)));
             NettySmtpSender sender = sender(2, 20)) {
            sendAtOnce(sender, server.address(), 1);
            SessionOutcome later = sendAtOnce(sender, server.address(), 1).get(0);

            assertThat(later.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(later.transcript()).anyMatch(line -> line.contains("reusing")).noneMatch(line -> line.startsWith("C: RSET"));
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aReusedSessionClosedBeforeItAnswersMailIsReplacedOnceByANewOne() throws Exception {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(), MxServer.Options.withCertificate(CA.issue(MX_NAME)));
             NettySmtpSender sender = sender(2, 20)) {
            sendAtOnce(sender, server.address(), 1);
            server.options(server.options().hangUp(MxServer.Step.MAIL));

            SessionOutcome later = sendAtOnce(sender, server.address(), 1).get(0);

            // The reused session and the one new session both hang up at MAIL: tried twice, no more.
            assertThat(later.kind()).isEqualTo(SessionOutcome.Kind.NETWORK_FAILURE);
            assertThat(later.transcript()).anyMatch(line -> line.contains("opening a new one"));
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.received()).hasSize(1);
        }
    }

    @Test
    void aNewConnectionToTheSameMxResumesTheTlsSessionOfTheLast() throws Exception {
        try (MxServer server = MxServer.start(LoopbackAddresses.next(), MxServer.Options.withCertificate(CA.issue(MX_NAME)));
             NettySmtpSender sender = sender(1, 1);
             NettySmtpSender another = sender(1, 1)) {
            sendAtOnce(sender, server.address(), 1);
            Thread.sleep(50);
            sendAtOnce(sender, server.address(), 1);
            Thread.sleep(50);
            sendAtOnce(another, server.address(), 1);

            List<MxServer.Received> received = server.awaitMessages(3, Duration.ofSeconds(10));
            assertThat(server.connections()).isEqualTo(3);
            assertThat(received).extracting(MxServer.Received::tlsProtocol).containsOnly("TLSv1.3");
            // RFC 8446 §2.2: the sender's second handshake resumed its first session (one client context per stance,
            // engines made for the MX host and port); another client, with a context of its own, made a full one.
            assertThat(received.get(1).tlsSessionCreated()).isEqualTo(received.get(0).tlsSessionCreated());
            assertThat(received.get(2).tlsSessionCreated()).isGreaterThan(received.get(0).tlsSessionCreated());
        }
    }
}
