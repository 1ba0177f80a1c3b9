package io.github.jamesmtasts.publishing;

import io.github.jamesmtasts.files.Sha256;
import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.mtasts.Parsed;
import io.github.jamesmtasts.mtasts.PolicyParser;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The MTA-STS policy this server publishes for one of its domains: the policy file served at
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.2) and the {@code _mta-sts.<domain>}
 * TXT record that announces it (§3.1). Immutable; made with {@link #of}, which refuses what senders would reject.
 */
public final class PublishedPolicy {
    private static final String WILDCARD = "*";
    private static final String CRLF = "\r\n";
    /** Of the text's SHA-256, the bytes the id is made of: 16 bytes are 32 hex digits. */
    private static final int ID_BYTES = 16;

    private final String domain;
    private final Mode mode;
    private final List<MxPattern> mx;
    private final Duration maxAge;
    private final String text;
    private final String id;

    private PublishedPolicy(String domain, Mode mode, List<MxPattern> mx, Duration maxAge) {
        this.domain = domain;
        this.mode = mode;
        this.mx = mx;
        this.maxAge = maxAge;
        this.text = format(mode, mx, maxAge);
        this.id = idOf(text);
    }

    /**
     * A policy for {@code domain} (normalised: lower case, no trailing dot).
     *
     * @throws InvalidPolicyException if the domain is not a host name, a pattern is invalid, the mode needs
     *                                patterns and has none, or {@code maxAge} is out of range
     */
    public static PublishedPolicy of(String domain, Mode mode, List<MxPattern> mx, Duration maxAge) {
        Objects.requireNonNull(mode, "mode");
        List<MxPattern> patterns = List.copyOf(mx);
        String name = checkedDomain(Objects.requireNonNull(domain, "domain"));
        for (MxPattern pattern : patterns) {
            // MxPattern.of does not validate: the patterns are checked as a sender reads them.
            Parsed<MxPattern, MxPattern.Problem> parsed = MxPattern.parse(pattern.toString());
            if (!parsed.isValid()) {
                throw new InvalidPolicyException(InvalidPolicyException.Problem.BAD_MX, parsed.detail());
            }
        }
        // RFC 8461 §3.2: "mx" may be left out only when the mode is "none".
        if (patterns.isEmpty() && mode != Mode.NONE) {
            throw new InvalidPolicyException(InvalidPolicyException.Problem.MISSING_MX,
                "mode " + mode.keyword() + " needs at least one mx pattern");
        }
        checkMaxAge(Objects.requireNonNull(maxAge, "maxAge"));
        return new PublishedPolicy(name, mode, patterns, maxAge);
    }

    private static String checkedDomain(String domain) {
        String name = HostNames.normalize(domain);
        Parsed<MxPattern, MxPattern.Problem> parsed = MxPattern.parse(name);
        if (name.startsWith(WILDCARD) || !parsed.isValid()) {
            throw new InvalidPolicyException(InvalidPolicyException.Problem.BAD_DOMAIN,
                "not a host name: \"" + domain + "\"" + (parsed.isValid() ? "" : " (" + parsed.detail() + ")"));
        }
        return name;
    }

    /** RFC 8461 §3.2: {@code max_age} is whole seconds, at most 31557600 (about a year). */
    private static void checkMaxAge(Duration maxAge) {
        // RFC 8461 §3.2: "max_age" is 1*10DIGIT seconds, at most 31557600.
        if (maxAge.isNegative() || maxAge.getNano() != 0 || maxAge.getSeconds() > PolicyParser.MAX_AGE_LIMIT) {
            throw new InvalidPolicyException(InvalidPolicyException.Problem.BAD_MAX_AGE,
                "max_age " + maxAge + " is not whole seconds from 0 to " + PolicyParser.MAX_AGE_LIMIT);
        }
    }

    /** RFC 8461 §3.2: CRLF-separated {@code key: value} lines, {@code version} first, one line per {@code mx}. */
    private static String format(Mode mode, List<MxPattern> mx, Duration maxAge) {
        // RFC 8461 §3.2: "version" (STSv1), "mode", "mx" (once per pattern), "max_age", CRLF-separated.
        StringBuilder text = new StringBuilder()
            .append("version: STSv1").append(CRLF)
            .append("mode: ").append(mode.keyword()).append(CRLF);
        for (MxPattern pattern : mx) {
            text.append("mx: ").append(pattern).append(CRLF);
        }
        return text.append("max_age: ").append(maxAge.getSeconds()).append(CRLF).toString();
    }

    /**
     * RFC 8461 §3.1: the {@code id} is 1 to 32 letters and digits and must change whenever the policy does:
     * the first 16 bytes of the text's SHA-256, as 32 lower-case hex digits.
     */
    private static String idOf(String text) {
        // RFC 8461 §3.1: sts-id = 1*32(ALPHA / DIGIT), changed whenever the policy changes.
        return Sha256.hex(text.getBytes(StandardCharsets.US_ASCII)).substring(0, 2 * ID_BYTES);
    }

    /** The policy domain: an A-label in lower case, no trailing dot. */
    public String domain() {
        return domain;
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

    /** RFC 8461 §3.3: the host that serves the policy, {@code mta-sts.<domain>}. */
    public String policyHost() {
        return PublishedPolicies.POLICY_HOST_PREFIX + domain;
    }

    /** The policy file's body, exactly as served (ASCII, CRLF line ends). */
    public String text() {
        return text;
    }

    /** The TXT record's {@code id}: 32 hex digits that change exactly when {@link #text()} does. */
    public String id() {
        return id;
    }

    /** RFC 8461 §3.1: the TXT record to publish at {@code _mta-sts.<domain>}. */
    public String txtRecord() {
        return "v=STSv1; id=" + id;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PublishedPolicy)) {
            return false;
        }
        PublishedPolicy other = (PublishedPolicy) o;
        return domain.equals(other.domain) && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(domain, text);
    }

    @Override
    public String toString() {
        return domain + ": mode=" + mode.keyword() + " mx=" + mx + " max_age=" + maxAge.getSeconds() + " id=" + id;
    }
}
