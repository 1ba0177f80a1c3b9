package io.github.jamesmtasts.conformance;

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
public final class Conformance {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Conformance() {
    }

    /** Every case of the given files, as (id, case) arguments. */
    public static Stream<Arguments> cases(String... files) {
        return cases(testCase -> true, files);
    }

    /** The cases of the given files that pass the filter, as (id, case) arguments. */
    public static Stream<Arguments> cases(Predicate<JsonNode> filter, String... files) {
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

    public static boolean ambiguous(JsonNode testCase) {
        return testCase.path("ambiguous").asBoolean(false);
    }

    /** The allowed outcomes of an ambiguous case, as strings. */
    public static List<String> allowedOutcomes(JsonNode testCase) {
        List<String> allowed = new ArrayList<>();
        testCase.get("allowed_outcomes").forEach(outcome -> allowed.add(outcome.asText()));
        return allowed;
    }

    public static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }

    /** One file of the corpus. */
    public static JsonNode read(String file) {
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
