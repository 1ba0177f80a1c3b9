package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

/** The RFC 8460 §4.4 report schema of the test resources, checked with networknt's validator: for the sent and received reports' tests. */
public final class ReportSchema {
    private static final JsonSchema SCHEMA = load();

    private ReportSchema() {
    }

    /** The schema violations of a report; empty when it conforms. */
    public static Set<String> violations(JsonNode report) {
        return SCHEMA.validate(report).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    public static Set<String> violations(byte[] json) {
        try {
            return violations(PolicyCountsJson.mapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema load() {
        try (InputStream schema = ReportSchema.class.getResourceAsStream("/tlsrpt-report.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
