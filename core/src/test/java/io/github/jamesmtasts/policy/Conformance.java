package io.github.jamesmtasts.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads the conformance corpus (test resources {@code conformance/*.json}) into JUnit arguments:
 * the case id and the case itself. Each file holds {@code cases}, each with {@code id}, {@code input},
 * {@code expected}, and for ambiguous cases {@code ambiguous: true} with {@code allowed_outcomes}.
 */
final class Conformance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Conformance() {
    }

    /** The cases of the given files whose ids pass the filter, as (id, case) arguments. */
    static Stream<Arguments> cases(Predicate<JsonNode> filter, String... files) {
        List<Arguments> all = new ArrayList<>();
        for (String file : files) {
            for (JsonNode testCase : read(file).get("cases")) {
                if (filter.test(testCase)) {
                    all.add(Arguments.of(testCase.get("id").asText(), testCase));
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no cases selected from " + List.of(files));
        }
        return all.stream();
    }

    static boolean ambiguous(JsonNode testCase) {
        return testCase.path("ambiguous").asBoolean(false);
    }

    /** The allowed outcomes of an ambiguous case, as strings. */
    static List<String> allowedOutcomes(JsonNode testCase) {
        List<String> allowed = new ArrayList<>();
        testCase.get("allowed_outcomes").forEach(outcome -> allowed.add(outcome.asText()));
        return allowed;
    }

    static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }

    private static JsonNode read(String file) {
        try (InputStream in = Conformance.class.getResourceAsStream("/conformance/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource conformance/" + file);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
