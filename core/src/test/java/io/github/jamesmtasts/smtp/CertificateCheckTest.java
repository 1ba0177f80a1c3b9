package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.PostfixServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 8461 §4.2 certificate checks against a real Postfix MX serving each kind of certificate: the
 * verified stance delivers only with a valid one and names every failure by its RFC 8460 result
 * type; the opportunistic stance delivers in every case, over TLS whenever STARTTLS is offered.
 */
class CertificateCheckTest {
    private static final String MX_NAME = "mx1.postfix.test";
    private static final TestCa CA = TestCa.create("Certificate Check CA");
    private static final Instant NOW = Instant.now();

    @TempDir
    Path directory;
    private NettySmtpSender sender;

    @BeforeAll
    static void needPostfix() {
        assumeTrue(PostfixServer.isInstalled(), "Postfix is not installed (apt-get install postfix; .ci/install-deps does)");
    }

    @BeforeEach
    void openSender() {
        sender = new NettySmtpSender(TestSettings.trusting(CA, Duration.ofSeconds(10)).build());
    }

    @AfterEach
    void closeSender() {
        sender.close();
    }

    static Stream<Arguments> certificates() {
        return Stream.of(
            Arguments.of("valid", certificate(ca -> ca.issue(MX_NAME)), null),
            Arguments.of("valid by wildcard", certificate(ca -> ca.issue("*.postfix.test")), null),
            Arguments.of("wrong name", certificate(ca -> ca.issue("mx2.postfix.test")), ResultType.CERTIFICATE_HOST_MISMATCH),
            Arguments.of("wildcard one label too high", certificate(ca -> ca.issue("*.test")), ResultType.CERTIFICATE_HOST_MISMATCH),
            Arguments.of("name only in the subject CN", certificate(ca -> ca.issueNamed(MX_NAME)), ResultType.CERTIFICATE_HOST_MISMATCH),
            Arguments.of("expired", certificate(ca -> ca.issue(NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(1)), MX_NAME)),
                ResultType.CERTIFICATE_EXPIRED),
            Arguments.of("self-signed", certificate(ca -> TestCa.selfSigned(MX_NAME)), ResultType.CERTIFICATE_NOT_TRUSTED),
            Arguments.of("no STARTTLS", certificate(ca -> null), ResultType.STARTTLS_NOT_SUPPORTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("certificates")
    void verifiedStanceChecksTheCertificateAndOpportunisticStanceDelivers(String kind, Function<TestCa, TestCa.Issued> certificate,
                                                                           ResultType expectedFailure) {
        TestCa.Issued issued = certificate.apply(CA);
        try (PostfixServer postfix = PostfixServer.builder(directory, LoopbackAddresses.next())
                .hostname(MX_NAME)
                .mailboxes("verified", "opportunistic")
                .certificate(issued)
                .start()) {
            MxTarget mx = new MxTarget(MX_NAME, postfix.address(), 25);

            SessionOutcome verified = send(mx, TlsStance.VERIFIED, "verified");
            SessionOutcome opportunistic = send(mx, TlsStance.OPPORTUNISTIC, "opportunistic");

            if (expectedFailure == null) {
                assertThat(verified.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
                assertThat(verified.tlsEstablished()).isTrue();
                postfix.awaitMessages("verified", 1, Duration.ofSeconds(20));
            } else {
                assertThat(verified.kind()).isEqualTo(SessionOutcome.Kind.TLS_FAILURE);
                assertThat(verified.tlsFailure()).hasValueSatisfying(failure -> assertThat(failure.type()).isEqualTo(expectedFailure));
                assertThat(verified.transcript()).noneMatch(line -> line.startsWith("C: MAIL"));
            }
            assertThat(opportunistic.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(opportunistic.tlsEstablished()).isEqualTo(issued != null);
            postfix.awaitMessages("opportunistic", 1, Duration.ofSeconds(20));
        }
    }

    @Test
    void serverWithoutTls12FailsTheVerifiedStanceAndGetsPlaintextOtherwise() {
        try (PostfixServer postfix = PostfixServer.builder(directory, LoopbackAddresses.next())
                .hostname(MX_NAME)
                .mailboxes("opportunistic")
                .certificate(CA.issue(MX_NAME))
                .mainCf("smtpd_tls_protocols = !TLSv1.2, !TLSv1.3", "tls_medium_cipherlist = DEFAULT:@SECLEVEL=0")
                .start()) {
            MxTarget mx = new MxTarget(MX_NAME, postfix.address(), 25);

            SessionOutcome verified = send(mx, TlsStance.VERIFIED, "verified");
            SessionOutcome opportunistic = send(mx, TlsStance.OPPORTUNISTIC, "opportunistic");

            assertThat(verified.kind()).isEqualTo(SessionOutcome.Kind.TLS_FAILURE);
            assertThat(verified.step()).contains(SmtpStep.TLS_HANDSHAKE);
            assertThat(verified.tlsFailure()).hasValueSatisfying(failure -> assertThat(failure.type()).isEqualTo(ResultType.VALIDATION_FAILURE));
            // RFC 7435 §6.2 as MTAs practise it: the failed handshake spoils the connection, so a new one goes in plaintext.
            assertThat(opportunistic.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(opportunistic.tlsEstablished()).isFalse();
            assertThat(opportunistic.transcript()).anyMatch(line -> line.startsWith("*: opportunistic TLS failed"))
                .filteredOn(line -> line.equals("C: STARTTLS")).hasSize(1);
            postfix.awaitMessages("opportunistic", 1, Duration.ofSeconds(20));
        }
    }

    @Test
    void refusedStartTlsFailsTheVerifiedStanceAndGoesOnInPlaintextOtherwise() throws IOException {
        // Postfix offers STARTTLS but answers 454 when it cannot read its key: a real refusal of STARTTLS.
        Path unreadable = Files.writeString(directory.resolve("not-a-key.pem"), "not a key\n");
        try (PostfixServer postfix = PostfixServer.builder(directory, LoopbackAddresses.next())
                .hostname(MX_NAME)
                .mailboxes("opportunistic")
                .mainCf("smtpd_tls_security_level = may", "smtpd_tls_chain_files = " + unreadable)
                .start()) {
            MxTarget mx = new MxTarget(MX_NAME, postfix.address(), 25);

            SessionOutcome verified = send(mx, TlsStance.VERIFIED, "verified");
            SessionOutcome opportunistic = send(mx, TlsStance.OPPORTUNISTIC, "opportunistic");

            assertThat(verified.kind()).isEqualTo(SessionOutcome.Kind.TLS_FAILURE);
            assertThat(verified.step()).contains(SmtpStep.STARTTLS);
            assertThat(verified.tlsFailure()).hasValueSatisfying(failure -> {
                assertThat(failure.type()).isEqualTo(ResultType.STARTTLS_NOT_SUPPORTED);
                assertThat(failure.detail()).contains("454 4.7.0");
            });
            assertThat(opportunistic.kind()).isEqualTo(SessionOutcome.Kind.COMPLETED);
            assertThat(opportunistic.tlsEstablished()).isFalse();
            assertThat(opportunistic.transcript()).contains("*: STARTTLS refused; going on in plaintext")
                .filteredOn(line -> line.startsWith("*: connecting")).hasSize(1);
            postfix.awaitMessages("opportunistic", 1, Duration.ofSeconds(20));
        }
    }

    private SessionOutcome send(MxTarget mx, TlsStance stance, String mailbox) {
        return sender.send(mx, stance, new Envelope("sender@client.test", List.of(mailbox + "@rcpt.test"), false),
            TestContent.of("Subject: " + stance + "\r\n\r\n" + stance + "\r\n")).join();
    }

    /** Names the lambda's type for the argument list. */
    private static Function<TestCa, TestCa.Issued> certificate(Function<TestCa, TestCa.Issued> issue) {
        return issue;
    }
}
