package io.github.jamesmtasts.check;

import io.github.jamesmtasts.result.ResultType;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of a check: which step, about what, how it went, what kind of outcome it is, and the RFC 8460 result
 * type of a problem. {@link #key()} names the outcome without its wording, so the same problem found on two days
 * is recognised as the same finding; a certificate close to its end also says which {@link ExpiryThreshold} it
 * has crossed.
 */
public final class Finding {
    /** How a finding weighs. */
    public enum Status {
        OK, INFO, WARNING, PROBLEM;

        /** WARNING and PROBLEM are bad: something to fix. */
        public boolean isBad() {
            return this == WARNING || this == PROBLEM;
        }
    }

    /** The kind of a finding about a certificate close to its end. */
    public static final String CERTIFICATE_EXPIRING = "certificate-expiring";

    private final String step;
    private final String subject;
    private final Status status;
    private final String kind;
    private final String message;
    private final ResultType resultType;
    private final ExpiryThreshold expiry;

    private Finding(String step, String subject, Status status, String kind, String message, ResultType resultType,
                    ExpiryThreshold expiry) {
        this.step = Objects.requireNonNull(step, "step");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.status = Objects.requireNonNull(status, "status");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.message = Objects.requireNonNull(message, "message");
        this.resultType = resultType;
        this.expiry = expiry;
    }

    /** @param kind a short, stable word for the outcome, such as {@code stale-id} */
    public static Finding of(String step, String subject, Status status, String kind, String message) {
        return new Finding(step, subject, status, kind, message, null, null);
    }

    /** A problem of an RFC 8460 result type, which is also its kind. */
    public static Finding problem(String step, String subject, ResultType type, String message) {
        return new Finding(step, subject, Status.PROBLEM, Objects.requireNonNull(type, "type").code(), message, type, null);
    }

    /** A certificate that has crossed an expiry threshold: a warning. */
    public static Finding expiring(String step, String subject, ExpiryThreshold threshold, String message) {
        return new Finding(step, subject, Status.WARNING, CERTIFICATE_EXPIRING, message, null,
            Objects.requireNonNull(threshold, "threshold"));
    }

    /** A finding read back as it was kept; the factories above are for new ones. */
    public static Finding restore(String step, String subject, Status status, String kind, String message,
                                  Optional<ResultType> resultType, Optional<ExpiryThreshold> expiry) {
        return new Finding(step, subject, status, kind, message, resultType.orElse(null), expiry.orElse(null));
    }

    public String step() {
        return step;
    }

    public String subject() {
        return subject;
    }

    public Status status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public String message() {
        return message;
    }

    public Optional<ResultType> resultType() {
        return Optional.ofNullable(resultType);
    }

    /** The threshold a certificate close to its end has crossed. */
    public Optional<ExpiryThreshold> expiry() {
        return Optional.ofNullable(expiry);
    }

    /** Step, subject and kind: the same for the same outcome whatever its wording, e.g. {@code mx mx.example.org starttls-not-supported}. */
    public String key() {
        return step + " " + subject + " " + kind;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Finding)) {
            return false;
        }
        Finding other = (Finding) o;
        return step.equals(other.step) && subject.equals(other.subject) && status == other.status && kind.equals(other.kind)
            && message.equals(other.message) && resultType == other.resultType && expiry == other.expiry;
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, subject, status, kind, message, resultType, expiry);
    }

    @Override
    public String toString() {
        return status + " " + step + " " + subject + ": " + message + (resultType == null ? "" : " [" + resultType.code() + "]");
    }
}
