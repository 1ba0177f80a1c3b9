package io.github.jamesmtasts.tlsrpt.receiving;

import io.github.jamesmtasts.result.ReportedPolicy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code policies} entry of a received report (RFC 8460 §4.4): the policy the sender applied to a policy domain,
 * its session totals and the failures in detail.
 */
public final class ReceivedPolicy {
    private final ReportedPolicy.Type policyType;
    private final String policyDomain;
    private final List<String> policyStrings;
    private final List<String> mxHosts;
    private final long successful;
    private final long failed;
    private final List<ReceivedFailure> failures;

    public ReceivedPolicy(ReportedPolicy.Type policyType, String policyDomain, List<String> policyStrings, List<String> mxHosts,
                          long successful, long failed, List<ReceivedFailure> failures) {
        this.policyType = Objects.requireNonNull(policyType, "policyType");
        this.policyDomain = Objects.requireNonNull(policyDomain, "policyDomain");
        this.policyStrings = List.copyOf(policyStrings);
        this.mxHosts = List.copyOf(mxHosts);
        if (successful < 0 || failed < 0) {
            throw new IllegalArgumentException("negative session count " + successful + "/" + failed);
        }
        this.successful = successful;
        this.failed = failed;
        this.failures = List.copyOf(failures);
    }

    /** The form domains are compared in: lower case, without a trailing dot. */
    static String normalize(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    public ReportedPolicy.Type policyType() {
        return policyType;
    }

    /** {@code policy-domain} as the sender wrote it. */
    public String policyDomain() {
        return policyDomain;
    }

    /** {@link #policyDomain()} in lower case, without a trailing dot. */
    public String normalizedPolicyDomain() {
        return normalize(policyDomain);
    }

    /** RFC 8460 §4.5 {@code policy-string}: the policy's lines, or TLSA records; empty for {@code no-policy-found}. */
    public List<String> policyStrings() {
        return policyStrings;
    }

    /** {@code mx-host}: the policy's MX patterns (an array, RFC 8460 erratum 6241). */
    public List<String> mxHosts() {
        return mxHosts;
    }

    /** {@code total-successful-session-count}. */
    public long successful() {
        return successful;
    }

    /** {@code total-failure-session-count}: the sender's total, which its failure details need not add up to. */
    public long failed() {
        return failed;
    }

    /** {@code failure-details}, in the sender's order. */
    public List<ReceivedFailure> failures() {
        return failures;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReceivedPolicy)) {
            return false;
        }
        ReceivedPolicy other = (ReceivedPolicy) o;
        return successful == other.successful && failed == other.failed && policyType == other.policyType
            && policyDomain.equals(other.policyDomain) && policyStrings.equals(other.policyStrings)
            && mxHosts.equals(other.mxHosts) && failures.equals(other.failures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(policyType, policyDomain, policyStrings, mxHosts, successful, failed, failures);
    }

    @Override
    public String toString() {
        return policyType.code() + " " + policyDomain + " " + successful + "/" + failed + " " + failures;
    }
}
