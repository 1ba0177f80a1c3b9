package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.result.ReportedPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A valid MTA-STS policy file (RFC 8461 §3.2): its mode, its {@code mx} patterns, its
 * {@code max_age}, and its text lines as TLS-RPT repeats them (RFC 8460 §4.4 {@code policy-string}).
 * Instances come from the policy parser; they are immutable.
 */
public final class Policy {
    private final Mode mode;
    private final List<MxPattern> mx;
    private final Duration maxAge;
    private final List<String> lines;

    public Policy(Mode mode, List<MxPattern> mx, Duration maxAge, List<String> lines) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.mx = List.copyOf(mx);
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.lines = List.copyOf(lines);
    }

    public Mode mode() {
        return mode;
    }

    public List<MxPattern> mx() {
        return mx;
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** The policy text's lines without their line endings, in order. */
    public List<String> lines() {
        return lines;
    }

    /** RFC 8461 §4.1: whether an MX host name matches one of the policy's {@code mx} patterns. */
    public boolean matchesMx(String mxHost) {
        for (MxPattern pattern : mx) {
            if (pattern.matches(mxHost)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 8460 §4.4: {@code sts}, the policy's lines and its {@code mx} patterns. */
    public ReportedPolicy reported() {
        return ReportedPolicy.sts(lines, mx.stream().map(MxPattern::toString).collect(Collectors.toList()));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Policy)) {
            return false;
        }
        Policy other = (Policy) o;
        return mode == other.mode && mx.equals(other.mx) && maxAge.equals(other.maxAge) && lines.equals(other.lines);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, mx, maxAge, lines);
    }

    @Override
    public String toString() {
        return "mode=" + mode.keyword() + " mx=" + mx + " max_age=" + maxAge.getSeconds();
    }
}
