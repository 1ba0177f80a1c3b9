package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.ExpiryThreshold;
import io.github.jamesmtasts.check.Finding;
import io.github.jamesmtasts.result.ResultType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Watch}: which changes between two checks are worth a mail. */
class WatchTest {
    private static final String DOMAIN = "example.org";
    private static final Instant DAY_1 = Instant.parse("2026-12-01T06:00:00Z");
    private static final Instant DAY_2 = DAY_1.plusSeconds(86400);
    private static final Finding STARTTLS_OK = Finding.of("mx", "mx.example.org", Finding.Status.OK, "starttls", "STARTTLS with a valid certificate");
    private static final Finding NO_STARTTLS = Finding.problem("mx", "mx.example.org", ResultType.STARTTLS_NOT_SUPPORTED, "no STARTTLS");
    private static final Finding NO_TLSRPT = Finding.of("tlsrpt", "_smtp._tls.example.org", Finding.Status.WARNING, "no-record", "no TLS-RPT reports");

    private final Watch watch = Watch.withResolvedNotes();

    @Test
    void aFindingTurningBadIsOneAlert() {
        List<Alert> alerts = watch.alerts(Optional.of(state(DAY_1, STARTTLS_OK)), state(DAY_2, NO_STARTTLS));

        assertThat(alerts).containsExactly(Alert.of(DOMAIN, NO_STARTTLS, Alert.Kind.NEW_PROBLEM));
        assertThat(alerts.get(0).text()).contains("no STARTTLS").contains("[starttls-not-supported]");
    }

    @Test
    void theSameProblemAgainIsNoAlertEvenInOtherWords() {
        Finding reworded = Finding.problem("mx", "mx.example.org", ResultType.STARTTLS_NOT_SUPPORTED, "no STARTTLS after EHLO");

        assertThat(watch.alerts(Optional.of(state(DAY_1, NO_STARTTLS)), state(DAY_2, reworded))).isEmpty();
    }

    @Test
    void everyBadFindingOfAFirstCheckIsNew() {
        assertThat(watch.alerts(Optional.empty(), state(DAY_1, STARTTLS_OK, NO_TLSRPT)))
            .containsExactly(Alert.of(DOMAIN, NO_TLSRPT, Alert.Kind.NEW_PROBLEM));
    }

    @Test
    void eachExpiryThresholdIsOneAlert() {
        Finding at30 = expiring(ExpiryThreshold.DAYS_30);
        Finding at14 = expiring(ExpiryThreshold.DAYS_14);

        assertThat(watch.alerts(Optional.of(state(DAY_1, STARTTLS_OK)), state(DAY_2, at30)))
            .extracting(Alert::kind).containsExactly(Alert.Kind.EXPIRING);
        assertThat(watch.alerts(Optional.of(state(DAY_1, at30)), state(DAY_2, at30))).isEmpty();
        List<Alert> next = watch.alerts(Optional.of(state(DAY_1, at30)), state(DAY_2, at14));
        assertThat(next).containsExactly(Alert.of(DOMAIN, at14, Alert.Kind.EXPIRING));
        assertThat(next.get(0).subject()).contains("less than 14 days left");
        assertThat(watch.alerts(Optional.of(state(DAY_1, at14)), state(DAY_2, at30))).as("renewed, still under 30 days").isEmpty();
    }

    @Test
    void aWarningBecomingAProblemIsAnAlert() {
        Finding worse = Finding.of("tlsrpt", "_smtp._tls.example.org", Finding.Status.PROBLEM, "no-record", "no TLS-RPT reports");

        assertThat(watch.alerts(Optional.of(state(DAY_1, NO_TLSRPT)), state(DAY_2, worse)))
            .containsExactly(Alert.of(DOMAIN, worse, Alert.Kind.NEW_PROBLEM));
    }

    @Test
    void aBadFindingGoneIsResolvedUnlessOnlyProblemsAreWanted() {
        DomainState before = state(DAY_1, NO_STARTTLS);
        DomainState after = state(DAY_2, STARTTLS_OK);

        assertThat(watch.alerts(Optional.of(before), after)).containsExactly(Alert.of(DOMAIN, NO_STARTTLS, Alert.Kind.RESOLVED));
        assertThat(Watch.problemsOnly().alerts(Optional.of(before), after)).isEmpty();
    }

    private static Finding expiring(ExpiryThreshold threshold) {
        return Finding.expiring("mx", "mx.example.org", threshold, "STARTTLS with a valid certificate: " + threshold);
    }

    private static DomainState state(Instant checked, Finding... findings) {
        return DomainState.of(DOMAIN, checked, List.of(findings));
    }
}
