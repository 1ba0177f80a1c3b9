package io.github.jamesmtasts.tlsrpt.counting;

import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.SessionResult;

import java.util.Objects;

/**
 * A policy domain and the policy its sessions were held to: one entry of a report's {@code policies}
 * (RFC 8460 §4.4). A domain whose policy changed during a period has one scope per policy.
 */
public final class PolicyScope {
    private final String policyDomain;
    private final ReportedPolicy policy;
    private final int hash;

    public PolicyScope(String policyDomain, ReportedPolicy policy) {
        this.policyDomain = Objects.requireNonNull(policyDomain, "policyDomain");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hash = Objects.hash(policyDomain, policy);
    }

    /**
     * The scope of a session result. The policy domain is brought to its A-label form (RFC 8460 §4.4)
     * unless it is plainly one already, which keeps the common case cheap.
     */
    public static PolicyScope of(SessionResult result) {
        return new PolicyScope(asciiDomain(result.policyDomain()), result.policy());
    }

    private static String asciiDomain(String domain) {
        if (isPlainAscii(domain)) {
            return domain;
        }
        try {
            return HostNames.toAscii(domain);
        } catch (IllegalArgumentException notIdna) {
            return HostNames.normalize(domain);
        }
    }

    private static boolean isPlainAscii(String domain) {
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return !domain.endsWith(".");
    }

    /** A-label, lower case, no trailing dot (RFC 8460 §4.4 {@code policy-domain}). */
    public String policyDomain() {
        return policyDomain;
    }

    public ReportedPolicy policy() {
        return policy;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PolicyScope)) {
            return false;
        }
        PolicyScope other = (PolicyScope) o;
        return hash == other.hash && policyDomain.equals(other.policyDomain) && policy.equals(other.policy);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return policyDomain + " " + policy;
    }
}
