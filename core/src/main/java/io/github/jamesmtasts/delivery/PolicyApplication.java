package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.result.ReportedPolicy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How one delivery to a policy domain applies MTA-STS (RFC 8461 §5): from the policy look-up, the admin's
 * {@link EnforcementMode} and the message's {@link TlsRequirement}, the {@link Treatment} of its MX hosts
 * and whether its sessions are reported (RFC 8460).
 */
public final class PolicyApplication {
    /** What delivery does with the MX hosts. */
    public enum Treatment {
        /**
         * RFC 8461 §5.1: only MX hosts the policy lists, only over verified TLS; when none succeeds the
         * mail waits (a temporary failure), it never goes another way.
         */
        ENFORCE,
        /** RFC 8461 §5: verify and record every failure, but deliver anyway, as without a policy. */
        TESTING,
        /** No policy applies: STARTTLS when offered, any certificate (RFC 3207). */
        OPPORTUNISTIC,
        /** RFC 8689 §4.2.1: REQUIRETLS cannot be honoured without an {@code enforce} policy: return the mail. */
        REFUSE,
        /**
         * Not now: whether the domain has a policy is unknown (its {@code _mta-sts} TXT look-up failed and nothing
         * is cached), and the mail might have to be withheld; or, for REQUIRETLS, the policy could not be had.
         * Delivering anyway would be a downgrade a DNS attacker could provoke, so the mail waits and is tried
         * again on the normal schedule.
         */
        DEFER
    }

    private final Treatment treatment;
    private final PolicyLookup lookup;
    private final boolean requireTls;

    private PolicyApplication(Treatment treatment, PolicyLookup lookup, boolean requireTls) {
        this.treatment = treatment;
        this.lookup = lookup;
        this.requireTls = requireTls;
    }

    /** Whether a policy look-up is needed at all: not when MTA-STS is off for the domain or the message waives it. */
    public static boolean needsLookup(EnforcementMode mode, TlsRequirement requirement) {
        return requirement == TlsRequirement.REQUIRETLS
            || requirement == TlsRequirement.DEFAULT && mode != EnforcementMode.OFF;
    }

    /**
     * Decides the treatment.
     *
     * @param lookup the policy look-up; empty exactly when {@link #needsLookup} said none is needed
     */
    public static PolicyApplication decide(Optional<PolicyLookup> lookup, EnforcementMode mode, TlsRequirement requirement) {
        if (lookup.isEmpty()) {
            return new PolicyApplication(Treatment.OPPORTUNISTIC, null, false);
        }
        PolicyLookup found = lookup.get();
        Mode published = found.mode();
        boolean unknown = found.status() == PolicyLookup.Status.TEMPORARY_FAILURE;
        if (requirement == TlsRequirement.REQUIRETLS) {
            // RFC 8689 §4.2.1: the MX must be validated by MTA-STS (no DANE here); testing does not validate.
            // A policy that could not be had may be an enforce one: that is temporary, not a refusal.
            boolean notHad = unknown || found.policy().isEmpty() && found.failure().isPresent();
            Treatment treatment = published == Mode.ENFORCE ? Treatment.ENFORCE : notHad ? Treatment.DEFER : Treatment.REFUSE;
            return new PolicyApplication(treatment, found, true);
        }
        if (unknown) {
            // RFC 8461 §5.1 (conformance case cache-011): only where an enforce policy would be honoured does
            // the unknown matter; report-only and testing deliver whatever the policy says.
            return new PolicyApplication(mode == EnforcementMode.ENFORCE ? Treatment.DEFER : Treatment.OPPORTUNISTIC, found, false);
        }
        if (published == Mode.ENFORCE) {
            return new PolicyApplication(mode == EnforcementMode.ENFORCE ? Treatment.ENFORCE : Treatment.TESTING, found, false);
        }
        return new PolicyApplication(published == Mode.TESTING ? Treatment.TESTING : Treatment.OPPORTUNISTIC, found, false);
    }

    public Treatment treatment() {
        return treatment;
    }

    /** The policy being applied; empty without a policy or when none was looked up. */
    public Optional<Policy> policy() {
        return lookup().flatMap(PolicyLookup::policy);
    }

    public Optional<PolicyLookup> lookup() {
        return Optional.ofNullable(lookup);
    }

    /** Whether the envelope carries REQUIRETLS (RFC 8689 §4.2.1 step 3: the next hop must offer it). */
    public boolean requireTls() {
        return requireTls;
    }

    /** Whether sessions under this application are results for TLS-RPT: only when a policy was looked up. */
    public boolean reported() {
        return lookup != null;
    }

    /** The policy as a TLS-RPT report names it. */
    public ReportedPolicy reportedPolicy() {
        return lookup == null ? ReportedPolicy.noPolicyFound() : lookup.reported();
    }

    /** How logs name this application: the treatment and the policy mode behind it. */
    @Override
    public String toString() {
        return treatment.name().toLowerCase(Locale.ROOT)
            + (lookup == null ? " (no look-up)" : " (policy " + lookup.mode().keyword() + ")")
            + (requireTls ? " REQUIRETLS" : "");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolicyApplication)) {
            return false;
        }
        PolicyApplication other = (PolicyApplication) o;
        return treatment == other.treatment && Objects.equals(lookup, other.lookup) && requireTls == other.requireTls;
    }

    @Override
    public int hashCode() {
        return Objects.hash(treatment, lookup, requireTls);
    }
}
