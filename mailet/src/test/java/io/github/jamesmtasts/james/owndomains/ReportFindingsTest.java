package io.github.jamesmtasts.james.owndomains;

import io.github.jamesmtasts.check.Finding;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.tlsrpt.receiving.FileReceivedReportStore;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedFailure;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedPolicy;
import io.github.jamesmtasts.tlsrpt.receiving.ReceivedReport;
import io.github.jamesmtasts.watch.DomainState;
import io.github.jamesmtasts.watch.ReadinessAdvice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the received TLS-RPT reports add to the watch of a domain. */
class ReportFindingsTest {
    private static final String DOMAIN = "own.example";
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path directory;

    @Test
    void failuresReportedSinceThePreviousCheckAreAWarningByResultType() throws Exception {
        FileReceivedReportStore store = new FileReceivedReportStore(directory);
        add(store, "a", "Sender A", 10, 0);
        ReportFindings findings = new ReportFindings(store, ReadinessAdvice.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        Optional<DomainState> previous = Optional.of(DomainState.of(DOMAIN, NOW.minus(Duration.ofDays(1)), List.of()));

        Finding clean = findings.findings(DOMAIN, Mode.TESTING, previous).get(0);
        assertThat(clean.status()).isEqualTo(Finding.Status.OK);

        add(store, "b", "Sender B", 5, 3);
        List<Finding> found = findings.findings(DOMAIN, Mode.TESTING, previous);
        assertThat(found.get(0).status()).isEqualTo(Finding.Status.WARNING);
        assertThat(found.get(0).key()).isEqualTo(clean.key());
        assertThat(found.get(0).message()).contains("3 failed session(s)").contains("Sender B").contains("certificate-expired=3");
        assertThat(found.get(1).kind()).isEqualTo("readiness");
    }

    /** The report and its RFC 8460 §4.4 JSON, as the store keeps them and reads them back. */
    private static void add(FileReceivedReportStore store, String id, String organization, long successful, long failed) throws Exception {
        String failures = failed == 0 ? "" : ",\"failure-details\":[{\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"192.0.2.1\","
            + "\"receiving-mx-hostname\":\"mx." + DOMAIN + "\",\"receiving-ip\":\"192.0.2.25\",\"failed-session-count\":" + failed + "}]";
        String json = "{\"organization-name\":\"" + organization + "\",\"date-range\":{\"start-datetime\":\"2026-12-02T00:00:00Z\","
            + "\"end-datetime\":\"2026-12-02T23:59:59Z\"},\"contact-info\":\"tlsrpt@reporter.example\",\"report-id\":\"" + id + "\","
            + "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\"],\"policy-domain\":\"" + DOMAIN
            + "\",\"mx-host\":[\"mx." + DOMAIN + "\"]},\"summary\":{\"total-successful-session-count\":" + successful
            + ",\"total-failure-session-count\":" + failed + "}" + failures + "}]}";
        store.add(report(id, organization, successful, failed), json.getBytes(StandardCharsets.US_ASCII));
    }

    private static ReceivedReport report(String id, String organization, long successful, long failed) {
        List<ReceivedFailure> failures = failed == 0 ? List.of()
            : List.of(new ReceivedFailure("certificate-expired", "192.0.2.1", "mx." + DOMAIN, null, "192.0.2.25", failed, null, null));
        return new ReceivedReport(organization, "tlsrpt@" + organization.replace(' ', '-') + ".example", id,
            Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-02T23:59:59Z"),
            List.of(new ReceivedPolicy(ReportedPolicy.Type.STS, DOMAIN, List.of("version: STSv1"), List.of("mx." + DOMAIN),
                successful, failed, failures)));
    }
}
