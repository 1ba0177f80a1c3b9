package io.github.jamesmtasts.tlsrpt.sending;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * RFC 8460 §5.5: after a failed delivery, retry "for up to 24 hours after the initial attempt",
 * "with exponential backoff": the first wait is given, each further wait doubles.
 */
final class ExponentialBackoff {
    private final Duration firstDelay;
    private final Duration window;

    ExponentialBackoff(Duration firstDelay, Duration window) {
        this.firstDelay = firstDelay;
        this.window = window;
    }

    /**
     * When to try again after {@code failures} failed attempts, the last one ending {@code now}.
     *
     * @return empty once that time would be past the window that began at {@code firstAttempt}
     */
    Optional<Instant> retryAt(Instant firstAttempt, int failures, Instant now) {
        Duration delay = firstDelay.multipliedBy(1L << Math.min(failures - 1, 30));
        Instant next = now.plus(delay);
        return next.isAfter(firstAttempt.plus(window)) ? Optional.empty() : Optional.of(next);
    }
}
