package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.result.Failure;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one policy fetch (RFC 8461 §3.3): a valid policy, with the end of the policy host's certificate
 * when the connection showed it, or a classified failure.
 */
public final class FetchResult {
    private final Policy policy;
    private final Instant certificateNotAfter;
    private final Failure failure;

    private FetchResult(Policy policy, Instant certificateNotAfter, Failure failure) {
        this.policy = policy;
        this.certificateNotAfter = certificateNotAfter;
        this.failure = failure;
    }

    public static FetchResult fetched(Policy policy) {
        return new FetchResult(Objects.requireNonNull(policy, "policy"), null, null);
    }

    /** A policy served under a certificate valid until {@code certificateNotAfter}. */
    public static FetchResult fetched(Policy policy, Instant certificateNotAfter) {
        return new FetchResult(Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(certificateNotAfter, "certificateNotAfter"), null);
    }

    /** A failure of type {@code sts-policy-fetch-error}, {@code sts-policy-invalid} or {@code sts-webpki-invalid}. */
    public static FetchResult failed(Failure failure) {
        return new FetchResult(null, null, Objects.requireNonNull(failure, "failure"));
    }

    public Optional<Policy> policy() {
        return Optional.ofNullable(policy);
    }

    /** The policy host's leaf certificate's notAfter, for expiry checks; empty for a failure. */
    public Optional<Instant> certificateNotAfter() {
        return Optional.ofNullable(certificateNotAfter);
    }

    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FetchResult)) {
            return false;
        }
        FetchResult other = (FetchResult) o;
        return Objects.equals(policy, other.policy) && Objects.equals(certificateNotAfter, other.certificateNotAfter)
            && Objects.equals(failure, other.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, certificateNotAfter, failure);
    }

    @Override
    public String toString() {
        return policy != null ? "fetched " + policy : "failed " + failure;
    }
}
