package io.github.jamesmtasts.tlsrpt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 8460 §3 record syntax and record-set rules, beyond the conformance corpus. */
class TlsRptRecordTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "v=TLSRPTv1; rua=http://example.com/report | NO_SUPPORTED_URI",
        "v=TLSRPTv1; ruaa=mailto:a@example.com | MISSING_RUA",
        "v=TLSRPTv1; RUA=mailto:a@example.com | MISSING_RUA",
        "v=TLSRPTv1; rua=mailto: | INVALID_URI",
        "v=TLSRPTv1; rua=https:///path | INVALID_URI",
        // Found by TlsRptRecordFuzzTest: an IllegalArgumentException, not an invalid URI.
        "v=TLSRPTv1; rua=mailto://#x | INVALID_URI",
        "v=TLSRPTv1; rua=mailto://a@example.com | INVALID_URI",
        "v=TLSRPTv1; =x; rua=mailto:a@example.com | MALFORMED_FIELD",
        "v=TLSRPTv1 rua=mailto:a@example.com | NOT_VERSION_1",
        "V=TLSRPTv1; rua=mailto:a@example.com | NOT_VERSION_1",
        "v=TLSRPTv1; rua=mailto:a@example.com; x=a b | INVALID_EXTENSION",
    })
    void namesWhatIsWrong(String record, RecordError error) {
        assertThatThrownBy(() -> TlsRptRecord.parse(record))
            .isInstanceOfSatisfying(InvalidRecordException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void ignoresUriSchemesOtherThanMailtoAndHttps() throws Exception {
        TlsRptRecord record = TlsRptRecord.parse("v=TLSRPTv1; rua=http://example.com/r,mailto:a@example.com, HTTPS://r.example/x");
        assertThat(record.destinations()).extracting(ReportUri::scheme)
            .containsExactly(ReportUri.Scheme.MAILTO, ReportUri.Scheme.HTTPS);
    }

    @Test
    void acceptsExtensionsAtTheLimitsOfTheirSyntax() throws Exception {
        String name = "a" + "b".repeat(31);
        assertThat(TlsRptRecord.parse("v=TLSRPTv1;" + name + "=!~:<>;rua=mailto:a@example.com;").destinations()).hasSize(1);
    }

    @Test
    void mailboxDropsHeaderFieldsAndUndoesPercentEncoding() throws Exception {
        List<ReportUri> rua = TlsRptRecord.parse("v=TLSRPTv1; rua=mailto:tls%2Brpt@example.com?subject=hi").destinations();
        assertThat(rua.get(0).mailbox()).isEqualTo("tls+rpt@example.com");
    }

    @Test
    void httpsUriHasNoMailbox() throws Exception {
        ReportUri https = TlsRptRecord.parse("v=TLSRPTv1; rua=https://r.example/x").destinations().get(0);
        assertThatThrownBy(https::mailbox).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void discardsRecordsOfOtherKindsBeforeCounting() {
        TlsRptDiscovery discovery = TlsRptDiscovery.fromTxtRecords(List.of("v=spf1 -all", "v=TLSRPTv1;rua=mailto:a@example.com"));
        assertThat(discovery.outcome()).isEqualTo(TlsRptDiscovery.Outcome.FOUND);
    }

    @Test
    void reportsTheErrorOfTheOneInvalidRecord() {
        TlsRptDiscovery discovery = TlsRptDiscovery.fromTxtRecords(List.of("v=TLSRPTv1;rua=ftp://example.com/"));
        assertThat(discovery.outcome()).isEqualTo(TlsRptDiscovery.Outcome.INVALID_RECORD);
        assertThat(discovery.error()).contains(RecordError.NO_SUPPORTED_URI);
        assertThat(discovery.record()).isEmpty();
    }
}
