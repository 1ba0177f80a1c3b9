package io.github.jamesmtasts.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link PolicyParser#parse(byte[])} (RFC 8461 §3.2): it returns a policy or names the error,
 * and a policy it returns has a mode, a {@code max_age} of 0 to 31557600 seconds, {@code mx} patterns
 * unless the mode is {@code none}, every pattern valid and matching as RFC 8461 §4.1 says, and its text
 * (as TLS-RPT repeats it) parses to the same policy. Seeds and regression inputs:
 * {@code src/test/resources/.../PolicyParserFuzzTestInputs/parse/}.
 */
class PolicyParserFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] body) {
        Parsed<Policy, PolicyError> parsed = PolicyParser.parse(body);

        assertThat(parsed.isValid()).isNotEqualTo(parsed.reason().isPresent());
        if (!parsed.isValid()) {
            return;
        }
        Policy policy = parsed.value().orElseThrow();
        assertThat(policy.mode()).isNotNull();
        assertThat(policy.maxAge().getNano()).isZero();
        assertThat(policy.maxAge().getSeconds()).isBetween(0L, PolicyParser.MAX_AGE_LIMIT);
        if (policy.mode() != Mode.NONE) {
            assertThat(policy.mx()).isNotEmpty();
        }
        for (MxPattern pattern : policy.mx()) {
            String written = pattern.toString();
            assertThat(MxPattern.parse(written).value()).contains(pattern);
            boolean wildcard = written.startsWith("*.");
            String domain = wildcard ? written.substring(2) : written;
            String host = wildcard ? "a." + domain : domain;
            // RFC 8461 §4.1: case-insensitive, a trailing dot ignored, "*." one whole leftmost label.
            assertThat(policy.matchesMx(host)).as("%s matches %s", written, host).isTrue();
            assertThat(policy.matchesMx(host.toUpperCase(Locale.ROOT) + ".")).isTrue();
            if (wildcard) {
                assertThat(pattern.matches(domain)).as("%s matches %s", written, domain).isFalse();
                assertThat(pattern.matches("a.b." + domain)).isFalse();
            }
        }
        for (String line : policy.lines()) {
            assertThat(line).doesNotContain("\n");
        }
        for (String name : policy.extensions().keySet()) {
            assertThat(Abnf.isExtensionName(name)).isTrue();
        }
        assertThat(PolicyParser.parse(policy.text())).isEqualTo(parsed);
    }
}
