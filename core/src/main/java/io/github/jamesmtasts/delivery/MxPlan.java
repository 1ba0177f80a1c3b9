package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.smtp.TlsStance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * RFC 8461 §5.1 applied to one domain's MX hosts: for each host in preference order, whether the policy
 * lists it, and whether and under which {@link TlsStance} it is tried.
 */
public final class MxPlan {
    /** One MX host and what to do with it. */
    public static final class Step {
        private final MxHost host;
        private final TlsStance stance;
        private final boolean fallback;
        private final boolean outsidePolicy;

        Step(MxHost host, TlsStance stance, boolean fallback, boolean outsidePolicy) {
            this.host = host;
            this.stance = stance;
            this.fallback = fallback;
            this.outsidePolicy = outsidePolicy;
        }

        public MxHost host() {
            return host;
        }

        /**
         * The stance to try the host under; empty when MTA-STS keeps the mail from it (RFC 8461 §5.1, enforce) or
         * when only DANE could carry it (REQUIRETLS without an enforce policy).
         */
        public Optional<TlsStance> stance() {
            return Optional.ofNullable(stance);
        }

        /**
         * RFC 8461 §5 {@code testing}: when the verified session fails on TLS, the failure is recorded
         * and the message goes to the same address with opportunistic TLS.
         */
        public boolean fallsBackToOpportunistic() {
            return fallback;
        }

        /** RFC 8461 §4.1: the host matches none of the policy's {@code mx} patterns; reported as a validation failure. */
        public boolean outsidePolicy() {
            return outsidePolicy;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Step)) {
                return false;
            }
            Step other = (Step) o;
            return host.equals(other.host) && stance == other.stance && fallback == other.fallback
                && outsidePolicy == other.outsidePolicy;
        }

        @Override
        public int hashCode() {
            return Objects.hash(host, stance, fallback, outsidePolicy);
        }

        @Override
        public String toString() {
            return host.hostname() + (outsidePolicy ? " (not in policy)" : "") + " "
                + (stance == null ? "skipped" : stance + (fallback ? "+fallback" : ""));
        }
    }

    private final List<Step> steps;

    private MxPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /**
     * Plans the MX hosts of a domain, given in preference order.
     *
     * @throws IllegalArgumentException for a {@link PolicyApplication.Treatment#DEFER}, which tries nothing
     */
    public static MxPlan of(PolicyApplication application, List<MxHost> hosts) {
        List<Step> steps = new ArrayList<>();
        Optional<Policy> policy = application.policy();
        for (MxHost host : hosts) {
            boolean listed = policy.map(found -> found.matchesMx(host.hostname())).orElse(true);
            switch (application.treatment()) {
                case ENFORCE:
                    // RFC 8461 §5.1 step 2: a host the policy does not list is not a candidate.
                    steps.add(new Step(host, listed ? TlsStance.VERIFIED : null, false, !listed));
                    break;
                case TESTING:
                    // RFC 8461 §5: under testing every host stays a candidate; failures are only reported.
                    steps.add(listed
                        ? new Step(host, TlsStance.VERIFIED, true, false)
                        : new Step(host, TlsStance.OPPORTUNISTIC, false, true));
                    break;
                case OPPORTUNISTIC:
                    steps.add(new Step(host, TlsStance.OPPORTUNISTIC, false, false));
                    break;
                case REFUSE:
                    // RFC 8689 §4.2.1: without an enforce policy, REQUIRETLS may go only where DANE authenticates.
                    steps.add(new Step(host, null, false, false));
                    break;
                default:
                    throw new IllegalArgumentException("nothing to plan for " + application);
            }
        }
        return new MxPlan(steps);
    }

    /** One step per MX host, in preference order. */
    public List<Step> steps() {
        return steps;
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
