package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.conformance.Conformance;
import io.github.jamesmtasts.tlsrpt.ReportUri;
import io.github.jamesmtasts.tlsrpt.TlsRptRecord;
import io.github.jamesmtasts.tlsrpt.counting.InMemoryResultStore;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.MxPattern;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of {@code tlsrpt_reports.json}. This project sends reports and never reads them, so a case
 * is checked on the sending side: the report's JSON against the RFC 8460 schema, and the case's counts
 * fed as session results through {@link ResultAggregator} into a {@link TlsReport}, whose JSON must
 * say what the case says a conformant sender writes.
 */
class TlsRptReportsConformanceTest {
    /** Cases that cannot apply to this codebase, with the reason. */
    private static final Map<String, String> NOT_APPLICABLE = Map.of(
        "rpt-json-008", "DANE/TLSA is not implemented: no session is ever held to a tlsa policy (ReportedPolicy has no tlsa type)");

    @TempDir
    Path directory;

    static Stream<Arguments> cases() {
        return Conformance.cases("tlsrpt_reports.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(String id, JsonNode testCase) throws Exception {
        Assumptions.assumeFalse(NOT_APPLICABLE.containsKey(id), NOT_APPLICABLE.get(id));
        JsonNode input = testCase.path("input");
        JsonNode expected = testCase.path("expected");
        switch (id) {
            case "rpt-json-001":
                // RFC 8460 erratum 6241: mx-host is an array; the RFC's own example has a string.
                assertThat(ReportSchema.violations(input.path("report"))).isNotEmpty()
                    .anyMatch(violation -> violation.contains("mx-host"));
                assertThat(expected.path("generator_conformant").asBoolean()).isFalse();
                break;
            case "rpt-json-002": {
                assertThat(ReportSchema.violations(input.path("report"))).isEmpty();
                assertThat(expected.path("generator_conformant").asBoolean()).isTrue();
                JsonNode ours = regenerate(input.path("report"));
                JsonNode summary = ours.path("policies").path(0).path("summary");
                assertThat(summary.path("total-successful-session-count").asLong()).isEqualTo(expected.path("totals").path("success").asLong());
                assertThat(summary.path("total-failure-session-count").asLong()).isEqualTo(expected.path("totals").path("failure").asLong());
                long detailSum = 0;
                for (JsonNode detail : ours.path("policies").path(0).path("failure-details")) {
                    detailSum += detail.path("failed-session-count").asLong();
                }
                assertThat(detailSum).isEqualTo(expected.path("failure_detail_sum").asLong());
                assertThat(ReportSchema.violations(ours)).isEmpty();
                break;
            }
            case "rpt-json-003": {
                // A daily all-success report; no failure-details key; the publisher's line order kept.
                JsonNode ours = regenerate(input.path("report"));
                assertThat(ours.path("policies")).isEqualTo(input.path("report").path("policies"));
                assertThat(ReportSchema.violations(ours)).isEmpty();
                break;
            }
            case "rpt-json-004":
                assertThat(expected.path("generator_conformant").asBoolean()).isFalse();
                assertThat(ReportSchema.violations(input.path("report")))
                    .anyMatch(violation -> violation.contains("start-datetime"))
                    .anyMatch(violation -> violation.contains("end-datetime"))
                    .anyMatch(violation -> violation.contains("mx-host"));
                break;
            case "rpt-json-005": {
                // certificate-host-mismatch keeps the receiving IP in our failure details too.
                JsonNode detail = regenerate(input.path("report")).path("policies").path(0).path("failure-details").path(0);
                assertThat(detail.path("result-type").asText()).isEqualTo("certificate-host-mismatch");
                assertThat(detail.path("receiving-ip").asText()).isEqualTo("234.234.234.234");
                break;
            }
            case "rpt-json-006": {
                // Tolerating the missing fields is a receiver's task; as a sender we write them all.
                SessionResult plain = SessionResult.builder().time(Instant.parse("2019-04-14T10:00:00Z")).policyDomain("example.org")
                    .policy(ReportedPolicy.noPolicyFound()).build();
                JsonNode ours = report(List.of(plain), "example.org", Duration.ofDays(1));
                JsonNode entry = ours.path("policies").path(0);
                assertThat(entry.path("policy").path("policy-type").asText()).isEqualTo("no-policy-found");
                assertThat(entry.path("policy").path("policy-domain").asText()).isEqualTo("example.org");
                assertThat(entry.path("summary").has("total-failure-session-count")).isTrue();
                assertThat(ReportSchema.violations(ours)).isEmpty();
                assertThat(ReportSchema.violations(input.path("report"))).isNotEmpty();
                break;
            }
            case "rpt-json-007": {
                // An MX outside an enforce policy is a validation-failure with a reason code; an unknown
                // sending address is left out rather than written as "".
                JsonNode policy = input.path("report").path("policies").path(0).path("policy");
                JsonNode first = input.path("report").path("policies").path(0).path("failure-details").path(0);
                SessionResult mismatch = SessionResult.builder().time(Instant.parse("2024-08-02T10:00:00Z")).policyDomain("icewolf.li")
                    .policy(ReportedPolicy.sts(Conformance.strings(policy.path("policy-string")), Conformance.strings(policy.path("mx-host"))))
                    .receivingMxHostname(first.path("receiving-mx-hostname").asText()).receivingIp(first.path("receiving-ip").asText())
                    .failure(Failure.of(ResultType.VALIDATION_FAILURE, "MX not in policy", "mx-not-in-policy")).build();
                JsonNode ours = report(List.of(mismatch), "icewolf.li", Duration.ofDays(1));
                JsonNode detail = ours.path("policies").path(0).path("failure-details").path(0);
                assertThat(detail.path("result-type").asText()).isEqualTo("validation-failure");
                assertThat(detail.path("failure-reason-code").asText()).isEqualTo("mx-not-in-policy");
                assertThat(detail.has("sending-mta-ip")).isFalse();
                assertThat(ReportSchema.violations(ours)).isEmpty();
                assertThat(ReportSchema.violations(input.path("report"))).anyMatch(violation -> violation.contains("sending-mta-ip"));
                break;
            }
            case "rpt-json-009": {
                // The policy parser yields the lines without CR LF (Policy.lines()); the report keeps one
                // string per line and one mx-host per mx.
                List<String> lines = List.of(input.path("sts_policy_text").asText().split("\r\n"));
                Policy parsed = new Policy(Mode.TESTING, List.of(MxPattern.of("mx1.example.com"), MxPattern.of("mx2.example.com"),
                    MxPattern.of("mx.backup-example.com")), Duration.ofSeconds(604800), lines);
                SessionResult result = SessionResult.builder().time(Instant.parse("2024-01-01T10:00:00Z")).policyDomain("example.com")
                    .policy(parsed.reported()).build();
                JsonNode written = report(List.of(result), "example.com", Duration.ofDays(1)).path("policies").path(0).path("policy");
                assertThat(written.path("policy-string")).isEqualTo(expected.path("policy-string"));
                assertThat(written.path("mx-host")).isEqualTo(expected.path("mx-host"));
                break;
            }
            case "rpt-json-010": {
                SessionResult result = Results.success(Instant.parse("2024-01-01T10:00:00Z"), input.path("policy_domain_unicode").asText());
                String domain = expected.path("policy-domain").asText();
                assertThat(report(List.of(result), domain, Duration.ofDays(1)).path("policies").path(0).path("policy").path("policy-domain").asText())
                    .isEqualTo(domain);
                break;
            }
            case "rpt-agg-001":
                aggregatesTheRecipientDomainReport(input, expected);
                break;
            default:
                throw new AssertionError("no check written for " + id);
        }
    }

    /**
     * The recipient domain's report of rpt-agg-001. Its second result is a DANE (tlsa) result for an MX host,
     * which this project does not produce, so the report holds one policy, not two; both destinations
     * of the record are used (mox ignores https by choice).
     */
    private void aggregatesTheRecipientDomainReport(JsonNode input, JsonNode expected) throws Exception {
        JsonNode sts = input.path("results").path(0);
        Instant time = Instant.parse("2024-03-05T10:00:00Z");
        List<SessionResult> results = new ArrayList<>();
        ReportedPolicy policy = ReportedPolicy.sts(List.of("version: STSv1", "mode: enforce", "mx: *.xn--74h.example", "max_age: 86400"),
            Conformance.strings(sts.path("policy").path("mx-host")));
        for (int i = 0; i < sts.path("success").asInt(); i++) {
            results.add(SessionResult.builder().time(time).policyDomain(sts.path("policy_domain").asText()).policy(policy).build());
        }
        JsonNode detail = sts.path("failure_details").path(0);
        for (int i = 0; i < detail.path("failed-session-count").asInt(); i++) {
            results.add(SessionResult.builder().time(time).policyDomain(sts.path("policy_domain").asText()).policy(policy)
                .sendingMtaIp(detail.path("sending-mta-ip").asText()).receivingMxHostname(detail.path("receiving-mx-hostname").asText())
                .receivingIp(detail.path("receiving-ip").asText())
                .failure(Failure.of(ResultType.fromCode(detail.path("result-type").asText()).orElseThrow(), "expired")).build());
        }
        JsonNode ours = report(results, "xn--74h.example", Duration.ofDays(1));

        assertThat(ours.path("policies")).hasSize(1);
        assertThat(ours.path("date-range").path("start-datetime").asText()).isEqualTo("2024-03-05T00:00:00Z");
        assertThat(ours.path("date-range").path("end-datetime").asText()).isEqualTo("2024-03-05T23:59:59Z");
        assertThat(ours.path("policies").path(0).path("summary").path("total-successful-session-count").asLong()).isEqualTo(sts.path("success").asLong());
        assertThat(ours.path("policies").path(0).path("summary").path("total-failure-session-count").asLong()).isEqualTo(sts.path("failure").asLong());
        assertThat(ours.path("report-id").asText()).endsWith("+xn--74h.example@" + Reports.SUBMITTER);
        assertThat(expected.path("report_to_recipient_domain").path("date-range").asText()).isEqualTo("[midnight-24h, midnight-1s] UTC");
        assertThat(ReportSchema.violations(ours)).isEmpty();
        String record = input.path("tlsrpt_records").path("_smtp._tls.xn--74h.example.").asText();
        assertThat(TlsRptRecord.parse(record).destinations()).extracting(ReportUri::scheme)
            .containsExactly(ReportUri.Scheme.MAILTO, ReportUri.Scheme.HTTPS);
    }

    /** The case's report made again by this project from the sessions it counts. */
    private JsonNode regenerate(JsonNode report) throws IOException {
        Instant start = Instant.parse(report.path("date-range").path("start-datetime").asText());
        List<SessionResult> results = new ArrayList<>();
        String domain = null;
        for (JsonNode entry : report.path("policies")) {
            JsonNode policy = entry.path("policy");
            domain = policy.path("policy-domain").asText();
            ReportedPolicy reported = ReportedPolicy.sts(Conformance.strings(policy.path("policy-string")), Conformance.strings(policy.path("mx-host")));
            for (long i = 0; i < entry.path("summary").path("total-successful-session-count").asLong(); i++) {
                results.add(SessionResult.builder().time(start).policyDomain(domain).policy(reported).build());
            }
            for (JsonNode detail : entry.path("failure-details")) {
                Failure failure = Failure.of(ResultType.fromCode(detail.path("result-type").asText()).orElseThrow(),
                    detail.path("additional-information").asText("failed"), detail.path("failure-reason-code").asText("unspecified"));
                for (long i = 0; i < detail.path("failed-session-count").asLong(); i++) {
                    results.add(SessionResult.builder().time(start).policyDomain(domain).policy(reported).failure(failure)
                        .sendingMtaIp(detail.path("sending-mta-ip").asText()).receivingMxHostname(detail.path("receiving-mx-hostname").asText())
                        .receivingIp(detail.path("receiving-ip").asText(null)).build());
                }
            }
        }
        return report(results, domain, Duration.ofDays(1));
    }

    private JsonNode report(List<SessionResult> results, String domain, Duration period) throws IOException {
        InMemoryResultStore store = new InMemoryResultStore();
        ResultAggregator aggregator = new ResultAggregator(period, store);
        results.forEach(aggregator::record);
        aggregator.persist();
        ReportPeriod only = store.periods().get(0);
        TlsReport report = TlsReport.of(Reports.settings().build(), store.load(only), domain, "1");
        return PolicyCountsJson.mapper().readTree(ReportJson.json(report));
    }
}
