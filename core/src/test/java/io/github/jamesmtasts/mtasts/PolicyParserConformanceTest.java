package io.github.jamesmtasts.mtasts;

import io.github.jamesmtasts.conformance.Conformance;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The corpus's policy file cases (RFC 8461 §3.2), and the project's own beside them. */
class PolicyParserConformanceTest {
    static Stream<Arguments> policies() {
        return Conformance.cases(testCase -> true, "mta_sts_policy_parse.json", "project_policy_parse.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void parsesThePolicy(String id, JsonNode testCase) {
        Parsed<Policy, PolicyError> parsed = PolicyParser.parse(testCase.get("input").get("policy_text").asText());

        if (Conformance.ambiguous(testCase)) {
            String outcome = parsed.isValid() ? "valid" : "invalid";
            assertThat(Conformance.allowedOutcomes(testCase))
                .anyMatch(allowed -> allowed.equals(outcome) || allowed.startsWith(outcome + "(") || allowed.startsWith(outcome + "_"));
            return;
        }
        JsonNode expected = testCase.get("expected");
        assertThat(parsed.isValid()).as(parsed.toString()).isEqualTo(expected.get("valid").asBoolean());
        if (expected.has("reason")) {
            assertThat(parsed.reason()).contains(PolicyError.valueOf(expected.get("reason").asText()));
        }
        parsed.value().ifPresent(policy -> assertPolicy(policy, expected));
    }

    private static void assertPolicy(Policy policy, JsonNode expected) {
        if (expected.has("mode")) {
            assertThat(policy.mode().keyword()).isEqualTo(expected.get("mode").asText());
        }
        if (expected.has("max_age")) {
            assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(expected.get("max_age").asLong()));
        }
        for (String field : new String[] {"mx", "mx_normalized"}) {
            if (expected.has(field)) {
                assertThat(policy.mx().stream().map(MxPattern::toString).collect(Collectors.toList()))
                    .isEqualTo(Conformance.strings(expected.get(field)));
            }
        }
        if (expected.has("extensions")) {
            Map<String, String> extensions = new LinkedHashMap<>();
            expected.get("extensions").fields().forEachRemaining(entry -> extensions.put(entry.getKey(), entry.getValue().asText()));
            assertThat(policy.extensions()).isEqualTo(extensions);
        }
    }
}
