package io.github.jamesmtasts.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link EhloCapabilities#parse} against a model of the {@code EHLO} reply of RFC 5321 §4.1.1.1
 * ({@code ehlo-line = ehlo-keyword *( SP ehlo-param )}, keywords compared ignoring ASCII case): the
 * parser never throws, announces exactly the keywords the model reads, and takes a {@code SIZE} limit only
 * from a positive {@code size-param} of RFC 1870 §4 ({@code 1*DIGIT}). The input is the reply's text, one
 * line per LF, read as US-ASCII as Netty reads it. Seeds and regression inputs: {@code src/test/resources/.../EhloCapabilitiesFuzzTestInputs/parse/}.
 */
class EhloCapabilitiesFuzzTest {
    private static final List<String> KNOWN = List.of("STARTTLS", "PIPELINING", "8BITMIME", "SMTPUTF8", "REQUIRETLS",
        "SIZE", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN", "AUTH");
    // RFC 5321 §4.1.1.1: ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"), then SP and parameters.
    private static final Pattern EHLO_LINE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9-]*)(?: (.*))?", Pattern.DOTALL);
    private static final Pattern SIZE_PARAM = Pattern.compile("([0-9]+)(?: .*)?", Pattern.DOTALL);

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        // As ReplyDecoder hands lines on: US-ASCII, split at LF, a CR before it dropped.
        List<String> lines = List.of(new String(input, StandardCharsets.US_ASCII).split("\r?\n", -1));

        EhloCapabilities capabilities = EhloCapabilities.parse(SmtpReply.parse(250, lines));

        List<String> announced = lines.subList(1, lines.size());
        for (String keyword : KNOWN) {
            assertThat(capabilities.has(keyword)).as("%s in %s", keyword, announced)
                .isEqualTo(parameters(announced, keyword) != null);
            assertThat(capabilities.has(keyword.toLowerCase(Locale.ROOT))).isEqualTo(capabilities.has(keyword));
        }
        for (String line : announced) {
            Matcher matcher = EHLO_LINE.matcher(line.trim());
            if (matcher.matches()) {
                assertThat(capabilities.has(matcher.group(1))).as("%s in %s", matcher.group(1), announced).isTrue();
            }
        }
        assertThat(capabilities.sizeLimit()).as("SIZE of %s", announced).isEqualTo(sizeLimit(parameters(announced, "SIZE")));
    }

    /** The parameters of the first line that announces the keyword; null if none does. */
    private static String parameters(List<String> announced, String keyword) {
        for (String line : announced) {
            Matcher matcher = EHLO_LINE.matcher(line.trim());
            if (matcher.matches() && matcher.group(1).equalsIgnoreCase(keyword)) {
                return matcher.group(2) == null ? "" : matcher.group(2).trim();
            }
        }
        return null;
    }

    /** RFC 1870 §4: {@code size-param ::= [1*DIGIT]}; zero, none or one too large for a long sets no limit. */
    private static OptionalLong sizeLimit(String parameters) {
        Matcher matcher = parameters == null ? null : SIZE_PARAM.matcher(parameters);
        if (matcher == null || !matcher.matches()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(matcher.group(1));
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }
}
