package io.github.jamesmtasts.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link StsRecord#parse} (RFC 8461 §3.1) against the record's ABNF written out as a regular
 * expression: the parser accepts a TXT string exactly when the grammar does and its first {@code id}
 * field is an {@code sts-id}, and what it accepts prints as a record that parses back to itself.
 * Seeds and regression inputs: {@code src/test/resources/.../StsRecordFuzzTestInputs/parse/}.
 */
class StsRecordFuzzTest {
    private static final String WSP = "[ \\t]*";
    private static final String DELIM = WSP + ";" + WSP;
    // sts-extension = sts-ext-name "=" sts-ext-value; sts-id is one of them by its syntax.
    private static final String FIELD = "[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3A\\x3C\\x3E-\\x7E]+";
    private static final Pattern RECORD = Pattern.compile("v=STSv1(?:" + DELIM + FIELD + ")+(?:" + DELIM + ")?");
    private static final Pattern STS_ID = Pattern.compile("[A-Za-z0-9]{1,32}");

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);

        Parsed<StsRecord, StsRecord.Problem> parsed = StsRecord.parse(text);

        assertThat(parsed.isValid()).isNotEqualTo(parsed.reason().isPresent());
        Optional<String> id = idByGrammar(text);
        assertThat(parsed.value().map(StsRecord::id)).as("the id of %s", text).isEqualTo(id);
        if (parsed.isValid()) {
            StsRecord record = parsed.value().orElseThrow();
            assertThat(StsRecord.isCandidate(text)).isTrue();
            assertThat(StsRecord.parse(record.toString())).isEqualTo(parsed);
            assertThat(StsRecord.withId(record.id())).isEqualTo(record);
        }
    }

    /** The id by the grammar: empty when the text breaks it or its first {@code id} field is no sts-id. */
    private static Optional<String> idByGrammar(String text) {
        if (!RECORD.matcher(text).matches()) {
            return Optional.empty();
        }
        for (String part : text.substring("v=STSv1".length()).split(";")) {
            String field = part.replaceAll("^[ \\t]+|[ \\t]+$", "");
            if (field.startsWith("id=")) {
                String value = field.substring("id=".length());
                return STS_ID.matcher(value).matches() ? Optional.of(value) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
