package io.github.jamesmtasts.mtasts;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of parsing text into a value: the value, or the reason it was rejected (an enum) with a
 * detail for people.
 *
 * @param <T> the parsed value
 * @param <R> the enum of reasons for rejection
 */
public final class Parsed<T, R extends Enum<R>> {
    private final T value;
    private final R reason;
    private final String detail;

    private Parsed(T value, R reason, String detail) {
        this.value = value;
        this.reason = reason;
        this.detail = detail;
    }

    public static <T, R extends Enum<R>> Parsed<T, R> valid(T value) {
        return new Parsed<>(Objects.requireNonNull(value, "value"), null, "");
    }

    public static <T, R extends Enum<R>> Parsed<T, R> invalid(R reason, String detail) {
        return new Parsed<>(null, Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(detail, "detail"));
    }

    public boolean isValid() {
        return value != null;
    }

    public Optional<T> value() {
        return Optional.ofNullable(value);
    }

    /** Why the text was rejected; empty when valid. */
    public Optional<R> reason() {
        return Optional.ofNullable(reason);
    }

    /** What was wrong, for logs and reports; empty when valid. */
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Parsed)) {
            return false;
        }
        Parsed<?, ?> other = (Parsed<?, ?>) o;
        return Objects.equals(value, other.value) && reason == other.reason && detail.equals(other.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, reason, detail);
    }

    @Override
    public String toString() {
        return value != null ? "valid " + value : "invalid " + reason + ": " + detail;
    }
}
