package io.github.jamesmtasts.mtasts;

import io.github.jamesmtasts.dns.HostNames;
import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code mx} value of a policy: a host name, or {@code *.} followed by a host name
 * (RFC 8461 §3.2, §4.1). Held as a lower-case A-label without a trailing dot.
 *
 * <pre>
 * sts-policy-mx-value = ["*."] Domain          ; RFC 5321 Domain, in A-labels
 * Domain              = sub-domain *("." sub-domain)
 * sub-domain          = Let-dig [Ldh-str]
 * </pre>
 */
public final class MxPattern {
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    private static final String WILDCARD = "*.";
    private static final String ACE_PREFIX = "xn--";

    /** Why a value is not a valid {@code mx} pattern. */
    public enum Problem {
        /** The value is empty. */
        EMPTY,
        /** It holds non-ASCII characters: a U-label, where RFC 8461 §3.2 wants the A-label. */
        NOT_ASCII,
        /** A {@code *} other than one whole leftmost label followed by a domain. */
        BAD_WILDCARD,
        /** A label that is not letters, digits and inner hyphens of 1 to 63 characters (empty labels, trailing dot). */
        BAD_LABEL,
        /** An {@code xn--} label that is not valid Punycode. */
        BAD_A_LABEL,
        /** An IP address, or a name whose top-level label is all digits (RFC 3696 §2). */
        IP_ADDRESS,
        /** Longer than 253 characters. */
        TOO_LONG
    }

    private final String pattern;
    private final boolean wildcard;
    private final String suffix;

    private MxPattern(String pattern) {
        this.pattern = pattern;
        this.wildcard = pattern.startsWith(WILDCARD);
        this.suffix = wildcard ? pattern.substring(1) : pattern;
    }

    /**
     * Makes a pattern from an already validated value (see {@link #parse} for policy text).
     * Case and a trailing dot are normalised away.
     */
    public static MxPattern of(String value) {
        return new MxPattern(HostNames.normalize(Objects.requireNonNull(value, "value")));
    }

    /** RFC 8461 §3.2: validates an {@code mx} value of a policy file. */
    public static Parsed<MxPattern, Problem> parse(String value) {
        if (value.isEmpty()) {
            return Parsed.invalid(Problem.EMPTY, "empty mx");
        }
        if (!isAscii(value)) {
            return Parsed.invalid(Problem.NOT_ASCII, "not an A-label: " + value);
        }
        String domain = value.startsWith(WILDCARD) ? value.substring(WILDCARD.length()) : value;
        if (domain.indexOf('*') >= 0) {
            return Parsed.invalid(Problem.BAD_WILDCARD, "\"*\" only as the whole leftmost label: " + value);
        }
        if (value.length() > MAX_NAME_LENGTH) {
            return Parsed.invalid(Problem.TOO_LONG, "longer than " + MAX_NAME_LENGTH + " characters: " + value);
        }
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            if (!isLdhLabel(label)) {
                return Parsed.invalid(Problem.BAD_LABEL, "not a host name: " + value);
            }
            if (label.toLowerCase(Locale.ROOT).startsWith(ACE_PREFIX) && !isPunycode(label)) {
                return Parsed.invalid(Problem.BAD_A_LABEL, "not a valid A-label: " + label);
            }
        }
        if (Abnf.allDigits(labels[labels.length - 1])) {
            return Parsed.invalid(Problem.IP_ADDRESS, "an IP address, not a host name: " + value);
        }
        return Parsed.valid(of(value));
    }

    /**
     * RFC 8461 §4.1: case-insensitive; a trailing dot on the MX host is ignored; {@code *.} stands for
     * exactly one whole leftmost label. A host given with U-labels is compared in its A-label form.
     */
    public boolean matches(String mxHost) {
        return comparable(mxHost).map(this::matchesComparable).orElse(false);
    }

    /** An MX host name as patterns compare it: A-labels, lower case, no trailing dot; empty if not a host name. */
    static Optional<String> comparable(String mxHost) {
        try {
            return Optional.of(isAscii(mxHost) ? HostNames.normalize(mxHost) : HostNames.toAscii(mxHost));
        } catch (IllegalArgumentException notAHostName) {
            return Optional.empty();
        }
    }

    /** {@link #matches} for a host already made {@link #comparable}. */
    boolean matchesComparable(String host) {
        if (!wildcard) {
            return host.equals(pattern);
        }
        if (!host.endsWith(suffix)) {
            return false;
        }
        int labelLength = host.length() - suffix.length();
        return labelLength > 0 && host.lastIndexOf('.', labelLength - 1) < 0;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** RFC 5321 {@code sub-domain = Let-dig [Ldh-str]}, at most 63 characters (RFC 1035 §2.3.4). */
    private static boolean isLdhLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH
            || !Abnf.isAlphaDigit(label.charAt(0)) || !Abnf.isAlphaDigit(label.charAt(label.length() - 1))) {
            return false;
        }
        for (int i = 1; i < label.length() - 1; i++) {
            char c = label.charAt(i);
            if (!Abnf.isAlphaDigit(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** An {@code xn--} label decodes to Unicode and encodes back to itself (RFC 5890 §2.3.2.1). */
    private static boolean isPunycode(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        String unicode = IDN.toUnicode(lower);
        if (unicode.equals(lower)) {
            return false;
        }
        try {
            return IDN.toASCII(unicode).equals(lower);
        } catch (IllegalArgumentException invalid) {
            return false;
        }
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
