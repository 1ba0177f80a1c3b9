package io.github.jamesmtasts.smtp;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The service extensions an MX announced in its {@code EHLO} reply (RFC 5321 §4.1.1.1): one keyword
 * per line after the first, with optional parameters. Keywords are case-insensitive. Immutable.
 */
public final class EhloCapabilities {
    private static final EhloCapabilities NONE = new EhloCapabilities(Map.of());

    private final Map<String, String> extensions;

    private EhloCapabilities(Map<String, String> extensions) {
        this.extensions = Map.copyOf(extensions);
    }

    /** Reads a positive {@code EHLO} reply; its first line is the server's greeting, not a keyword. */
    public static EhloCapabilities parse(SmtpReply ehloReply) {
        Map<String, String> extensions = new HashMap<>();
        List<String> lines = ehloReply.lines();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int space = trimmed.indexOf(' ');
            String keyword = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
            String parameters = space < 0 ? "" : trimmed.substring(space + 1).trim();
            extensions.putIfAbsent(keyword, parameters);
        }
        return new EhloCapabilities(extensions);
    }

    /** What a server that only understood {@code HELO} offers: nothing. */
    public static EhloCapabilities none() {
        return NONE;
    }

    /** Whether the server announced {@code keyword}, in any case. */
    public boolean has(String keyword) {
        return extensions.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** RFC 3207. */
    public boolean startTls() {
        return has("STARTTLS");
    }

    /** RFC 2920. */
    public boolean pipelining() {
        return has("PIPELINING");
    }

    /** RFC 3030: {@code BDAT} may replace {@code DATA}. */
    public boolean chunking() {
        return has("CHUNKING");
    }

    /** RFC 6152. */
    public boolean eightBitMime() {
        return has("8BITMIME");
    }

    /** RFC 6531. */
    public boolean smtpUtf8() {
        return has("SMTPUTF8");
    }

    /** RFC 8689 §4.1. */
    public boolean requireTls() {
        return has("REQUIRETLS");
    }

    /** RFC 1870: whether {@code SIZE} may be declared on {@code MAIL FROM}. */
    public boolean size() {
        return has("SIZE");
    }

    /**
     * RFC 1870 §4: the largest message the server takes, when it announced a positive one
     * ({@code SIZE 0} or a bare {@code SIZE} sets no limit).
     */
    public OptionalLong sizeLimit() {
        String parameter = extensions.get("SIZE");
        if (parameter == null || parameter.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(parameter.split(" ")[0]);
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EhloCapabilities && extensions.equals(((EhloCapabilities) o).extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(extensions);
    }

    @Override
    public String toString() {
        return extensions.keySet().toString();
    }
}
