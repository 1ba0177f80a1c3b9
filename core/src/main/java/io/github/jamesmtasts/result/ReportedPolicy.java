package io.github.jamesmtasts.result;

import java.util.List;
import java.util.Objects;

/**
 * The policy a session was held to, as a TLS-RPT report names it (RFC 8460 §4.4 {@code policy}):
 * {@code sts} with the policy text's lines and its {@code mx} patterns, {@code tlsa} with the TLSA records of
 * the MX host (DANE, RFC 7672), or {@code no-policy-found}.
 */
public final class ReportedPolicy {
    /** RFC 8460 §4.4 {@code policy-type}. */
    public enum Type {
        STS("sts"), TLSA("tlsa"), NO_POLICY_FOUND("no-policy-found");

        private final String code;

        Type(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private static final ReportedPolicy NO_POLICY = new ReportedPolicy(Type.NO_POLICY_FOUND, List.of(), List.of());

    private final Type type;
    private final List<String> policyStrings;
    private final List<String> mxHosts;

    private ReportedPolicy(Type type, List<String> policyStrings, List<String> mxHosts) {
        this.type = type;
        this.policyStrings = List.copyOf(policyStrings);
        this.mxHosts = List.copyOf(mxHosts);
    }

    public static ReportedPolicy noPolicyFound() {
        return NO_POLICY;
    }

    /** @param policyStrings the policy file's lines, in order; @param mxHosts its {@code mx} patterns. */
    public static ReportedPolicy sts(List<String> policyStrings, List<String> mxHosts) {
        return new ReportedPolicy(Type.STS, policyStrings, mxHosts);
    }

    /** RFC 8460 §4.5: the TLSA records in presentation format ({@code 3 1 1 <hex>}), one string each. */
    public static ReportedPolicy tlsa(List<String> records) {
        return new ReportedPolicy(Type.TLSA, records, List.of());
    }

    public Type type() {
        return type;
    }

    public List<String> policyStrings() {
        return policyStrings;
    }

    public List<String> mxHosts() {
        return mxHosts;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportedPolicy)) {
            return false;
        }
        ReportedPolicy other = (ReportedPolicy) o;
        return type == other.type && policyStrings.equals(other.policyStrings) && mxHosts.equals(other.mxHosts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, policyStrings, mxHosts);
    }

    @Override
    public String toString() {
        return type.code() + (type == Type.NO_POLICY_FOUND ? "" : " " + policyStrings);
    }
}
