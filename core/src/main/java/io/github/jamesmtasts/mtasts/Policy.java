package io.github.jamesmtasts.mtasts;

import io.github.jamesmtasts.result.ReportedPolicy;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A valid MTA-STS policy file (RFC 8461 §3.2): its mode, its {@code mx} patterns, its
 * {@code max_age}, its text lines as TLS-RPT repeats them (RFC 8460 §4.4 {@code policy-string}) and
 * its extension fields. Instances come from {@link PolicyParser}; they are immutable.
 */
public final class Policy {
    private final Mode mode;
    private final List<MxPattern> mx;
    private final Duration maxAge;
    private final List<String> lines;
    private final Map<String, String> extensions;

    /** A policy without extension fields. */
    public Policy(Mode mode, List<MxPattern> mx, Duration maxAge, List<String> lines) {
        this(mode, mx, maxAge, lines, Map.of());
    }

    /** @param extensions the fields RFC 8461 does not define, by name, first value only, in order */
    public Policy(Mode mode, List<MxPattern> mx, Duration maxAge, List<String> lines, Map<String, String> extensions) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.mx = List.copyOf(mx);
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.lines = List.copyOf(lines);
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
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

    /** The extension fields (RFC 8461 §3.2: ignored by senders, kept for logs). */
    public Map<String, String> extensions() {
        return extensions;
    }

    /** The policy text as fetched, with LF line ends. */
    public String text() {
        return String.join("\n", lines) + "\n";
    }

    /** RFC 8461 §4.1: whether an MX host name matches one of the policy's {@code mx} patterns. */
    public boolean matchesMx(String mxHost) {
        Optional<String> host = MxPattern.comparable(mxHost);
        if (host.isEmpty()) {
            return false;
        }
        for (MxPattern pattern : mx) {
            if (pattern.matchesComparable(host.get())) {
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
        return mode == other.mode && mx.equals(other.mx) && maxAge.equals(other.maxAge) && lines.equals(other.lines)
            && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, mx, maxAge, lines, extensions);
    }

    @Override
    public String toString() {
        return "mode=" + mode.keyword() + " mx=" + mx + " max_age=" + maxAge.getSeconds();
    }
}
