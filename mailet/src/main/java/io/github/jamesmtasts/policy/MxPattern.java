package io.github.jamesmtasts.policy;

import java.util.Objects;

/**
 * One {@code mx} value of a policy: a host name, or {@code *.} followed by a host name
 * (RFC 8461 §3.2, §4.1). Held as a lower-case A-label without a trailing dot.
 */
public final class MxPattern {
    private final String pattern;
    private final boolean wildcard;
    private final String suffix;

    private MxPattern(String pattern) {
        this.pattern = pattern;
        this.wildcard = pattern.startsWith("*.");
        this.suffix = wildcard ? pattern.substring(1) : pattern;
    }

    /**
     * Makes a pattern from an already validated value (the parser checks its syntax).
     * Case and a trailing dot are normalised away.
     */
    public static MxPattern of(String value) {
        return new MxPattern(HostNames.normalize(Objects.requireNonNull(value, "value")));
    }

    public boolean isWildcard() {
        return wildcard;
    }

    /**
     * RFC 8461 §4.1: case-insensitive; a trailing dot on the MX host is ignored; {@code *.} stands for
     * exactly one whole leftmost label.
     */
    public boolean matches(String mxHost) {
        String host = HostNames.normalize(mxHost);
        if (!wildcard) {
            return host.equals(pattern);
        }
        if (!host.endsWith(suffix)) {
            return false;
        }
        int labelLength = host.length() - suffix.length();
        return labelLength > 0 && host.lastIndexOf('.', labelLength - 1) < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MxPattern && pattern.equals(((MxPattern) o).pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    /** The pattern as a policy and a report write it. */
    @Override
    public String toString() {
        return pattern;
    }
}
