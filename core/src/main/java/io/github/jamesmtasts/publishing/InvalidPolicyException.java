package io.github.jamesmtasts.publishing;

import java.util.Objects;

/** A policy to publish was refused: what is wrong, as a {@link Problem}, and a detail for people. */
public final class InvalidPolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What makes a policy unfit to publish. */
    public enum Problem {
        /** The domain is not a host name (a wildcard, an IP address, a bad label...). */
        BAD_DOMAIN,
        /** An {@code mx} pattern is not valid (RFC 8461 §3.2). */
        BAD_MX,
        /** No {@code mx} pattern for a mode other than {@code none} (RFC 8461 §3.2). */
        MISSING_MX,
        /** {@code max_age} is not a whole number of seconds from 0 to 31557600 (RFC 8461 §3.2). */
        BAD_MAX_AGE
    }

    private final Problem problem;

    public InvalidPolicyException(Problem problem, String detail) {
        super(problem + ": " + detail);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
