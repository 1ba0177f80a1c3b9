package io.github.jamesmtasts.mtasts;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a policy file (RFC 8461 §3.2) into a {@link Policy}, or names what is wrong with it.
 *
 * <pre>
 * sts-policy-record   = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
 * sts-policy-term     = LF / CRLF
 * sts-policy-field    = name ":" *WSP value
 * sts-policy-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 * sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]
 * sts-policy-vchar    = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4
 * </pre>
 *
 * Field names and the values of {@code version} and {@code mode} are case-sensitive. Unknown fields
 * are ignored; of a repeated field other than {@code mx}, the first counts and the rest are ignored.
 */
public final class PolicyParser {
    /** RFC 8461 §3.2: the largest {@code max_age}, one year. */
    public static final long MAX_AGE_LIMIT = 31_557_600L;
    private static final int MAX_AGE_DIGITS = 10;
    private static final String VERSION = "STSv1";

    private PolicyParser() {
    }

    /** Parses a policy body as fetched: it must be UTF-8. */
    public static Parsed<Policy, PolicyError> parse(byte[] body) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body))
                .toString();
            return parse(text);
        } catch (CharacterCodingException e) {
            return Parsed.invalid(PolicyError.NOT_UTF8, "the policy is not UTF-8");
        }
    }

    /** Parses a policy text. */
    public static Parsed<Policy, PolicyError> parse(String text) {
        List<String> lines = lines(text);
        Fields fields = new Fields();
        for (int number = 1; number <= lines.size(); number++) {
            Optional<Parsed<Policy, PolicyError>> error = fields.read(lines.get(number - 1), number);
            if (error.isPresent()) {
                return error.get();
            }
        }
        return fields.policy(lines);
    }

    /** Splits at LF, dropping a CR before it and the empty rest after a final terminator. */
    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        lines.replaceAll(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        return lines;
    }

    /** {@code sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]}. */
    private static boolean isExtensionValue(String value) {
        if (value.isEmpty() || value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean vchar = (c >= 0x21 && c <= 0x7e) || c >= 0x80;
            if (!vchar && c != ' ') {
                return false;
            }
        }
        return true;
    }

    /** The fields read so far. */
    private static final class Fields {
        private String version;
        private Mode mode;
        private Duration maxAge;
        private final List<MxPattern> mx = new ArrayList<>();
        private final Map<String, String> extensions = new LinkedHashMap<>();

        /** Reads one line; an error ends the parse. */
        Optional<Parsed<Policy, PolicyError>> read(String line, int number) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                return error(PolicyError.BAD_LINE, number, "no \"name:\" in \"" + line + "\"");
            }
            String name = line.substring(0, colon);
            String value = Abnf.stripTrailingWsp(line.substring(Abnf.skipWsp(line, colon + 1)));
            if (!Abnf.isExtensionName(name)) {
                return error(PolicyError.BAD_LINE, number, "not a field name: \"" + name + "\"");
            }
            switch (name) {
                case "version":
                    return version == null ? readVersion(value, number) : ignored(value, number);
                case "mode":
                    return mode == null ? readMode(value, number) : ignored(value, number);
                case "max_age":
                    return maxAge == null ? readMaxAge(value, number) : ignored(value, number);
                case "mx":
                    return readMx(value, number);
                default:
                    extensions.putIfAbsent(name, value);
                    return ignored(value, number);
            }
        }

        Parsed<Policy, PolicyError> policy(List<String> lines) {
            if (version == null) {
                return Parsed.invalid(PolicyError.MISSING_VERSION, "no version field");
            }
            if (mode == null) {
                return Parsed.invalid(PolicyError.MISSING_MODE, "no mode field");
            }
            if (maxAge == null) {
                return Parsed.invalid(PolicyError.MISSING_MAX_AGE, "no max_age field");
            }
            // RFC 8461 §3.2: "mx" is required unless the mode is "none".
            if (mode != Mode.NONE && mx.isEmpty()) {
                return Parsed.invalid(PolicyError.MISSING_MX, "mode " + mode.keyword() + " without an mx field");
            }
            return Parsed.valid(new Policy(mode, mx, maxAge, lines, extensions));
        }

        private Optional<Parsed<Policy, PolicyError>> readVersion(String value, int number) {
            if (!VERSION.equals(value)) {
                return error(PolicyError.BAD_VERSION, number, "version \"" + value + "\" is not STSv1");
            }
            version = value;
            return Optional.empty();
        }

        private Optional<Parsed<Policy, PolicyError>> readMode(String value, int number) {
            Optional<Mode> parsed = Mode.fromKeyword(value);
            if (parsed.isEmpty()) {
                return error(PolicyError.BAD_MODE, number, "mode \"" + value + "\" is not enforce, testing or none");
            }
            mode = parsed.get();
            return Optional.empty();
        }

        /** {@code max_age: 1*10DIGIT}, at most 31557600. */
        private Optional<Parsed<Policy, PolicyError>> readMaxAge(String value, int number) {
            if (!Abnf.allDigits(value) || value.length() > MAX_AGE_DIGITS || Long.parseLong(value) > MAX_AGE_LIMIT) {
                return error(PolicyError.BAD_MAX_AGE, number, "max_age \"" + value + "\" is not 0 to " + MAX_AGE_LIMIT);
            }
            maxAge = Duration.ofSeconds(Long.parseLong(value));
            return Optional.empty();
        }

        private Optional<Parsed<Policy, PolicyError>> readMx(String value, int number) {
            Parsed<MxPattern, MxPattern.Problem> pattern = MxPattern.parse(value);
            if (!pattern.isValid()) {
                return error(PolicyError.BAD_MX, number, pattern.reason().orElseThrow() + ": " + pattern.detail());
            }
            mx.add(pattern.value().orElseThrow());
            return Optional.empty();
        }

        /** An ignored field (unknown, or a repetition) still has to be well-formed. */
        private static Optional<Parsed<Policy, PolicyError>> ignored(String value, int number) {
            return isExtensionValue(value) ? Optional.empty()
                : error(PolicyError.BAD_LINE, number, "not a field value: \"" + value + "\"");
        }

        private static Optional<Parsed<Policy, PolicyError>> error(PolicyError reason, int number, String detail) {
            return Optional.of(Parsed.invalid(reason, "line " + number + ": " + detail));
        }
    }
}
