package io.github.jamesmtasts.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a conformance file of the test resources: one JUnit argument (id, case) per case. */
final class Conformance {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Conformance() {
    }

    static Stream<Arguments> cases(String file) {
        try (InputStream in = Conformance.class.getResourceAsStream("/conformance/" + file)) {
            List<Arguments> cases = new ArrayList<>();
            for (JsonNode each : MAPPER.readTree(in).path("cases")) {
                cases.add(Arguments.of(each.path("id").asText(), each));
            }
            return cases.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
