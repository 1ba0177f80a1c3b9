package io.github.jamesmtasts.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How close a certificate is to its end: less than 30, 14 or 7 days left, each more urgent than the one before. */
public enum ExpiryThreshold {
    DAYS_30(30),
    DAYS_14(14),
    DAYS_7(7);

    private final int days;

    ExpiryThreshold(int days) {
        this.days = days;
    }

    public int days() {
        return days;
    }

    /** Whether this threshold is closer to the end than {@code other}. */
    public boolean isMoreUrgentThan(ExpiryThreshold other) {
        return days < other.days;
    }

    /** The most urgent threshold a certificate ending at {@code notAfter} has crossed at {@code now}; empty above 30 days. */
    public static Optional<ExpiryThreshold> crossed(Instant now, Instant notAfter) {
        Duration left = Duration.between(now, notAfter);
        Optional<ExpiryThreshold> crossed = Optional.empty();
        for (ExpiryThreshold threshold : values()) {
            if (left.compareTo(Duration.ofDays(threshold.days)) < 0) {
                crossed = Optional.of(threshold);
            }
        }
        return crossed;
    }

    @Override
    public String toString() {
        return "less than " + days + " days left";
    }
}
