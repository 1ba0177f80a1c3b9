package io.github.jamesmtasts.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {
    private static final DeliveryOutcome RETRY = DeliveryOutcome.retry(DeliveryProblem.of(DeliveryProblem.Cause.NETWORK, "refused"));
    private static final DeliveryOutcome NO_SERVER = DeliveryOutcome.bounce(DeliveryProblem.of(DeliveryProblem.Cause.NO_MAIL_SERVER, "NXDOMAIN"));
    private static final DeliveryOutcome REFUSED = DeliveryOutcome.bounce(DeliveryProblem.reply("550", Fakes.reply(550, "5.1.1", "no")));

    @Test
    void readsJamesDelayListsWithRepeatCountsAndUnits() {
        RetrySchedule schedule = RetrySchedule.parse("5000, 2*10 minutes, 1 hour", 4, 0);

        assertThat(schedule.delays()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(10),
            Duration.ofHours(1));
    }

    @Test
    void raisesMaxRetriesToTheDelaysListedAndRepeatsTheLastDelayForMore() {
        assertThat(RetrySchedule.parse("1 s, 3*2 s", 2, 0).maxRetries()).isEqualTo(4);
        assertThat(RetrySchedule.parse("1 s, 2 s", 4, 0).delays())
            .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void defaultsAreThoseOfRemoteDelivery() {
        RetrySchedule schedule = RetrySchedule.defaults();

        assertThat(schedule.maxRetries()).isEqualTo(5);
        assertThat(schedule.delays()).allMatch(Duration.ofHours(6)::equals);
        assertThat(schedule.maxDnsProblemRetries()).isZero();
    }

    @Test
    void rejectsWhatIsNotADelay() {
        assertThatThrownBy(() -> RetrySchedule.parse("soon", 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetrySchedule.parse("5 fortnights", 1, 0)).hasMessageContaining("fortnights");
        assertThatThrownBy(() -> RetrySchedule.parse("0*5s", 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retriesUntilTheRetriesAreUsedUp() {
        RetrySchedule schedule = RetrySchedule.parse("1s, 2s", 2, 0);

        assertThat(schedule.retryDelay(RETRY, 0)).contains(Duration.ofSeconds(1));
        assertThat(schedule.retryDelay(RETRY, 1)).contains(Duration.ofSeconds(2));
        assertThat(schedule.retryDelay(RETRY, 2)).isEmpty();
    }

    @Test
    void aDomainWithoutMailServerIsRetriedOnlyMaxDnsProblemRetriesTimes() {
        assertThat(RetrySchedule.parse("1s", 5, 0).retryDelay(NO_SERVER, 0)).isEmpty();
        RetrySchedule lenient = RetrySchedule.parse("1s", 5, 2);
        assertThat(lenient.retryDelay(NO_SERVER, 1)).contains(Duration.ofSeconds(1));
        assertThat(lenient.retryDelay(NO_SERVER, 2)).isEmpty();
        assertThat(lenient.retryDelay(REFUSED, 0)).isEmpty();
    }
}
