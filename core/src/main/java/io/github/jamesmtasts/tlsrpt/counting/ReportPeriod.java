package io.github.jamesmtasts.tlsrpt.counting;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The time a report covers (RFC 8460 §4.1: a full UTC day, 00:00-24:00). Periods are whole seconds
 * long and aligned to the epoch, so a one-day period is a UTC day; shorter ones serve tests.
 */
public final class ReportPeriod implements Comparable<ReportPeriod> {
    private final Instant start;
    private final Duration length;

    private ReportPeriod(Instant start, Duration length) {
        this.start = start;
        this.length = length;
    }

    /** The period of the given length that contains {@code time}. */
    public static ReportPeriod containing(Instant time, Duration length) {
        long seconds = requireValidLength(length).getSeconds();
        return new ReportPeriod(Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), seconds) * seconds), length);
    }

    /**
     * The period starting at {@code start}.
     *
     * @throws IllegalArgumentException if {@code start} is not on a period boundary
     */
    public static ReportPeriod of(Instant start, Duration length) {
        ReportPeriod period = containing(start, length);
        if (!period.start.equals(start)) {
            throw new IllegalArgumentException(start + " does not start a period of " + length);
        }
        return period;
    }

    /** @throws IllegalArgumentException unless {@code length} is a positive number of whole seconds */
    public static Duration requireValidLength(Duration length) {
        Objects.requireNonNull(length, "length");
        if (length.getNano() != 0 || length.getSeconds() < 1) {
            throw new IllegalArgumentException("a report period is a positive number of whole seconds: " + length);
        }
        return length;
    }

    public Instant start() {
        return start;
    }

    /** The first instant after the period. */
    public Instant end() {
        return start.plus(length);
    }

    /** The last second inside the period: RFC 8460 §4.4 {@code end-datetime} and §5.1 {@code end-timestamp}. */
    public Instant lastSecond() {
        return end().minusSeconds(1);
    }

    public Duration length() {
        return length;
    }

    @Override
    public int compareTo(ReportPeriod other) {
        int byStart = start.compareTo(other.start);
        return byStart != 0 ? byStart : length.compareTo(other.length);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportPeriod)) {
            return false;
        }
        ReportPeriod other = (ReportPeriod) o;
        return start.equals(other.start) && length.equals(other.length);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, length);
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end() + ")";
    }
}
