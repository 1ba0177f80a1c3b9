package io.github.jamesmtasts.mtasts;

/** Why a policy file is invalid (RFC 8461 §3.2). Any of them makes the fetch an {@code sts-policy-invalid}. */
public enum PolicyError {
    /** The body is not UTF-8. */
    NOT_UTF8,
    /** A line is not {@code name ":" *WSP value}: no colon, a bad field name, a bad extension value, an empty line, a bare CR. */
    BAD_LINE,
    /** No {@code version} field. */
    MISSING_VERSION,
    /** A {@code version} other than {@code STSv1}. */
    BAD_VERSION,
    /** No {@code mode} field. */
    MISSING_MODE,
    /** A {@code mode} other than {@code enforce}, {@code testing} or {@code none} (case-sensitive). */
    BAD_MODE,
    /** No {@code max_age} field. */
    MISSING_MAX_AGE,
    /** A {@code max_age} that is not 1 to 10 digits, or above 31557600. */
    BAD_MAX_AGE,
    /** An {@code mx} value that is not a valid pattern ({@link MxPattern.Problem}). */
    BAD_MX,
    /** Mode {@code enforce} or {@code testing} without any {@code mx}. */
    MISSING_MX
}
