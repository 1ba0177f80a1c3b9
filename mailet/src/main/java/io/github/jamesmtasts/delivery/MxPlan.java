package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.policy.Policy;
import io.github.jamesmtasts.smtp.TlsStance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RFC 8461 §5.1 applied to one domain's MX hosts: which hosts are tried, in preference order, under which
 * {@link TlsStance}, and which hosts the policy does not list.
 */
public final class MxPlan {
    /** One MX host to try. */
    public static final class Candidate {
        private final MxHost host;
        private final TlsStance stance;
        private final boolean fallback;
        private final boolean reported;

        Candidate(MxHost host, TlsStance stance, boolean fallback, boolean reported) {
            this.host = host;
            this.stance = stance;
            this.fallback = fallback;
            this.reported = reported;
        }

        public MxHost host() {
            return host;
        }

        public TlsStance stance() {
            return stance;
        }

        /**
         * RFC 8461 §5 {@code testing}: when the verified session fails on TLS, the failure is recorded
         * and the message goes to the same address with opportunistic TLS.
         */
        public boolean fallsBackToOpportunistic() {
            return fallback;
        }

        /** Whether this host's sessions are results for TLS-RPT (a host outside the policy was already reported). */
        public boolean reported() {
            return reported;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Candidate)) {
                return false;
            }
            Candidate other = (Candidate) o;
            return host.equals(other.host) && stance == other.stance && fallback == other.fallback
                && reported == other.reported;
        }

        @Override
        public int hashCode() {
            return Objects.hash(host, stance, fallback, reported);
        }

        @Override
        public String toString() {
            return host.hostname() + " " + stance + (fallback ? "+fallback" : "");
        }
    }

    private final List<Candidate> candidates;
    private final List<MxHost> outsidePolicy;

    private MxPlan(List<Candidate> candidates, List<MxHost> outsidePolicy) {
        this.candidates = List.copyOf(candidates);
        this.outsidePolicy = List.copyOf(outsidePolicy);
    }

    /**
     * Plans the MX hosts of a domain, given in preference order.
     *
     * @throws IllegalArgumentException for a {@link PolicyApplication.Treatment#REFUSE}, which tries nothing
     */
    public static MxPlan of(PolicyApplication application, List<MxHost> hosts) {
        List<Candidate> candidates = new ArrayList<>();
        List<MxHost> outside = new ArrayList<>();
        Policy policy = application.policy().orElse(null);
        for (MxHost host : hosts) {
            switch (application.treatment()) {
                case ENFORCE:
                    // RFC 8461 §5.1 step 2: an MX host the policy does not list is not a candidate.
                    if (policy.matchesMx(host.hostname())) {
                        candidates.add(new Candidate(host, TlsStance.VERIFIED, false, true));
                    } else {
                        outside.add(host);
                    }
                    break;
                case TESTING:
                    // RFC 8461 §5: under testing every MX stays a candidate; a mismatch is only reported.
                    if (policy.matchesMx(host.hostname())) {
                        candidates.add(new Candidate(host, TlsStance.VERIFIED, true, true));
                    } else {
                        outside.add(host);
                        candidates.add(new Candidate(host, TlsStance.OPPORTUNISTIC, false, false));
                    }
                    break;
                case OPPORTUNISTIC:
                    candidates.add(new Candidate(host, TlsStance.OPPORTUNISTIC, false, application.reported()));
                    break;
                default:
                    throw new IllegalArgumentException("nothing to plan for " + application);
            }
        }
        return new MxPlan(candidates, outside);
    }

    /** The hosts to try, in order. */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** MX hosts that do not match the policy's {@code mx} patterns (RFC 8461 §4.1): reported as validation failures. */
    public List<MxHost> outsidePolicy() {
        return outsidePolicy;
    }

    @Override
    public String toString() {
        return candidates + (outsidePolicy.isEmpty() ? "" : " outside policy " + outsidePolicy);
    }
}
