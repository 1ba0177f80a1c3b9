package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the policy engine knows about one recipient domain at one moment: the policy that applies
 * (if any, with its {@code id} and expiry) and the failure met on the way (if any). Both can be
 * present: an unexpired cached policy still applies after a failed refresh (RFC 8461 §3.3).
 * Without any policy, DNS may also have given no answer at all: then it is not known whether the
 * domain has a policy, and delivery should wait ({@link Status#TEMPORARY_FAILURE}).
 */
public final class PolicyLookup {
    /** Whether a policy applies. */
    public enum Status {
        /** A policy applies: {@link #policy()} is present. */
        POLICY,
        /** No policy applies: deliver as without MTA-STS ({@link #failure()} says why, if a policy was announced). */
        NO_POLICY,
        /** The {@code _mta-sts} TXT lookup got no answer and no policy is cached: try again later. */
        TEMPORARY_FAILURE
    }

    private final String domain;
    private final Policy policy;
    private final String id;
    private final Instant expires;
    private final Failure failure;
    private final String temporaryFailure;

    private PolicyLookup(String domain, Policy policy, String id, Instant expires, Failure failure, String temporaryFailure) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.policy = policy;
        this.id = id;
        this.expires = expires;
        this.failure = failure;
        this.temporaryFailure = temporaryFailure;
    }

    /** A policy applies; {@code failure} is the problem met while refreshing it, or null. */
    public static PolicyLookup found(String domain, Policy policy, String id, Instant expires, Failure failure) {
        return new PolicyLookup(domain, Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(id, "id"),
            Objects.requireNonNull(expires, "expires"), failure, null);
    }

    /** The domain publishes no policy (no {@code _mta-sts} record): opportunistic delivery. */
    public static PolicyLookup none(String domain) {
        return new PolicyLookup(domain, null, null, null, null, null);
    }

    /** A policy was announced but could not be had, and none is cached (RFC 8461 §5: treat as no policy, report). */
    public static PolicyLookup failed(String domain, Failure failure) {
        return new PolicyLookup(domain, null, null, null, Objects.requireNonNull(failure, "failure"), null);
    }

    /**
     * DNS gave no answer for the {@code _mta-sts} record (SERVFAIL, time-out) and no policy is cached:
     * whether the domain has a policy is unknown, so delivery waits and tries again.
     */
    public static PolicyLookup temporaryFailure(String domain, String detail) {
        return new PolicyLookup(domain, null, null, null, null, Objects.requireNonNull(detail, "detail"));
    }

    public Status status() {
        if (policy != null) {
            return Status.POLICY;
        }
        return temporaryFailure == null ? Status.NO_POLICY : Status.TEMPORARY_FAILURE;
    }

    /** What DNS said, when the status is {@link Status#TEMPORARY_FAILURE}. */
    public Optional<String> temporaryFailureDetail() {
        return Optional.ofNullable(temporaryFailure);
    }

    /** The policy domain: the recipient domain as an A-label, lower case, without a trailing dot. */
    public String domain() {
        return domain;
    }

    public Optional<Policy> policy() {
        return Optional.ofNullable(policy);
    }

    /** The {@code id} of the TXT record the policy was fetched under. */
    public Optional<String> id() {
        return Optional.ofNullable(id);
    }

    public Optional<Instant> expires() {
        return Optional.ofNullable(expires);
    }

    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** The mode in force: the policy's, or {@link Mode#NONE} without a policy. */
    public Mode mode() {
        return policy == null ? Mode.NONE : policy.mode();
    }

    /** How a TLS-RPT report names the policy of this lookup. */
    public ReportedPolicy reported() {
        return policy == null ? ReportedPolicy.noPolicyFound() : policy.reported();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolicyLookup)) {
            return false;
        }
        PolicyLookup other = (PolicyLookup) o;
        return domain.equals(other.domain) && Objects.equals(policy, other.policy) && Objects.equals(id, other.id)
            && Objects.equals(expires, other.expires) && Objects.equals(failure, other.failure)
            && Objects.equals(temporaryFailure, other.temporaryFailure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, policy, id, expires, failure, temporaryFailure);
    }

    @Override
    public String toString() {
        if (temporaryFailure != null) {
            return domain + ": unknown, DNS failed (" + temporaryFailure + ")";
        }
        return domain + ": " + (policy == null ? "no policy" : policy.mode().keyword() + " id=" + id)
            + (failure == null ? "" : " (" + failure + ")");
    }
}
