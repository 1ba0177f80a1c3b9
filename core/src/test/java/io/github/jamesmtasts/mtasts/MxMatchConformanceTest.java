package io.github.jamesmtasts.mtasts;

import io.github.jamesmtasts.conformance.Conformance;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus's MX matching cases (RFC 8461 §4.1), and the project's own beside them. The patterns are
 * parsed as a policy's {@code mx} values are (RFC 8461 §3.2): a pattern that is not valid makes the
 * policy invalid, which is an outcome of its own ({@code policy_invalid}); such a pattern matches nothing.
 */
class MxMatchConformanceTest {
    static Stream<Arguments> matches() {
        return Conformance.cases(testCase -> true, "mta_sts_mx_match.json", "project_mx_match.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matches")
    void matchesTheMxHost(String id, JsonNode testCase) {
        List<Parsed<MxPattern, MxPattern.Problem>> patterns = Conformance.strings(testCase.get("input").get("policy_mx")).stream()
            .map(MxPattern::parse).collect(Collectors.toList());
        String host = testCase.get("input").get("mx_host").asText();
        boolean matched = patterns.stream().map(Parsed::value).flatMap(Optional::stream).anyMatch(pattern -> pattern.matches(host));
        boolean policyInvalid = patterns.stream().anyMatch(pattern -> !pattern.isValid());

        if (Conformance.ambiguous(testCase)) {
            assertThat(Conformance.allowedOutcomes(testCase)).contains(policyInvalid ? "policy_invalid" : String.valueOf(matched));
            return;
        }
        assertThat(matched).as(patterns.toString()).isEqualTo(testCase.get("expected").get("match").asBoolean());
    }
}
