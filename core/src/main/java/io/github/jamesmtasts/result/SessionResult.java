package io.github.jamesmtasts.result;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One TLS session attempt (or a policy failure that prevented one) towards a policy domain:
 * what TLS-RPT counts (RFC 8460 §4.4). A result without a failure is a successful session.
 */
public final class SessionResult {
    private final Instant time;
    private final String policyDomain;
    private final ReportedPolicy policy;
    private final String sendingMtaIp;
    private final String receivingMxHostname;
    private final String receivingIp;
    private final Failure failure;

    private SessionResult(Builder builder) {
        this.time = Objects.requireNonNull(builder.time, "time");
        this.policyDomain = Objects.requireNonNull(builder.policyDomain, "policyDomain");
        this.policy = Objects.requireNonNull(builder.policy, "policy");
        this.sendingMtaIp = builder.sendingMtaIp;
        this.receivingMxHostname = builder.receivingMxHostname;
        this.receivingIp = builder.receivingIp;
        this.failure = builder.failure;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Instant time() {
        return time;
    }

    /** The recipient domain as an A-label without a trailing dot (RFC 8460 §4.4 {@code policy-domain}). */
    public String policyDomain() {
        return policyDomain;
    }

    public ReportedPolicy policy() {
        return policy;
    }

    public Optional<String> sendingMtaIp() {
        return Optional.ofNullable(sendingMtaIp);
    }

    public Optional<String> receivingMxHostname() {
        return Optional.ofNullable(receivingMxHostname);
    }

    public Optional<String> receivingIp() {
        return Optional.ofNullable(receivingIp);
    }

    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean successful() {
        return failure == null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionResult)) {
            return false;
        }
        SessionResult other = (SessionResult) o;
        return time.equals(other.time) && policyDomain.equals(other.policyDomain) && policy.equals(other.policy)
            && Objects.equals(sendingMtaIp, other.sendingMtaIp)
            && Objects.equals(receivingMxHostname, other.receivingMxHostname)
            && Objects.equals(receivingIp, other.receivingIp)
            && Objects.equals(failure, other.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(time, policyDomain, policy, sendingMtaIp, receivingMxHostname, receivingIp, failure);
    }

    @Override
    public String toString() {
        return policyDomain + " " + policy.type().code() + " mx=" + receivingMxHostname + "[" + receivingIp + "] "
            + (failure == null ? "success" : failure.toString());
    }

    /** Builds a {@link SessionResult}; time, policy domain and policy are required. */
    public static final class Builder {
        private Instant time;
        private String policyDomain;
        private ReportedPolicy policy;
        private String sendingMtaIp;
        private String receivingMxHostname;
        private String receivingIp;
        private Failure failure;

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder policyDomain(String policyDomain) {
            this.policyDomain = policyDomain;
            return this;
        }

        public Builder policy(ReportedPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder sendingMtaIp(String sendingMtaIp) {
            this.sendingMtaIp = sendingMtaIp;
            return this;
        }

        public Builder receivingMxHostname(String receivingMxHostname) {
            this.receivingMxHostname = receivingMxHostname;
            return this;
        }

        public Builder receivingIp(String receivingIp) {
            this.receivingIp = receivingIp;
            return this;
        }

        public Builder failure(Failure failure) {
            this.failure = failure;
            return this;
        }

        public SessionResult build() {
            return new SessionResult(this);
        }
    }
}
