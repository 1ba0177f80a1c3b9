package io.github.jamesmtasts.dns;

import java.net.IDN;
import java.util.Locale;

import org.xbill.DNS.Name;

/** Domain names as this project holds them everywhere: A-labels, lower case, no trailing dot. */
public final class HostNames {
    private HostNames() {
    }

    /** Lower-cases and drops one trailing dot; does not convert U-labels (see {@link #toAscii}). */
    public static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * The A-label form of a domain (IDNA, RFC 5890), normalised.
     *
     * @throws IllegalArgumentException if the name is not a valid domain name
     */
    public static String toAscii(String name) {
        return normalize(IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES));
    }

    /**
     * RFC 8461 §5.1: the policy domain of a recipient domain, as the envelope names it: its A-label, or, for a
     * name IDNA cannot convert, the name normalised (its delivery then fails on its own terms, not here).
     */
    public static String policyDomain(String recipientDomain) {
        try {
            return toAscii(recipientDomain);
        } catch (IllegalArgumentException notIdna) {
            return normalize(recipientDomain);
        }
    }

    /** A DNS name as this project holds it: lower case, no trailing dot; the root (a null MX) is empty. */
    static String canonical(Name name) {
        String text = name.toString(true).toLowerCase(Locale.ROOT);
        return ".".equals(text) ? "" : text;
    }
}
