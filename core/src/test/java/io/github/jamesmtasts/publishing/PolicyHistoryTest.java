package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each step opens the history anew at its own instant, so every transition is also read back from the file. */
class PolicyHistoryTest {
    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration WEEK = Duration.ofDays(7);

    @TempDir
    Path dir;

    @Test
    void aDomainThatNeverEnforcedHasNothingToWaitFor() {
        PolicyHistory history = at(T0);
        history.served(policy(Mode.NONE, DAY));

        assertThat(history.removalSafeAt("example.com")).isEmpty();
        assertThat(Files.exists(file())).isFalse();
    }

    @Test
    void removalIsSafeOnceTheLastPolicyBeforeNoneHasExpired() {
        at(T0).served(policy(Mode.ENFORCE, WEEK));
        assertThat(at(T0.plus(DAY)).removalSafeAt("example.com")).isEmpty();

        Instant switched = T0.plus(Duration.ofDays(30));
        at(switched).served(policy(Mode.NONE, DAY));
        at(switched.plus(DAY)).served(policy(Mode.NONE, DAY));

        assertThat(at(switched.plus(WEEK)).removalSafeAt("EXAMPLE.com.")).contains(switched.plus(WEEK));
    }

    @Test
    void theLongestMaxAgeServedBeforeNoneCounts() {
        at(T0).served(policy(Mode.ENFORCE, Duration.ofDays(365)));
        at(T0.plus(DAY)).served(policy(Mode.TESTING, DAY));
        Instant switched = T0.plus(WEEK);
        at(switched).served(policy(Mode.NONE, DAY));

        assertThat(at(switched).removalSafeAt("example.com")).contains(switched.plus(Duration.ofDays(365)));
    }

    @Test
    void anUndoneWithdrawalStillHasToExpire() {
        at(T0).served(policy(Mode.ENFORCE, Duration.ofDays(100)));
        at(T0).served(policy(Mode.NONE, DAY));
        Instant again = T0.plus(DAY);
        at(again).served(policy(Mode.ENFORCE, DAY));
        assertThat(at(again).removalSafeAt("example.com")).isEmpty();

        Instant switched = again.plus(DAY);
        at(switched).served(policy(Mode.NONE, DAY));

        assertThat(at(switched).removalSafeAt("example.com")).contains(T0.plus(Duration.ofDays(100)));
    }

    @Test
    void keepsDomainsApart() {
        PolicyHistory history = at(T0);
        history.served(policy(Mode.ENFORCE, WEEK));
        history.served(PublishedPolicy.of("example.org", Mode.ENFORCE, List.of(MxPattern.of("mx.example.org")), DAY));
        history.served(policy(Mode.NONE, DAY));

        assertThat(history.removalSafeAt("example.com")).contains(T0.plus(WEEK));
        assertThat(history.removalSafeAt("example.org")).isEmpty();
        assertThat(history.removalSafeAt("example.net")).isEmpty();
    }

    @Test
    void rewritesTheFileOnlyOnAChange() throws Exception {
        PolicyHistory history = at(T0);
        history.served(policy(Mode.ENFORCE, WEEK));
        Files.writeString(file(), Files.readString(file()).replace("604800", "604801"));

        history.served(policy(Mode.ENFORCE, WEEK));

        assertThat(Files.readString(file())).contains("604801");
        assertThat(Files.list(dir)).containsExactly(file());
    }

    @Test
    void refusesAnUnreadableFile() throws Exception {
        Files.writeString(file(), "{\"domains\": {\"example.com\": {}}}");

        assertThatThrownBy(() -> at(T0)).isInstanceOf(UncheckedIOException.class).hasMessageContaining(file().toString());
    }

    private PolicyHistory at(Instant now) {
        return PolicyHistory.open(file(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private Path file() {
        return dir.resolve("history.json");
    }

    private static PublishedPolicy policy(Mode mode, Duration maxAge) {
        return PublishedPolicy.of("example.com", mode, List.of(MxPattern.of("mx.example.com")), maxAge);
    }
}
