package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.PolicyParser;
import io.github.jamesmtasts.mtasts.StsRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublishedPolicyTest {
    private static final Duration WEEK = Duration.ofDays(7);
    private static final List<MxPattern> MX = List.of(MxPattern.of("mx1.example.com"), MxPattern.of("*.mx.example.com"));

    @Test
    void textIsTheRfcFormatWithCrlf() {
        PublishedPolicy policy = PublishedPolicy.of("Example.COM.", Mode.ENFORCE, MX, WEEK);

        assertThat(policy.text()).isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\n"
            + "mx: *.mx.example.com\r\nmax_age: 604800\r\n");
        assertThat(policy.domain()).isEqualTo("example.com");
        assertThat(policy.policyHost()).isEqualTo("mta-sts.example.com");
    }

    @Test
    void textParsesBackToTheSamePolicy() {
        for (Mode mode : Mode.values()) {
            PublishedPolicy published = PublishedPolicy.of("example.com", mode, MX, WEEK);

            Policy parsed = PolicyParser.parse(published.text()).value().orElseThrow();

            assertThat(parsed.mode()).isEqualTo(mode);
            assertThat(parsed.mx()).isEqualTo(MX);
            assertThat(parsed.maxAge()).isEqualTo(WEEK);
        }
        Policy none = PolicyParser.parse(PublishedPolicy.of("example.com", Mode.NONE, List.of(), Duration.ZERO).text())
            .value().orElseThrow();
        assertThat(none.mx()).isEmpty();
    }

    @Test
    void idChangesExactlyWhenTheContentDoes() {
        PublishedPolicy policy = PublishedPolicy.of("example.com", Mode.ENFORCE, MX, WEEK);

        assertThat(PublishedPolicy.of("EXAMPLE.com", Mode.ENFORCE, MX, WEEK).id()).isEqualTo(policy.id());
        assertThat(PublishedPolicy.of("example.com", Mode.TESTING, MX, WEEK).id()).isNotEqualTo(policy.id());
        assertThat(PublishedPolicy.of("example.com", Mode.ENFORCE, MX.subList(0, 1), WEEK).id()).isNotEqualTo(policy.id());
        assertThat(PublishedPolicy.of("example.com", Mode.ENFORCE, MX, WEEK.plusSeconds(1)).id()).isNotEqualTo(policy.id());
    }

    @Test
    void txtRecordParsesWithTheIdOfRfc8461Section31() {
        PublishedPolicy policy = PublishedPolicy.of("example.com", Mode.TESTING, MX, WEEK);

        assertThat(policy.id()).matches("[A-Za-z0-9]{1,32}");
        assertThat(StsRecord.parse(policy.txtRecord()).value()).contains(StsRecord.withId(policy.id()));
    }

    @Test
    void equalPoliciesAreEqual() {
        assertThat(PublishedPolicy.of("example.com.", Mode.ENFORCE, MX, WEEK))
            .isEqualTo(PublishedPolicy.of("example.com", Mode.ENFORCE, MX, WEEK))
            .hasSameHashCodeAs(PublishedPolicy.of("example.com", Mode.ENFORCE, MX, WEEK))
            .isNotEqualTo(PublishedPolicy.of("example.org", Mode.ENFORCE, MX, WEEK));
    }

    @Test
    void refusesWhatSendersWouldReject() {
        assertProblem(() -> PublishedPolicy.of("*.example.com", Mode.ENFORCE, MX, WEEK), InvalidPolicyException.Problem.BAD_DOMAIN);
        assertProblem(() -> PublishedPolicy.of("192.0.2.1", Mode.ENFORCE, MX, WEEK), InvalidPolicyException.Problem.BAD_DOMAIN);
        assertProblem(() -> PublishedPolicy.of("exa mple.com", Mode.ENFORCE, MX, WEEK), InvalidPolicyException.Problem.BAD_DOMAIN);
        assertProblem(() -> PublishedPolicy.of("example.com", Mode.ENFORCE, List.of(MxPattern.of("mx..example.com")), WEEK),
            InvalidPolicyException.Problem.BAD_MX);
        assertProblem(() -> PublishedPolicy.of("example.com", Mode.TESTING, List.of(), WEEK), InvalidPolicyException.Problem.MISSING_MX);
        assertProblem(() -> PublishedPolicy.of("example.com", Mode.ENFORCE, MX, Duration.ofSeconds(31_557_601)),
            InvalidPolicyException.Problem.BAD_MAX_AGE);
        assertProblem(() -> PublishedPolicy.of("example.com", Mode.ENFORCE, MX, Duration.ofSeconds(-1)),
            InvalidPolicyException.Problem.BAD_MAX_AGE);
        assertProblem(() -> PublishedPolicy.of("example.com", Mode.ENFORCE, MX, Duration.ofMillis(1500)),
            InvalidPolicyException.Problem.BAD_MAX_AGE);
        assertThat(PublishedPolicy.of("example.com", Mode.ENFORCE, MX, Duration.ofSeconds(31_557_600)).maxAge())
            .isEqualTo(Duration.ofSeconds(31_557_600));
    }

    @Test
    void policiesAreFoundByTheirPolicyHost() {
        PublishedPolicy a = PublishedPolicy.of("a.example", Mode.ENFORCE, MX, WEEK);
        PublishedPolicies policies = PublishedPolicies.of(List.of(a, PublishedPolicy.of("b.example", Mode.NONE, List.of(), WEEK)));

        assertThat(policies.forHost("mta-sts.a.example")).contains(a);
        assertThat(policies.forHost("MTA-STS.A.Example.:443")).contains(a);
        assertThat(policies.forHost("mta-sts.b.example").map(PublishedPolicy::mode)).contains(Mode.NONE);
        assertThat(policies.forHost("a.example")).isEmpty();
        assertThat(policies.forHost("mta-sts.c.example")).isEmpty();
        assertThat(policies.forHost("mta-sts.")).isEmpty();
        assertThat(policies.forHost("[::1]:443")).isEmpty();
        assertThat(policies.forHost(null)).isEmpty();
    }

    private static void assertProblem(Runnable making, InvalidPolicyException.Problem problem) {
        assertThatThrownBy(making::run).isInstanceOfSatisfying(InvalidPolicyException.class,
            e -> assertThat(e.problem()).isEqualTo(problem));
    }
}
