package io.github.jamesmtasts.james;

import org.apache.james.util.DurationParser;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations as a James admin writes them ({@code 30 s}, {@code 10 minutes}, {@code 1d}; a bare number is
 * milliseconds) or in ISO-8601 ({@code PT10M}), for the mailet's parameters and {@code mta-sts.properties} alike.
 */
final class Durations {
    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming {@code key} when the value is no duration, or a negative one
     */
    static Duration parse(String key, String value) {
        Duration duration;
        try {
            duration = value.startsWith("P") || value.startsWith("p") ? Duration.parse(value) : DurationParser.parse(value);
        } catch (DateTimeParseException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(key + " is not a duration: " + value, e);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(key + " cannot be negative: " + value);
        }
        return duration;
    }
}
