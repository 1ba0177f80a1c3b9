package io.github.jamesmtasts.result;

import java.util.Objects;
import java.util.Optional;

/**
 * A classified failure: the RFC 8460 result type, a detail for people (logs, bounces,
 * {@code additional-information}) and, where one applies, a short machine-readable
 * {@code failure-reason-code} (RFC 8460 §4.4).
 */
public final class Failure {
    private final ResultType type;
    private final String detail;
    private final String reasonCode;

    private Failure(ResultType type, String detail, String reasonCode) {
        this.type = Objects.requireNonNull(type, "type");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.reasonCode = reasonCode;
    }

    public static Failure of(ResultType type, String detail) {
        return new Failure(type, detail, null);
    }

    public static Failure of(ResultType type, String detail, String reasonCode) {
        return new Failure(type, detail, Objects.requireNonNull(reasonCode, "reasonCode"));
    }

    public ResultType type() {
        return type;
    }

    public String detail() {
        return detail;
    }

    public Optional<String> reasonCode() {
        return Optional.ofNullable(reasonCode);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Failure)) {
            return false;
        }
        Failure other = (Failure) o;
        return type == other.type && detail.equals(other.detail) && Objects.equals(reasonCode, other.reasonCode);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, detail, reasonCode);
    }

    @Override
    public String toString() {
        return type.code() + (reasonCode == null ? "" : " (" + reasonCode + ")") + ": " + detail;
    }
}
