package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.mtasts.Mode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ReadinessAdvice}: enough senders over enough days without a failure, and a testing policy. */
class ReadinessAdviceTest {
    private final ReadinessAdvice advice = ReadinessAdvice.defaults();

    @Test
    void noFailuresFromEnoughSendersOverEnoughDaysIsReady() {
        ReadinessAdvice.Advice ready = advice.advise("example.org", Mode.TESTING, evidence(3, 14, 0));

        assertThat(ready.verdict()).isEqualTo(ReadinessAdvice.Verdict.READY);
        assertThat(ready.text()).isEqualTo("no failures from 3 senders over 14 days: example.org is ready for enforce");
    }

    @Test
    void tooFewSendersOrDaysIsNotYet() {
        assertThat(advice.advise("example.org", Mode.TESTING, evidence(2, 30, 0)).verdict()).isEqualTo(ReadinessAdvice.Verdict.NOT_YET);
        assertThat(advice.advise("example.org", Mode.TESTING, evidence(10, 13, 0)).verdict()).isEqualTo(ReadinessAdvice.Verdict.NOT_YET);
        assertThat(ReadinessAdvice.of(1, 1).advise("example.org", Mode.TESTING, evidence(1, 1, 0)).verdict())
            .isEqualTo(ReadinessAdvice.Verdict.READY);
    }

    @Test
    void anyFailureIsNamedAndOnlyTestingIsAdvised() {
        assertThat(advice.advise("example.org", Mode.TESTING, evidence(5, 20, 2)).text()).startsWith("2 failed sessions reported by 5 senders");
        assertThat(advice.advise("example.org", Mode.ENFORCE, evidence(5, 20, 0)).verdict()).isEqualTo(ReadinessAdvice.Verdict.NOT_TESTING);
    }

    private static SenderEvidence evidence(int organisations, int days, long failed) {
        return new SenderEvidence() {
            @Override
            public int reportingOrganisations() {
                return organisations;
            }

            @Override
            public int daysCovered() {
                return days;
            }

            @Override
            public long failedSessions() {
                return failed;
            }
        };
    }
}
