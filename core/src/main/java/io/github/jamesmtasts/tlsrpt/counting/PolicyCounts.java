package io.github.jamesmtasts.tlsrpt.counting;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The sessions counted for one {@link PolicyScope} in one period: RFC 8460 §4.4 {@code summary}
 * (successful and failed session counts) and {@code failure-details} (failed sessions by
 * {@link FailureGroup}). Immutable; counts are never negative.
 */
public final class PolicyCounts {
    private final PolicyScope scope;
    private final long successful;
    private final Map<FailureGroup, Long> failures;

    public PolicyCounts(PolicyScope scope, long successful, Map<FailureGroup, Long> failures) {
        this.scope = Objects.requireNonNull(scope, "scope");
        if (successful < 0 || failures.values().stream().anyMatch(count -> count < 0)) {
            throw new IllegalArgumentException("negative session count for " + scope);
        }
        this.successful = successful;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    public PolicyScope scope() {
        return scope;
    }

    /** RFC 8460 §4.4 {@code total-successful-session-count}. */
    public long successful() {
        return successful;
    }

    /** RFC 8460 §4.4 {@code failed-session-count} per group, in the order first counted. */
    public Map<FailureGroup, Long> failures() {
        return failures;
    }

    /** RFC 8460 §4.4 {@code total-failure-session-count}: the sum of the groups' counts. */
    public long totalFailures() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /** These counts and {@code other}'s added up. */
    public PolicyCounts plus(PolicyCounts other) {
        if (!scope.equals(other.scope)) {
            throw new IllegalArgumentException("cannot add counts of " + other.scope + " to " + scope);
        }
        Map<FailureGroup, Long> sum = new LinkedHashMap<>(failures);
        other.failures.forEach((group, count) -> sum.merge(group, count, Long::sum));
        return new PolicyCounts(scope, successful + other.successful, sum);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolicyCounts)) {
            return false;
        }
        PolicyCounts other = (PolicyCounts) o;
        return scope.equals(other.scope) && successful == other.successful && failures.equals(other.failures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, successful, failures);
    }

    @Override
    public String toString() {
        return scope + ": " + successful + " successful, " + failures;
    }
}
