package io.github.jamesmtasts.check;

import io.github.jamesmtasts.policy.PolicyFetcher;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DomainCheck} against a domain's world on loopback: what it finds, and the key each finding has. */
class DomainCheckTest {
    private static final long WEEK = Duration.ofDays(7).getSeconds();

    @TempDir
    Path directory;

    private CheckWorld world;
    private String domain;
    private String mx;
    private String policyText;

    @BeforeEach
    void start() {
        world = new CheckWorld(directory);
        domain = world.domain;
        mx = "mx." + domain;
        policyText = CheckWorld.policyText("enforce", WEEK, mx);
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aGoodDomainHasNothingBadAndMatchesWhatItsServerServes() {
        world.publish("1", policyText);
        world.mx(mx, 10);
        world.tlsRpt();

        CheckReport report = check(Optional.of(ExpectedPolicy.of("1", CheckWorld.policy(policyText))));

        assertThat(report.deliverable()).isTrue();
        assertThat(bad(report)).isEmpty();
        assertThat(keys(report)).containsExactly("txt _mta-sts." + domain + " record", "policy " + PolicyFetcher.policyUrl(domain) + " policy",
            "mx " + mx + " starttls", "dane " + domain + " not-checked", "tlsrpt _smtp._tls." + domain + " record");
    }

    @Test
    void anIdOtherThanTheServedPolicysIsAStaleId() {
        world.publish("1", policyText);
        world.mx(mx, 10);
        world.tlsRpt();

        CheckReport report = check(Optional.of(ExpectedPolicy.of("2", CheckWorld.policy(policyText))));

        assertThat(bad(report)).extracting(Finding::key).containsExactly("txt _mta-sts." + domain + " stale-id");
        assertThat(bad(report).get(0).status()).isEqualTo(Finding.Status.PROBLEM);
        assertThat(bad(report).get(0).message()).contains("id=1").contains("id=2");
    }

    @Test
    void aPolicyHostServingAnotherPolicyIsNamed() {
        world.publish("1", policyText);
        world.mx(mx, 10);
        world.tlsRpt();

        CheckReport report = check(Optional.of(ExpectedPolicy.of("1", CheckWorld.policy(CheckWorld.policyText("testing", WEEK, mx, "*.backup." + domain)))));

        Finding differs = only(report, "policy-differs");
        assertThat(differs.status()).isEqualTo(Finding.Status.PROBLEM);
        assertThat(differs.message()).contains("mode enforce, served testing").contains("*.backup." + domain);
    }

    @Test
    void anMxNotCoveredByThePatternsIsAValidationFailure() {
        world.publish("1", policyText);
        world.mx(mx, 10);
        world.mx("rogue." + domain, 20);
        world.tlsRpt();

        CheckReport report = check(Optional.empty());

        assertThat(bad(report)).extracting(Finding::key).containsExactly("mx rogue." + domain + " validation-failure");
        assertThat(bad(report).get(0).resultType()).contains(ResultType.VALIDATION_FAILURE);
        assertThat(report.deliverable()).isTrue();
    }

    @Test
    void anMxCertificateEndingInTenDaysCrossedTheFourteenDayThreshold() {
        world.publish("1", policyText);
        Instant now = Instant.now();
        world.mx(mx, 10, world.ca.issue(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10)), mx));
        world.tlsRpt();

        Finding expiring = only(check(Optional.empty()), Finding.CERTIFICATE_EXPIRING);

        assertThat(expiring.key()).isEqualTo("mx " + mx + " certificate-expiring");
        assertThat(expiring.status()).isEqualTo(Finding.Status.WARNING);
        assertThat(expiring.expiry()).contains(ExpiryThreshold.DAYS_14);
        assertThat(expiring.message()).contains("STARTTLS with a valid certificate").contains("less than 14 days left");
    }

    @Test
    void aPolicyHostCertificateEndingInTenDaysCrossedTheFourteenDayThreshold() {
        Instant now = Instant.now();
        world.publish("1", policyText, world.ca.issue(now.minus(Duration.ofDays(80)), now.plus(Duration.ofDays(10)),
            PolicyFetcher.policyHost(domain)));
        world.mx(mx, 10);
        world.tlsRpt();

        CheckReport report = check(Optional.empty());

        assertThat(bad(report)).extracting(Finding::key).containsExactly("policy mta-sts." + domain + " certificate-expiring");
        assertThat(bad(report).get(0).expiry()).contains(ExpiryThreshold.DAYS_14);
        assertThat(bad(report).get(0).message()).contains("less than 14 days left");
    }

    @Test
    void anUnreachablePolicyHostIsAFetchError() {
        world.dns.txt("_mta-sts." + domain, "v=STSv1; id=1;");
        world.dns.a(PolicyFetcher.policyHost(domain), LoopbackAddresses.next().getHostAddress());
        world.mx(mx, 10);
        world.tlsRpt();

        CheckReport report = check(Optional.empty());

        assertThat(bad(report)).extracting(Finding::key).containsExactly("policy " + PolicyFetcher.policyUrl(domain) + " sts-policy-fetch-error");
        assertThat(bad(report).get(0).message()).contains("cannot connect");
    }

    @Test
    void noTlsRptRecordIsAWarning() {
        world.publish("1", policyText);
        world.mx(mx, 10);

        Finding missing = only(check(Optional.empty()), "no-record");

        assertThat(missing.key()).isEqualTo("tlsrpt _smtp._tls." + domain + " no-record");
        assertThat(missing.status()).isEqualTo(Finding.Status.WARNING);
    }

    @Test
    void twoStsRecordsAreAProblem() {
        world.publish("1", policyText);
        world.dns.txt("_mta-sts." + domain, "v=STSv1; id=2;");
        world.mx(mx, 10);
        world.tlsRpt();

        Finding several = only(check(Optional.empty()), "multiple-records");

        assertThat(several.status()).isEqualTo(Finding.Status.PROBLEM);
    }

    @Test
    void aMaxAgeUnderADayIsAWarning() {
        world.publish("1", CheckWorld.policyText("enforce", 3600, mx));
        world.mx(mx, 10);
        world.tlsRpt();

        assertThat(bad(check(Optional.empty()))).extracting(Finding::kind).containsExactly("short-max-age");
    }

    @Test
    void theSameProblemCheckedTwiceHasTheSameKey() {
        world.publish("1", policyText);
        world.mx("rogue." + domain, 20);

        assertThat(keys(check(Optional.empty()))).isEqualTo(keys(check(Optional.empty())));
    }

    private CheckReport check(Optional<ExpectedPolicy> expected) {
        return new DomainCheck(world.clients(), Clock.systemUTC()).check(domain, expected);
    }

    private static List<Finding> bad(CheckReport report) {
        return report.findings().stream().filter(finding -> finding.status().isBad()).collect(Collectors.toList());
    }

    private static List<String> keys(CheckReport report) {
        return report.findings().stream().map(Finding::key).collect(Collectors.toList());
    }

    private static Finding only(CheckReport report, String kind) {
        List<Finding> found = report.findings().stream().filter(finding -> finding.kind().equals(kind)).collect(Collectors.toList());
        assertThat(found).as("findings of kind %s in %s", kind, report.findings()).hasSize(1);
        return found.get(0);
    }
}
