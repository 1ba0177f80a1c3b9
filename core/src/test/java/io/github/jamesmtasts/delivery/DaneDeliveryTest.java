package io.github.jamesmtasts.delivery;

import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.BOUNCE;
import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.DELIVERED;
import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.jamesmtasts.dane.TlsaRecord;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.result.SessionResult;
import io.github.jamesmtasts.smtp.TestContent;
import io.github.jamesmtasts.testkit.MxServer;
import io.github.jamesmtasts.testkit.TestCa;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.TLSARecord;

/**
 * DANE (RFC 7672) in a real delivery: the Netty SMTP client against MX hosts on loopback, with DNS answers marked
 * secure as a trusted validating resolver would mark them. (The same through a real James, unbound and signed zones
 * is in the integration tests.)
 */
@Timeout(30)
class DaneDeliveryTest {
    private static final String DOMAIN = "dane.test";
    private static final String MX = "mx.dane.test";
    private static final String BACKUP = "mx2.dane.test";
    private static final String RECIPIENT = "bob@dane.test";
    private final Fakes.Policies policies = new Fakes.Policies();
    private final Fakes.Sink sink = new Fakes.Sink();
    private final Enforcement enforcement = new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC());
    private LoopbackMx world;

    @BeforeEach
    void start(@TempDir Path directory) throws IOException {
        world = new LoopbackMx(directory);
        world.dns().dnssec = DnsAnswer.Dnssec.SECURE;
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void aDaneEeMatchDeliversWithoutAnyPolicyAndSendsTheBaseDomainAsSni() throws Exception {
        TestCa.Issued selfSigned = TestCa.selfSigned("unrelated.name");
        MxServer mx = mx(MX, 10, options -> options.certificate(selfSigned));
        world.dns().tlsa(MX, TlsaRecord.daneEe(selfSigned.chain().get(0)));

        assertThat(deliver()).isEqualTo(DELIVERED);

        assertThat(mx.received()).singleElement().satisfies(received -> {
            assertThat(received.tls()).isTrue();
            assertThat(received.serverName()).isEqualTo(MX);
        });
        assertThat(results()).containsExactly(MX + " tlsa success");
    }

    @Test
    void aDaneEeMismatchWithholdsTheMailAndTriesTheNextHost() throws Exception {
        MxServer primary = mx(MX, 10, UnaryOperator.identity());
        MxServer backup = mx(BACKUP, 20, UnaryOperator.identity());
        world.dns().tlsa(MX, TlsaRecord.daneEe(TestCa.selfSigned(MX).chain().get(0)));

        assertThat(deliver()).isEqualTo(DELIVERED);

        assertThat(primary.received()).isEmpty();
        assertThat(backup.received()).hasSize(1);
        // The backup has no TLSA records: MTA-STS (no policy here) applies to it, opportunistic TLS.
        assertThat(results()).containsExactly(MX + " tlsa validation-failure/tlsa-mismatch", BACKUP + " no-policy-found success");
    }

    @Test
    void aMismatchOnTheOnlyHostIsRetriedNotBounced() throws Exception {
        MxServer mx = mx(MX, 10, UnaryOperator.identity());
        world.dns().tlsa(MX, TlsaRecord.daneEe(TestCa.selfSigned(MX).chain().get(0)));

        DeliveryOutcome outcome = outcome(TlsRequirement.DEFAULT);

        assertThat(outcome.status()).isEqualTo(RETRY);
        assertThat(outcome.problem().orElseThrow().cause()).isEqualTo(DeliveryProblem.Cause.DANE);
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void daneTaDeliversToAHostTheAnchorIssuedACertificateFor() throws Exception {
        TestCa ownCa = TestCa.create("the domain's own CA");
        MxServer mx = mx(MX, 10, options -> options.certificate(ownCa.issue(MX)));
        world.dns().tlsa(MX, TlsaRecord.forCertificate(TlsaRecord.DANE_TA, TlsaRecord.SPKI, TlsaRecord.SHA2_256, ownCa.certificate()));

        assertThat(deliver()).isEqualTo(DELIVERED);
        assertThat(mx.received()).hasSize(1);
    }

    @Test
    void daneTaRefusesACertificateForAnotherName() throws Exception {
        TestCa ownCa = TestCa.create("the domain's own CA");
        MxServer mx = mx(MX, 10, options -> options.certificate(ownCa.issue("other.test")));
        world.dns().tlsa(MX, TlsaRecord.forCertificate(TlsaRecord.DANE_TA, TlsaRecord.SPKI, TlsaRecord.SHA2_256, ownCa.certificate()));

        assertThat(deliver()).isEqualTo(RETRY);
        assertThat(mx.received()).isEmpty();
        assertThat(results()).containsExactly(MX + " tlsa certificate-host-mismatch");
    }

    @Test
    void unusableRecordsMeanEncryptedButNotAuthenticated() throws Exception {
        Instant past = Instant.now().minus(10, ChronoUnit.DAYS);
        TestCa.Issued expired = TestCa.create("nobody's CA").issue(past, past.plus(1, ChronoUnit.DAYS), MX);
        MxServer mx = mx(MX, 10, options -> options.certificate(expired));
        world.dns().tlsa(MX, TlsaRecord.forCertificate(1, 1, 1, expired.chain().get(0)));

        assertThat(deliver()).isEqualTo(DELIVERED);

        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
        // The records' failure is counted under the tlsa policy; the session itself as MTA-STS saw it.
        assertThat(results()).containsExactly(MX + " tlsa tlsa-invalid/all-unusable-records", MX + " no-policy-found success");
    }

    @Test
    void unusableRecordsStillForbidPlaintext() throws Exception {
        MxServer mx = mx(MX, 10, options -> options.advertiseStartTls(false));
        world.dns().tlsa(MX, TlsaRecord.forCertificate(1, 1, 1, TestCa.selfSigned(MX).chain().get(0)));

        assertThat(deliver()).isEqualTo(RETRY);
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void aBogusTlsaAnswerIsATemporaryFailureNotAbsence() throws Exception {
        MxServer mx = mx(MX, 10, UnaryOperator.identity());
        world.dns().tlsa.put("_25._tcp." + MX, DnsAnswer.<TLSARecord>temporaryFailure("SERVFAIL"));

        DeliveryOutcome outcome = outcome(TlsRequirement.DEFAULT);

        assertThat(outcome.status()).isEqualTo(RETRY);
        assertThat(mx.connections()).isZero();
        assertThat(results()).containsExactly(MX + " tlsa dnssec-invalid");
    }

    @Test
    void anInsecureMxSetMeansNoDaneAndMtaStsApplies() throws Exception {
        world.dns().dnssec = DnsAnswer.Dnssec.INSECURE;
        MxServer mx = mx(MX, 10, UnaryOperator.identity());
        world.dns().tlsa(MX, TlsaRecord.daneEe(TestCa.selfSigned(MX).chain().get(0)));
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, MX)));

        assertThat(deliver()).isEqualTo(DELIVERED);
        assertThat(mx.received()).hasSize(1);
        assertThat(results()).containsExactly(MX + " sts success");
    }

    @Test
    void anEnforcePolicyThatThePkixCertificatePassesDoesNotOverrideADaneFailure() throws Exception {
        MxServer mx = mx(MX, 10, UnaryOperator.identity());
        world.dns().tlsa(MX, TlsaRecord.daneEe(TestCa.selfSigned(MX).chain().get(0)));
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, MX)));

        assertThat(deliver()).isEqualTo(RETRY);
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void aTestingPolicyDoesNotLoosenDane() throws Exception {
        MxServer mx = mx(MX, 10, UnaryOperator.identity());
        world.dns().tlsa(MX, TlsaRecord.daneEe(TestCa.selfSigned(MX).chain().get(0)));
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.TESTING, MX)));

        assertThat(deliver()).isEqualTo(RETRY);
        assertThat(mx.received()).isEmpty();
    }

    @Test
    void daneAuthenticatesAHostThatTheEnforcePolicyDoesNotList() throws Exception {
        TestCa.Issued selfSigned = TestCa.selfSigned(MX);
        MxServer mx = mx(MX, 10, options -> options.certificate(selfSigned));
        world.dns().tlsa(MX, TlsaRecord.daneEe(selfSigned.chain().get(0)));
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1", Fakes.policy(Mode.ENFORCE, "other.example")));

        assertThat(deliver()).isEqualTo(DELIVERED);
        assertThat(mx.received()).hasSize(1);
    }

    @Test
    void reportOnlyRecordsTheDaneFailureAndDeliversAsMtaStsSays() throws Exception {
        enforcement.setDane(DaneMode.REPORT_ONLY);
        MxServer mx = mx(MX, 10, UnaryOperator.identity());
        world.dns().tlsa(MX, TlsaRecord.daneEe(TestCa.selfSigned(MX).chain().get(0)));

        assertThat(deliver()).isEqualTo(DELIVERED);

        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.tls()).isTrue());
        assertThat(results()).containsExactly(MX + " tlsa validation-failure/tlsa-mismatch");
    }

    @Test
    void aDomainOverrideTurnsDaneOff() throws Exception {
        enforcement.override(DOMAIN, DomainOverride.of(Optional.empty(), Optional.of(DaneMode.OFF), Optional.empty()));
        MxServer mx = mx(MX, 10, UnaryOperator.identity());
        world.dns().tlsa(MX, TlsaRecord.daneEe(TestCa.selfSigned(MX).chain().get(0)));

        assertThat(deliver()).isEqualTo(DELIVERED);
        assertThat(mx.received()).hasSize(1);
        assertThat(results()).containsExactly(MX + " no-policy-found success");
    }

    @Test
    void requireTlsGoesToADaneAuthenticatedHostWithoutAnyPolicy() throws Exception {
        TestCa.Issued selfSigned = TestCa.selfSigned(MX);
        MxServer mx = mx(MX, 10, options -> options.certificate(selfSigned).requireTls(true));
        world.dns().tlsa(MX, TlsaRecord.daneEe(selfSigned.chain().get(0)));

        assertThat(outcome(TlsRequirement.REQUIRETLS).status()).isEqualTo(DELIVERED);
        assertThat(mx.received()).singleElement().satisfies(received -> assertThat(received.hasMailParameter("REQUIRETLS")).isTrue());
    }

    @Test
    void requireTlsWithoutDaneOrAnEnforcePolicyIsReturned() throws Exception {
        MxServer mx = mx(MX, 10, options -> options.requireTls(true));

        DeliveryOutcome outcome = outcome(TlsRequirement.REQUIRETLS);

        assertThat(outcome.status()).isEqualTo(BOUNCE);
        assertThat(outcome.problem().orElseThrow().enhancedStatus(true)).isEqualTo("5.7.30");
        assertThat(mx.connections()).isZero();
    }

    private MxServer mx(String host, int preference, UnaryOperator<MxServer.Options> options) {
        return world.start(DOMAIN, host, preference, options);
    }

    private DeliveryOutcome.Status deliver() throws Exception {
        return outcome(TlsRequirement.DEFAULT).status();
    }

    private DeliveryOutcome outcome(TlsRequirement requirement) throws Exception {
        DomainDelivery delivery = new DomainDelivery(policies, world.dns(), world.smtp(), sink, enforcement, Clock.systemUTC());
        return delivery.deliver(new DeliveryRequest(DOMAIN, "alice@sender.test", List.of(RECIPIENT),
                TestContent.of("Subject: hi\r\n\r\nhello\r\n"), requirement, true))
            .get(20, TimeUnit.SECONDS).outcomes().get(RECIPIENT);
    }

    private List<String> results() {
        List<String> lines = new ArrayList<>();
        for (SessionResult result : sink.results) {
            lines.add(result.receivingMxHostname().orElse("-") + " " + result.policy().type().code() + " " + result.failure()
                .map(failure -> failure.type().code() + failure.reasonCode().map(code -> "/" + code).orElse(""))
                .orElse("success"));
        }
        return lines;
    }
}
