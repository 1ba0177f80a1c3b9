package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.smtp.TestContent;
import io.github.jamesmtasts.dns.DnsAnswer;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;
import io.github.jamesmtasts.smtp.SessionOutcome;
import io.github.jamesmtasts.smtp.TlsStance;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.BOUNCE;
import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.DELIVERED;
import static io.github.jamesmtasts.delivery.DeliveryOutcome.Status.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

class DomainDeliveryTest {
    private static final String DOMAIN = "example.com";
    private static final Failure EXPIRED = Failure.of(ResultType.CERTIFICATE_EXPIRED, "certificate expired");
    private static final Failure MISMATCH = Failure.of(ResultType.CERTIFICATE_HOST_MISMATCH, "wrong name");

    private final Fakes.Policies policies = new Fakes.Policies();
    private final Fakes.Directory dns = new Fakes.Directory()
        .mx(DOMAIN, new MxHost("mx1.example.com", 10), new MxHost("mx2.example.com", 20))
        .host("mx1.example.com", "127.0.0.11")
        .host("mx2.example.com", "127.0.0.12");
    private final Fakes.Smtp smtp = new Fakes.Smtp();
    private final Fakes.Sink sink = new Fakes.Sink();
    private final Enforcement enforcement = new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC());
    private final DomainDelivery delivery = new DomainDelivery(policies, dns, smtp, sink, enforcement, Clock.systemUTC());

    private DomainOutcome deliver(TlsRequirement requirement, String... recipients) {
        return delivery.deliver(new DeliveryRequest(DOMAIN, "alice@sender.test", List.of(recipients),
            TestContent.of("Subject: hi\r\n\r\nhello\r\n"), requirement, true)).join();
    }

    private DomainOutcome deliver(String... recipients) {
        return deliver(TlsRequirement.DEFAULT, recipients);
    }

    private void publish(Mode mode, String... mx) {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "id1", Fakes.policy(mode, mx)));
    }

    private List<String> resultTypes() {
        return sink.results.stream()
            .map(result -> result.receivingMxHostname().orElse("-") + " "
                + result.failure().map(failure -> failure.type().code() + failure.reasonCode().map(code -> "/" + code).orElse(""))
                .orElse("success"))
            .toList();
    }

    @Test
    void enforceDeliversToTheFirstListedMxOverVerifiedTls() {
        publish(Mode.ENFORCE, "mx1.example.com", "mx2.example.com");

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.outcomes().get("bob@example.com")).isEqualTo(DeliveryOutcome.delivered("mx1.example.com"));
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/VERIFIED");
        assertThat(resultTypes()).containsExactly("mx1.example.com success");
        SessionResult result = sink.results.get(0);
        assertThat(result.policyDomain()).isEqualTo(DOMAIN);
        assertThat(result.policy().type()).isEqualTo(ReportedPolicy.Type.STS);
        assertThat(result.receivingIp()).contains("127.0.0.11");
        assertThat(result.sendingMtaIp()).contains("127.0.0.1");
    }

    @Test
    void enforceSkipsAnMxHostThePolicyDoesNotListAndReportsIt() {
        publish(Mode.ENFORCE, "mx2.example.com");

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(smtp.hostsTried()).containsExactly("mx2.example.com/VERIFIED");
        assertThat(resultTypes()).containsExactly("mx1.example.com validation-failure/mx-not-in-policy", "mx2.example.com success");
        assertThat(policies.rechecked).isEmpty();
    }

    @Test
    void enforceWithholdsTheMailWhenEveryListedMxFailsTlsAndRechecksThePolicyFirst() {
        publish(Mode.ENFORCE, "*.example.com");
        smtp.tlsFailure("mx1.example.com", EXPIRED).tlsFailure("mx2.example.com", MISMATCH);

        DomainOutcome outcome = deliver("bob@example.com");

        DeliveryOutcome bob = outcome.outcomes().get("bob@example.com");
        assertThat(bob.status()).isEqualTo(RETRY);
        assertThat(bob.problem().orElseThrow().cause()).isEqualTo(DeliveryProblem.Cause.MTA_STS);
        assertThat(bob.problem().orElseThrow().failure()).contains(EXPIRED);
        assertThat(bob.problem().orElseThrow().enhancedStatus(false)).isEqualTo("4.7.5");
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/VERIFIED", "mx2.example.com/VERIFIED");
        assertThat(resultTypes()).containsExactly("mx1.example.com certificate-expired", "mx2.example.com certificate-host-mismatch");
        assertThat(policies.rechecked).containsExactly(DOMAIN);
    }

    @Test
    void enforceWithNoListedMxWithholdsTheMailWithoutAnySession() {
        publish(Mode.ENFORCE, "other.example.net");

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.outcomes().get("bob@example.com").status()).isEqualTo(RETRY);
        assertThat(outcome.outcomes().get("bob@example.com").problem().orElseThrow().failure().orElseThrow().reasonCode())
            .contains("mx-not-in-policy");
        assertThat(smtp.sessions).isEmpty();
        assertThat(policies.rechecked).containsExactly(DOMAIN);
    }

    @Test
    void aNewPolicyFoundByTheRecheckIsAppliedAtOnce() {
        publish(Mode.ENFORCE, "old.example.com");
        policies.afterRecheck.put(DOMAIN, Fakes.found(DOMAIN, "id2", Fakes.policy(Mode.ENFORCE, "mx2.example.com")));

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.outcomes().get("bob@example.com")).isEqualTo(DeliveryOutcome.delivered("mx2.example.com"));
        assertThat(smtp.hostsTried()).containsExactly("mx2.example.com/VERIFIED");
        assertThat(outcome.application().lookup().flatMap(PolicyLookup::id)).contains("id2");
    }

    @Test
    void aListedMxThatFailsIsFollowedByTheNextOne() {
        publish(Mode.ENFORCE, "mx1.example.com", "mx2.example.com");
        smtp.script("mx1.example.com", TlsStance.VERIFIED, envelope -> SessionOutcome.builder(SessionOutcome.Kind.NETWORK_FAILURE)
            .detail("connection refused").build());

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.outcomes().get("bob@example.com")).isEqualTo(DeliveryOutcome.delivered("mx2.example.com"));
        assertThat(resultTypes()).containsExactly("mx2.example.com success");
    }

    @Test
    void testingReportsTheTlsFailureAndDeliversAnyway() {
        publish(Mode.TESTING, "mx1.example.com");
        smtp.tlsFailure("mx1.example.com", EXPIRED);

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.outcomes().get("bob@example.com")).isEqualTo(DeliveryOutcome.delivered("mx1.example.com"));
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/VERIFIED", "mx1.example.com/OPPORTUNISTIC");
        assertThat(resultTypes()).containsExactly("mx1.example.com certificate-expired");
    }

    @Test
    void testingReportsAnUnlistedMxAndStillUsesIt() {
        publish(Mode.TESTING, "mx2.example.com");

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.outcomes().get("bob@example.com")).isEqualTo(DeliveryOutcome.delivered("mx1.example.com"));
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/OPPORTUNISTIC");
        assertThat(resultTypes()).containsExactly("mx1.example.com validation-failure/mx-not-in-policy");
    }

    @Test
    void reportOnlyAppliesAnEnforcePolicyAsTesting() {
        enforcement.setGlobal(EnforcementMode.REPORT_ONLY);
        publish(Mode.ENFORCE, "mx1.example.com");
        smtp.tlsFailure("mx1.example.com", EXPIRED);

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(resultTypes()).containsExactly("mx1.example.com certificate-expired");
        assertThat(policies.rechecked).isEmpty();
    }

    @Test
    void offNeitherLooksUpNorReports() {
        enforcement.setGlobal(EnforcementMode.OFF);
        publish(Mode.ENFORCE, "nothing.example.net");

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(policies.resolved).isEmpty();
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/OPPORTUNISTIC");
        assertThat(sink.results).isEmpty();
    }

    @Test
    void aDomainOverrideWinsOverTheGlobalSwitchUntilItExpires() {
        Clock clock = Clock.fixed(Instant.parse("2024-05-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        Enforcement switches = new Enforcement(EnforcementMode.ENFORCE, clock);
        switches.override(DOMAIN, DomainOverride.of(EnforcementMode.OFF, Optional.of(Instant.parse("2024-05-02T00:00:00Z"))));
        switches.override("other.test.", DomainOverride.of(EnforcementMode.ENFORCE, Optional.of(Instant.parse("2024-04-30T00:00:00Z"))));
        publish(Mode.ENFORCE, "nothing.example.net");

        DomainOutcome outcome = new DomainDelivery(policies, dns, smtp, sink, switches, clock).deliver(
            new DeliveryRequest(DOMAIN, "", List.of("bob@example.com"), TestContent.of("x"), TlsRequirement.DEFAULT, true)).join();

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(policies.resolved).isEmpty();
        assertThat(switches.modeFor("OTHER.test")).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(switches.overrides()).containsOnlyKeys(DOMAIN);
    }

    @Test
    void withoutPolicyTheMailGoesOpportunisticallyAndIsReportedAsNoPolicyFound() {
        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/OPPORTUNISTIC");
        assertThat(sink.results).singleElement().satisfies(result -> {
            assertThat(result.policy()).isEqualTo(ReportedPolicy.noPolicyFound());
            assertThat(result.successful()).isTrue();
        });
    }

    @Test
    void aPolicyThatCouldNotBeFetchedIsCountedOnceOnItsSessionAndTheMailGoesAsWithoutPolicy() {
        Failure fetch = Failure.of(ResultType.STS_POLICY_FETCH_ERROR, "HTTP 500");
        policies.current.put(DOMAIN, PolicyLookup.failed(DOMAIN, fetch));

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(resultTypes()).containsExactly("mx1.example.com sts-policy-fetch-error");
    }

    @Test
    void tlsRequiredNoDeliversAsWithoutPolicyAndReportsNothing() {
        publish(Mode.ENFORCE, "mx1.example.com");
        smtp.tlsFailure("mx1.example.com", EXPIRED);

        DomainOutcome outcome = deliver(TlsRequirement.NOT_REQUIRED, "bob@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/OPPORTUNISTIC");
        assertThat(policies.resolved).isEmpty();
        assertThat(sink.results).isEmpty();
    }

    @Test
    void requireTlsWithoutAnEnforcePolicyIsReturnedWith5730() {
        publish(Mode.TESTING, "mx1.example.com");

        DomainOutcome outcome = deliver(TlsRequirement.REQUIRETLS, "bob@example.com");

        DeliveryOutcome bob = outcome.outcomes().get("bob@example.com");
        assertThat(bob.status()).isEqualTo(BOUNCE);
        assertThat(bob.problem().orElseThrow().enhancedStatus(true)).isEqualTo("5.7.30");
        assertThat(smtp.sessions).isEmpty();
    }

    @Test
    void requireTlsUnderAnEnforcePolicyAsksTheNextHopForRequireTls() {
        publish(Mode.ENFORCE, "mx1.example.com");

        DomainOutcome outcome = deliver(TlsRequirement.REQUIRETLS, "bob@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("bob@example.com");
        assertThat(smtp.sessions).singleElement().satisfies(session -> {
            assertThat(session.stance()).isEqualTo(TlsStance.VERIFIED);
            assertThat(session.envelope().requireTls()).isTrue();
        });
    }

    @Test
    void requireTlsWaitsWhenNoMxHostVerifiesAndNames5730ForTheEventualBounce() {
        publish(Mode.ENFORCE, "mx1.example.com", "mx2.example.com");
        smtp.tlsFailure("mx1.example.com", EXPIRED).tlsFailure("mx2.example.com", MISMATCH);

        DeliveryOutcome bob = deliver(TlsRequirement.REQUIRETLS, "bob@example.com").outcomes().get("bob@example.com");

        assertThat(bob.status()).isEqualTo(RETRY);
        assertThat(bob.problem().orElseThrow().enhancedStatus(false)).isEqualTo("4.7.30");
        assertThat(bob.problem().orElseThrow().enhancedStatus(true)).isEqualTo("5.7.30");
        assertThat(policies.rechecked).containsExactly(DOMAIN);
        assertThat(smtp.sessions).extracting(Fakes.Session::stance).containsOnly(TlsStance.VERIFIED);
        assertThat(smtp.sessions).hasSize(2);
    }

    @Test
    void aNullMxBouncesWith556AndNoSession() {
        dns.mx(DOMAIN, new MxHost("", 0));

        DeliveryOutcome bob = deliver("bob@example.com").outcomes().get("bob@example.com");

        assertThat(bob.status()).isEqualTo(BOUNCE);
        assertThat(bob.problem().orElseThrow().cause()).isEqualTo(DeliveryProblem.Cause.NULL_MX);
        assertThat(bob.problem().orElseThrow().smtpCode()).contains(556);
        assertThat(bob.problem().orElseThrow().enhancedStatus(true)).isEqualTo("5.1.10");
        assertThat(smtp.sessions).isEmpty();
    }

    @Test
    void aDomainThatDoesNotExistHasNoMailServer() {
        dns.mx.remove(DOMAIN);

        DeliveryOutcome bob = deliver("bob@example.com").outcomes().get("bob@example.com");

        assertThat(bob.status()).isEqualTo(BOUNCE);
        assertThat(bob.problem().orElseThrow().cause()).isEqualTo(DeliveryProblem.Cause.NO_MAIL_SERVER);
    }

    @Test
    void withoutMxRecordsTheDomainItselfIsTheImplicitMx() {
        dns.mx.put(DOMAIN, DnsAnswer.noRecords("no MX"));
        dns.host(DOMAIN, "127.0.0.13");

        DomainOutcome outcome = deliver("bob@example.com");

        assertThat(outcome.outcomes().get("bob@example.com")).isEqualTo(DeliveryOutcome.delivered(DOMAIN));
        assertThat(smtp.sessions.get(0).target().address().getHostAddress()).isEqualTo("127.0.0.13");
    }

    @Test
    void aTemporaryDnsFailureDefersTheMail() {
        dns.mx.put(DOMAIN, DnsAnswer.temporaryFailure("SERVFAIL"));

        DeliveryOutcome bob = deliver("bob@example.com").outcomes().get("bob@example.com");

        assertThat(bob.status()).isEqualTo(RETRY);
        assertThat(bob.problem().orElseThrow().cause()).isEqualTo(DeliveryProblem.Cause.DNS);
    }

    @Test
    void eachRecipientGetsTheFateItsReplyGives() {
        dns.mx(DOMAIN, new MxHost("mx1.example.com", 10));
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            recipient.startsWith("bad") ? Fakes.reply(550, "5.1.1", "no such user")
                : recipient.startsWith("busy") ? Fakes.reply(451, "4.2.0", "try later")
                : Fakes.reply(250, "2.1.5", "ok")));

        DomainOutcome outcome = deliver("good@example.com", "bad@example.com", "busy@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("good@example.com");
        assertThat(outcome.recipients(BOUNCE)).containsExactly("bad@example.com");
        assertThat(outcome.recipients(RETRY)).containsExactly("busy@example.com");
        DeliveryProblem bad = outcome.outcomes().get("bad@example.com").problem().orElseThrow();
        assertThat(bad.smtpCode()).contains(550);
        assertThat(bad.enhancedStatus(true)).isEqualTo("5.1.1");
        assertThat(bad.detail()).contains("mx1.example.com[127.0.0.11]", "550 no such user");
    }

    @Test
    void aRecipientRefusedForNowIsOfferedToTheNextMxWithoutTheOthers() {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> Fakes.completed(envelope, recipient ->
            recipient.startsWith("busy") ? Fakes.reply(452, "4.2.2", "mailbox full") : Fakes.reply(250, null, "ok")));

        DomainOutcome outcome = deliver("good@example.com", "busy@example.com");

        assertThat(outcome.recipients(DELIVERED)).containsExactly("busy@example.com", "good@example.com");
        assertThat(smtp.sessions.get(1).envelope().recipients()).containsExactly("busy@example.com");
        assertThat(outcome.outcomes().get("busy@example.com").mxHost()).contains("mx2.example.com");
    }

    @Test
    void aPermanentRefusalOfTheMessageBouncesEveryRecipient() {
        smtp.script("mx1.example.com", TlsStance.OPPORTUNISTIC, envelope -> SessionOutcome.builder(SessionOutcome.Kind.PERMANENT_FAILURE)
            .reply(Fakes.reply(554, "5.7.1", "rejected")).detail("MAIL FROM refused").build());

        DomainOutcome outcome = deliver("a@example.com", "b@example.com");

        assertThat(outcome.recipients(BOUNCE)).containsExactly("a@example.com", "b@example.com");
        assertThat(smtp.hostsTried()).containsExactly("mx1.example.com/OPPORTUNISTIC");
    }

    @Test
    void aTlsRptReportProducesNoResults() {
        publish(Mode.ENFORCE, "mx1.example.com");

        DomainOutcome outcome = delivery.deliver(new DeliveryRequest(DOMAIN, "", List.of("tlsrpt@example.com"),
            TestContent.of("x"), TlsRequirement.DEFAULT, false)).join();

        assertThat(outcome.recipients(DELIVERED)).containsExactly("tlsrpt@example.com");
        assertThat(sink.results).isEmpty();
    }
}
