package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.conformance.Conformance;
import io.github.jamesmtasts.tlsrpt.TlsRptRecord;
import io.github.jamesmtasts.tlsrpt.counting.FailureGroup;
import io.github.jamesmtasts.tlsrpt.counting.PeriodCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCounts;
import io.github.jamesmtasts.tlsrpt.counting.PolicyScope;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.result.ResultType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cases of {@code tlsrpt_delivery.json}, each against the class that implements it. */
class TlsRptDeliveryConformanceTest {
    /** RFC 8460 §5.1 file name ABNF (domains loosely: letters, digits, hyphens, dots). */
    private static final Pattern FILE_NAME = Pattern.compile(
        "([A-Za-z0-9.-]+)!([A-Za-z0-9.-]+)!(\\d+)!(\\d+)(?:!([A-Za-z0-9]+))?\\.(json|json\\.gz)");
    /** RFC 8460 §5.3 subject ABNF, unfolded: the report id in {@code "<" id-left "@" id-right ">"} form. */
    private static final Pattern SUBJECT = Pattern.compile(
        "Report +Domain: +[A-Za-z0-9.-]+ +Submitter: +[A-Za-z0-9.-]+ +Report-ID: +<[^<>@\\s]+@[^<>@\\s]+> *");
    private static final Instant DAY_START = Instant.parse("2022-09-15T00:00:00Z");

    @TempDir
    Path directory;

    static Stream<Arguments> cases() {
        return Conformance.cases("tlsrpt_delivery.json");
    }

    private TlsReport report(String domain) {
        ReportPeriod period = ReportPeriod.containing(DAY_START, Duration.ofDays(1));
        FailureGroup failure = new FailureGroup(ResultType.STARTTLS_NOT_SUPPORTED, "192.0.2.1", "mx." + domain, "198.51.100.1", "no STARTTLS");
        return TlsReport.of(Reports.settings().build(),
            PeriodCounts.of(period, List.of(new PolicyCounts(new PolicyScope(domain, Results.STS), 3, Map.of(failure, 1L)))), domain, "7f");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(String id, JsonNode testCase) throws Exception {
        JsonNode input = testCase.path("input");
        JsonNode expected = testCase.path("expected");
        switch (id) {
            case "rpt-meta-001":
                assertThat(ReportFileName.of(input.path("sender").asText(), input.path("policy_domain").asText(),
                    Instant.ofEpochSecond(input.path("begin").asLong()), Instant.ofEpochSecond(input.path("end").asLong()),
                    input.path("unique_id").asText())).isEqualTo(expected.path("filename").asText());
                break;
            case "rpt-meta-002":
            case "rpt-meta-003":
            case "rpt-meta-004": {
                String observed = input.path("observed_filename").asText();
                Matcher parts = FILE_NAME.matcher(observed);
                assertThat(parts.matches()).isEqualTo(expected.path("valid").asBoolean());
                if (expected.has("sender")) {
                    assertThat(List.of(parts.group(1), parts.group(2), parts.group(3), parts.group(4), parts.group(5))).containsExactly(
                        expected.path("sender").asText(), expected.path("policy_domain").asText(), expected.path("begin").asText(),
                        expected.path("end").asText(), expected.path("unique_id").asText());
                }
                // Ours always carries the optional unique-id; given the same parts, it is the observed name.
                String ours = ReportFileName.of(parts.group(1), parts.group(2), Instant.ofEpochSecond(Long.parseLong(parts.group(3))),
                    Instant.ofEpochSecond(Long.parseLong(parts.group(4))), Optional.ofNullable(parts.group(5)).orElse("1"));
                assertThat(ours).matches(FILE_NAME);
                if (parts.group(5) != null) {
                    assertThat(ours).isEqualTo(observed);
                }
                break;
            }
            case "rpt-meta-005":
                assertThat(ReportMessage.subject(input.path("policy_domain").asText(), input.path("submitter").asText(),
                    input.path("report_id").asText())).isEqualTo(expected.path("subject").asText());
                break;
            case "rpt-meta-006":
            case "rpt-meta-007":
                assertThat(SUBJECT.matcher(input.path("observed_subject").asText()).matches())
                    .isEqualTo(expected.path("conforms_to_abnf").asBoolean());
                assertThat(ReportMessage.subject(report("test.xmox.nl"))).matches(SUBJECT);
                break;
            case "rpt-meta-008":
                outgoingReportMail(expected);
                break;
            case "rpt-meta-009":
                httpsPost(input, expected);
                break;
            case "rpt-meta-010":
                retries();
                break;
            case "rpt-meta-011": {
                ReportPeriod day = ReportPeriod.containing(Instant.parse("2022-09-15T13:14:15Z"), TlsRptSettings.DEFAULT_PERIOD);
                JsonNode json = PolicyCountsJson.mapper().readTree(ReportJson.json(report("example.net")));
                assertThat(day.start()).isEqualTo(DAY_START);
                assertThat(json.path("date-range").path("start-datetime").asText()).isEqualTo(expected.path("start-datetime").asText());
                assertThat(json.path("date-range").path("end-datetime").asText()).isEqualTo(expected.path("end-datetime").asText());
                // send_after: a random delay up to 4 hours after midnight (ReportSchedulerTest#sendsAfterARandomDelayOfAtMostTheMaximum).
                assertThat(TlsRptSettings.builder("mail.sender.example").build().maxSendDelay()).isEqualTo(Duration.ofHours(4));
                break;
            }
            case "rpt-meta-012": {
                // RFC 8460 §3: delivery records no result for a mail carrying TLS-Report-Domain (the contract
                // documented on ResultAggregator); every report mail carries it.
                MimeMessage mail = ReportMessage.create(report("example.net"), "r@example.net", DAY_START);
                assertThat(mail.getHeader(ReportMessage.REPORT_DOMAIN_HEADER)).containsExactly("example.net");
                assertThat(expected.path("record_tls_result_for_this_session").asBoolean()).isFalse();
                break;
            }
            default:
                throw new AssertionError("no check written for " + id);
        }
    }

    /**
     * Everything but DKIM: the signature is added by James's DKIMSign mailet, configured in the sample
     * mailetcontainer.xml to sign TLS-Report-Domain and TLS-Report-Submitter without l=, and checked by
     * the end-to-end tests through James.
     */
    private void outgoingReportMail(JsonNode expected) throws Exception {
        TlsReport report = report("example.net");
        MimeMessage mail = ReportMessage.create(report, "r@example.net", DAY_START);
        for (String header : Conformance.strings(expected.path("headers_required"))) {
            assertThat(mail.getHeader(header)).as(header).hasSize(1);
        }
        assertThat(mail.getHeader("TLS-Report-Submitter")[0]).isEqualTo(report.contactInfo().substring(report.contactInfo().indexOf('@') + 1));
        ContentType type = new ContentType(mail.getContentType());
        assertThat(type.getBaseType() + "; report-type=\"" + type.getParameter("report-type") + "\"").isEqualTo(expected.path("content_type").asText());
        assertThat(new ContentType(((MimeMultipart) mail.getContent()).getBodyPart(1).getContentType()).getBaseType())
            .isEqualTo(ReportJson.GZIP_MEDIA_TYPE);
        assertThat(expected.path("attachment_media_type").asText()).startsWith(ReportJson.GZIP_MEDIA_TYPE);
        assertThat(mail.getHeader("TLS-Required")).containsExactly("No");
    }

    /**
     * POST with application/tlsrpt+gzip; 201 is a success like 200. Certificate errors MAY be ignored
     * (RFC 8460 §3); this project does not ignore them, which the MAY allows.
     */
    private void httpsPost(JsonNode input, JsonNode expected) throws Exception {
        List<String> contentTypes = new ArrayList<>();
        VirtualTimer timer = new VirtualTimer(DAY_START);
        List<Boolean> outcome = new ArrayList<>();
        ReportDelivery delivery = new ReportDelivery(report("example.net"), TlsRptRecord.parse("v=TLSRPTv1; rua=" + input.path("https_rua").asText()).destinations(),
            (sender, recipient, message) -> { }, (uri, contentType, body) -> {
                assertThat(uri).isEqualTo(URI.create(input.path("https_rua").asText()));
                contentTypes.add(contentType);
                return 201;
            }, timer, new ExponentialBackoff(Duration.ofMinutes(5), Duration.ofHours(24)), (report, delivered) -> outcome.add(delivered));
        delivery.start();

        assertThat(expected.path("method").asText()).isEqualTo("POST");
        assertThat(contentTypes).containsExactly(expected.path("content_type").asText());
        assertThat(outcome).containsExactly(true);
    }

    /** Exponential backoff for up to 24 hours after the initial attempt. */
    private static void retries() {
        ExponentialBackoff backoff = new ExponentialBackoff(TlsRptSettings.DEFAULT_FIRST_RETRY_DELAY, TlsRptSettings.DEFAULT_RETRY_WINDOW);
        Instant first = DAY_START;
        Instant now = first;
        List<Duration> waits = new ArrayList<>();
        for (int failures = 1; ; failures++) {
            Optional<Instant> next = backoff.retryAt(first, failures, now);
            if (next.isEmpty()) {
                break;
            }
            waits.add(Duration.between(now, next.get()));
            now = next.get();
        }
        assertThat(waits).startsWith(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20));
        for (int i = 1; i < waits.size(); i++) {
            assertThat(waits.get(i)).isEqualTo(waits.get(i - 1).multipliedBy(2));
        }
        assertThat(now).isBeforeOrEqualTo(first.plus(Duration.ofHours(24)));
        assertThat(now.plus(waits.get(waits.size() - 1).multipliedBy(2))).isAfter(first.plus(Duration.ofHours(24)));
    }
}
