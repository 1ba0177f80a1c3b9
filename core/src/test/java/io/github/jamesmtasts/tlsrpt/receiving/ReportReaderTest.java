package io.github.jamesmtasts.tlsrpt.receiving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.tlsrpt.counting.InMemoryResultStore;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import io.github.jamesmtasts.tlsrpt.sending.ReportJson;
import io.github.jamesmtasts.tlsrpt.sending.ReportSchema;
import io.github.jamesmtasts.tlsrpt.sending.TlsReport;
import io.github.jamesmtasts.tlsrpt.sending.TlsRptSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static io.github.jamesmtasts.tlsrpt.receiving.Samples.GZIP;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.JSON;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.gzip;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class ReportReaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private final ReportReader reader = new ReportReader(ReportReader.Limits.DEFAULT);

    @TempDir
    Path directory;

    private ReceivedReport accepted(String mediaType, byte[] body) {
        ReadResult result = reader.read(mediaType, body);
        assertThat(result.rejection()).isEmpty();
        return result.report().orElseThrow();
    }

    private Rejection rejected(String mediaType, byte[] body) {
        ReadResult result = reader.read(mediaType, body);
        assertThat(result.report()).isEmpty();
        return result.rejection().orElseThrow();
    }

    @Test
    void readsEveryFieldOfTheRfcExample() {
        ReceivedReport report = accepted(JSON, utf8(Samples.full("5065427c-23d3")));

        assertThat(report.organizationName()).isEqualTo("Company-X");
        assertThat(report.contactInfo()).isEqualTo("sts-reporting@company-x.example");
        assertThat(report.reportId()).isEqualTo("5065427c-23d3");
        assertThat(report.start()).isEqualTo(Instant.parse("2016-04-01T00:00:00Z"));
        assertThat(report.end()).isEqualTo(Instant.parse("2016-04-01T23:59:59Z"));
        assertThat(report.policyDomains()).containsExactly("company-y.example");
        ReceivedPolicy sts = report.policies().get(0);
        assertThat(sts.policyType()).isEqualTo(ReportedPolicy.Type.STS);
        assertThat(sts.policyStrings()).hasSize(4).startsWith("version: STSv1");
        assertThat(sts.mxHosts()).containsExactly("*.mail.company-y.example");
        assertThat(sts.successful()).isEqualTo(5326);
        assertThat(sts.failed()).isEqualTo(303);
        assertThat(sts.failures()).extracting(ReceivedFailure::failedSessionCount).containsExactly(100L, 200L, 3L);
        ReceivedFailure last = sts.failures().get(2);
        assertThat(last.knownResultType()).contains(ResultType.VALIDATION_FAILURE);
        assertThat(last.sendingMtaIp()).contains("198.51.100.62");
        assertThat(last.receivingIp()).contains("203.0.113.58");
        assertThat(last.receivingMxHostname()).contains("mx-backup.mail.company-y.example");
        assertThat(last.receivingMxHelo()).contains("mx-backup.mail.company-y.example");
        assertThat(last.failureReasonCode()).contains("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
        assertThat(sts.failures().get(1).additionalInformation()).hasValueSatisfying(uri -> assertThat(uri).startsWith("https://"));
        ReceivedPolicy none = report.policies().get(1);
        assertThat(none.policyType()).isEqualTo(ReportedPolicy.Type.NO_POLICY_FOUND);
        assertThat(none.policyStrings()).isEmpty();
        assertThat(none.failures()).isEmpty();
    }

    private TlsReport sentReport() throws IOException {
        InMemoryResultStore store = new InMemoryResultStore();
        ResultAggregator aggregator = new ResultAggregator(Duration.ofDays(1), store);
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.record(Results.success(NOON, "example.net"));
        aggregator.record(Results.failure(NOON, "example.net", ResultType.VALIDATION_FAILURE, "mx-not-in-policy"));
        aggregator.record(Results.failure(NOON, "example.net", ResultType.CERTIFICATE_EXPIRED));
        aggregator.record(Results.failure(NOON, "example.net", ResultType.CERTIFICATE_EXPIRED));
        aggregator.persist();
        TlsRptSettings settings = TlsRptSettings.builder("mail.sender.example")
            .organizationName("Sender Org").contactInfo("tlsrpt@mail.sender.example").build();
        return TlsReport.of(settings, store.load(ReportPeriod.containing(NOON, Duration.ofDays(1))), "example.net", "00ff");
    }

    @Test
    void readsBackWhatThisProjectsSenderSendsCompressedOrNot() throws IOException {
        TlsReport sent = sentReport();
        assertThat(ReportSchema.violations(ReportJson.json(sent))).isEmpty();

        ReceivedReport fromGzip = accepted(ReportJson.GZIP_MEDIA_TYPE, ReportJson.gzip(sent));
        ReceivedReport fromJson = accepted(JSON, ReportJson.json(sent));

        assertThat(fromGzip).isEqualTo(fromJson);
        assertThat(fromGzip.reportId()).isEqualTo(sent.reportId());
        assertThat(fromGzip.organizationName()).isEqualTo("Sender Org");
        assertThat(fromGzip.start()).isEqualTo(sent.period().start());
        assertThat(fromGzip.end()).isEqualTo(sent.period().lastSecond());
        assertThat(fromGzip.totalSuccessful()).isEqualTo(sent.totalSuccessful()).isEqualTo(2);
        assertThat(fromGzip.totalFailed()).isEqualTo(sent.totalFailures()).isEqualTo(3);
        ReceivedPolicy policy = fromGzip.policies().get(0);
        assertThat(policy.policyStrings()).isEqualTo(Results.STS.policyStrings());
        assertThat(policy.mxHosts()).isEqualTo(Results.STS.mxHosts());
        assertThat(policy.failures()).extracting(ReceivedFailure::knownResultType, ReceivedFailure::failedSessionCount)
            .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(java.util.Optional.of(ResultType.VALIDATION_FAILURE), 1L),
                org.assertj.core.groups.Tuple.tuple(java.util.Optional.of(ResultType.CERTIFICATE_EXPIRED), 2L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/tlsrpt+json", "Application/TLSRPT+JSON", " application/tlsrpt+json ; charset=utf-8"})
    void takesTheJsonMediaTypeInAnyCaseWithParameters(String mediaType) {
        assertThat(accepted(mediaType, utf8(Samples.full("a"))).reportId()).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain", "application/tlsrpt+jsonx", "application/gzip", ""})
    void refusesOtherMediaTypes(String mediaType) {
        assertThat(rejected(mediaType, utf8(Samples.full("a"))).reason()).isEqualTo(Reason.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void refusesAMissingMediaType() {
        assertThat(rejected(null, utf8(Samples.full("a"))).reason()).isEqualTo(Reason.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void gzipMediaTypeNeedsAGzipBody() {
        assertThat(rejected("application/TLSRPT+gzip", utf8(Samples.full("a"))).reason()).isEqualTo(Reason.NOT_GZIP);
        assertThat(accepted("application/TLSRPT+gzip", gzip(utf8(Samples.full("a")))).reportId()).isEqualTo("a");
    }

    @Test
    void aGzipBodyLabelledJsonIsInflated() {
        assertThat(accepted(JSON, gzip(utf8(Samples.full("a")))).reportId()).isEqualTo("a");
    }

    @Test
    void refusesATruncatedOrCorruptGzipStream() {
        byte[] whole = gzip(utf8(Samples.full("a")));
        assertThat(rejected(GZIP, Arrays.copyOf(whole, whole.length - 4)).reason()).isEqualTo(Reason.NOT_GZIP);
        byte[] badCrc = whole.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertThat(rejected(GZIP, badCrc).reason()).isEqualTo(Reason.NOT_GZIP);
    }

    @Test
    void refusesABodyOverTheLimitBeforeReadingIt() {
        ReportReader small = new ReportReader(ReportReader.Limits.of(100, 1000));
        byte[] body = utf8(Samples.full("a"));

        ReadResult result = small.read(JSON, body);

        assertThat(result.rejection().map(Rejection::reason)).contains(Reason.TOO_LARGE);
        assertThat(new ReportReader(ReportReader.Limits.of(body.length, body.length)).read(JSON, body).isAccepted()).isTrue();
        assertThat(new ReportReader(ReportReader.Limits.of(body.length, body.length - 1)).read(JSON, body).rejection()
            .map(Rejection::reason)).contains(Reason.DECOMPRESSED_TOO_LARGE);
    }

    @Test
    void stopsAGzipBombAtTheLimit() throws IOException {
        // 1 GB of zeros, compressed as it is made: about 1 MB, under the body limit.
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(compressed, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 1000; i++) {
                gzip.write(zeros);
            }
        }
        byte[] bomb = compressed.toByteArray();
        assertThat(bomb.length).isLessThan((int) ReportReader.Limits.DEFAULT_MAX_BODY_BYTES);

        long started = System.nanoTime();
        Rejection rejection = rejected(GZIP, bomb);

        assertThat(rejection.reason()).isEqualTo(Reason.DECOMPRESSED_TOO_LARGE);
        // Inflating the whole gigabyte takes seconds; stopping at 10 MiB takes milliseconds.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "not json", "{\"a\": 1} {\"b\": 2}", "{\"a\": 1} x", "{\"report-id\": \"a\", \"report-id\": \"b\"}"})
    void refusesWhatIsNotOneJsonValueWithoutRepeatedNames(String body) {
        assertThat(rejected(JSON, utf8(body)).reason()).isEqualTo(Reason.INVALID_JSON);
    }

    @Test
    void refusesJsonThatIsNotUtf8() {
        byte[] latin1 = Samples.full("caf\u00e9").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(rejected(JSON, latin1).reason()).isEqualTo(Reason.INVALID_JSON);
        byte[] utf16 = Samples.full("a").getBytes(java.nio.charset.StandardCharsets.UTF_16);
        assertThat(rejected(JSON, utf16).reason()).isEqualTo(Reason.INVALID_JSON);
    }

    @Test
    void refusesDeepNestingBeforeBuildingATree() {
        // Ten million brackets, within the JSON limit: as a tree, ten million nodes.
        byte[] deep = gzip(utf8("[".repeat(10_000_000)));

        assertThat(rejected(GZIP, deep)).isEqualTo(Rejection.of(Reason.TOO_COMPLEX, "nested deeper than 64"));
        String nested = Samples.full("a").replace("\"report-id\"", "\"x\": " + "[".repeat(59) + "]".repeat(59) + ", \"report-id\"");
        assertThat(accepted(JSON, utf8(nested)).reportId()).as("an unknown field may nest a little").isEqualTo("a");
    }

    @Test
    void refusesTooManyValuesBeforeBuildingATree() {
        // 3.3 million empty objects, within the JSON limit: as a tree, some 270 MB.
        byte[] many = gzip(utf8("[" + "{},".repeat(3_300_000) + "{}]"));

        assertThat(rejected(GZIP, many)).isEqualTo(Rejection.of(Reason.TOO_COMPLEX, "more than 500000 values"));
    }

    @Test
    void namesTheWrongFieldInTheDetail() {
        assertThat(rejected(JSON, utf8(Samples.full("a").replace("\"report-id\"", "\"report-ID\""))))
            .isEqualTo(Rejection.of(Reason.SCHEMA_VIOLATION, "/: missing report-id"));
        assertThat(rejected(JSON, utf8(Samples.full("a").replace("\"failed-session-count\": 100", "\"failed-session-count\": -1"))))
            .isEqualTo(Rejection.of(Reason.SCHEMA_VIOLATION, "/policies/0/failure-details/0/failed-session-count: negative"));
        assertThat(rejected(JSON, utf8(Samples.full("a").replace("5326", "\"5326\""))))
            .isEqualTo(Rejection.of(Reason.SCHEMA_VIOLATION, "/policies/0/summary/total-successful-session-count: not an integer"));
        assertThat(rejected(JSON, utf8(Samples.full("a").replace("5326", "99999999999999999999"))))
            .isEqualTo(Rejection.of(Reason.SCHEMA_VIOLATION, "/policies/0/summary/total-successful-session-count: too large"));
    }

    @Test
    void keepsAndCountsAResultTypeItDoesNotKnow() {
        ReceivedReport report = accepted(JSON, utf8(Samples.full("a").replace("certificate-expired", "quantum-decoherence")));

        ReceivedFailure failure = report.policies().get(0).failures().get(0);
        assertThat(failure.resultType()).isEqualTo("quantum-decoherence");
        assertThat(failure.knownResultType()).isEmpty();
        assertThat(failure.failedSessionCount()).isEqualTo(100);
    }

    /**
     * The typed reading and the schema agree: every field of the full example removed, and every value replaced by
     * values of each JSON type, is accepted exactly when the schema accepts it; except that an unknown
     * {@code result-type} is kept (RFC 8460 §6.6).
     */
    @Test
    void acceptsExactlyWhatTheSchemaAccepts() throws IOException {
        JsonNode full = MAPPER.readTree(Samples.full("5065427c-23d3"));
        List<String> disagreements = new ArrayList<>();
        int cases = 0;
        for (Map.Entry<String, JsonNode> mutation : mutations(full).entrySet()) {
            cases++;
            boolean schemaAccepts = ReportSchema.violations(mutation.getValue()).isEmpty()
                || mutation.getKey().contains("/result-type=\"") && !mutation.getKey().endsWith("=\"\"");
            ReadResult read = reader.read(JSON, MAPPER.writeValueAsBytes(mutation.getValue()));
            if (read.isAccepted() != schemaAccepts) {
                disagreements.add(mutation.getKey() + ": schema " + ReportSchema.violations(mutation.getValue()) + ", reader " + read);
            }
        }
        assertThat(cases).isGreaterThan(500);
        assertThat(disagreements).isEmpty();
    }

    private static final List<JsonNode> REPLACEMENTS = List.of(JsonNodeFactory.instance.textNode("x"),
        JsonNodeFactory.instance.textNode(""), JsonNodeFactory.instance.textNode("2016-04-01T00:00:00+02:00"),
        JsonNodeFactory.instance.textNode("2016-13-01T00:00:00Z"), JsonNodeFactory.instance.textNode("2016-04-01 00:00:00"),
        JsonNodeFactory.instance.textNode("192.0.2.256"), JsonNodeFactory.instance.textNode("::ffff:192.0.2.1"),
        JsonNodeFactory.instance.textNode("*.a.example"), JsonNodeFactory.instance.textNode("a..example"),
        JsonNodeFactory.instance.textNode("a@b"), JsonNodeFactory.instance.textNode("a b@c"),
        JsonNodeFactory.instance.numberNode(0), JsonNodeFactory.instance.numberNode(-1), JsonNodeFactory.instance.numberNode(1.5),
        JsonNodeFactory.instance.numberNode(7.0), JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.nullNode(),
        JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.arrayNode(),
        JsonNodeFactory.instance.textNode("sts"), JsonNodeFactory.instance.textNode("tlsa"), JsonNodeFactory.instance.textNode("no-policy-found"));

    /** Every way of removing one field or array element of {@code root}, or replacing one value, keyed by what changed. */
    private static Map<String, JsonNode> mutations(JsonNode root) {
        Map<String, JsonNode> mutations = new java.util.LinkedHashMap<>();
        collect(root, root, "", mutations);
        return mutations;
    }

    private static void collect(JsonNode root, JsonNode node, String pointer, Map<String, JsonNode> mutations) {
        for (JsonNode replacement : REPLACEMENTS) {
            mutations.put(pointer + "=" + replacement, replaced(root, pointer, replacement));
        }
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                mutations.put(pointer + "/" + name + " removed", replaced(root, pointer + "/" + name, null));
                collect(root, node.get(name), pointer + "/" + name, mutations);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                mutations.put(pointer + "/" + i + " removed", replaced(root, pointer + "/" + i, null));
                collect(root, node.get(i), pointer + "/" + i, mutations);
            }
        }
    }

    /** A copy of {@code root} with the value at {@code pointer} replaced, or removed when {@code replacement} is null. */
    private static JsonNode replaced(JsonNode root, String pointer, JsonNode replacement) {
        if (pointer.isEmpty()) {
            return replacement == null ? JsonNodeFactory.instance.missingNode() : replacement;
        }
        JsonNode copy = root.deepCopy();
        int last = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, last));
        String name = pointer.substring(last + 1);
        if (parent.isObject()) {
            if (replacement == null) {
                ((ObjectNode) parent).remove(name);
            } else {
                ((ObjectNode) parent).set(name, replacement);
            }
        } else if (replacement == null) {
            ((ArrayNode) parent).remove(Integer.parseInt(name));
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(name), replacement);
        }
        return copy;
    }

    @Test
    void neverThrowsOnRandomOrCutBodies() {
        Random random = new Random(8460);
        byte[] report = utf8(Samples.full("a"));
        byte[] compressed = gzip(report);
        for (int length = 0; length <= compressed.length; length++) {
            assertAnswers(GZIP, Arrays.copyOf(compressed, length));
        }
        for (int length = 0; length <= report.length; length++) {
            assertAnswers(JSON, Arrays.copyOf(report, length));
        }
        for (int i = 0; i < 3000; i++) {
            byte[] noise = new byte[random.nextInt(600)];
            random.nextBytes(noise);
            if (i % 2 == 0 && noise.length > 2) {
                noise[0] = 0x1f;
                noise[1] = (byte) 0x8b;
            }
            assertAnswers(i % 3 == 0 ? JSON : GZIP, noise);
            byte[] flipped = (i % 2 == 0 ? compressed : report).clone();
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            assertAnswers(i % 2 == 0 ? GZIP : JSON, flipped);
        }
    }

    private void assertAnswers(String mediaType, byte[] body) {
        ReadResult result = reader.read(mediaType, body);
        assertThat(result.report().isPresent()).isNotEqualTo(result.rejection().isPresent());
    }
}
