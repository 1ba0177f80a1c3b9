package io.github.jamesmtasts.settings;

import java.time.Duration;
import java.util.Objects;

/** The one check of the durations every settings builder takes: present and positive. */
public final class Durations {
    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming {@code what} when the duration is zero or negative
     */
    public static Duration positive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + duration);
        }
        return duration;
    }
}
