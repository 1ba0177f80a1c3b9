package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.result.Failure;

import java.util.Objects;
import java.util.Optional;

/** The outcome of one policy fetch (RFC 8461 §3.3): a valid policy, or a classified failure. */
public final class FetchResult {
    private final Policy policy;
    private final Failure failure;

    private FetchResult(Policy policy, Failure failure) {
        this.policy = policy;
        this.failure = failure;
    }

    public static FetchResult fetched(Policy policy) {
        return new FetchResult(Objects.requireNonNull(policy, "policy"), null);
    }

    /** A failure of type {@code sts-policy-fetch-error}, {@code sts-policy-invalid} or {@code sts-webpki-invalid}. */
    public static FetchResult failed(Failure failure) {
        return new FetchResult(null, Objects.requireNonNull(failure, "failure"));
    }

    public Optional<Policy> policy() {
        return Optional.ofNullable(policy);
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
        return Objects.equals(policy, other.policy) && Objects.equals(failure, other.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policy, failure);
    }

    @Override
    public String toString() {
        return policy != null ? "fetched " + policy : "failed " + failure;
    }
}
