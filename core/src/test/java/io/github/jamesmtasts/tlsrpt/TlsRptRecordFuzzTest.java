package io.github.jamesmtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link TlsRptRecord#parse} (RFC 8460 §3) and the record-set rules of {@link TlsRptDiscovery}:
 * a record parses or fails with an {@link InvalidRecordException}, nothing else; a record that parses
 * has at least one destination, each a {@code mailto:} URI with an address or an {@code https:} URI with
 * a host, and its destinations written as a record parse back to the same record. Seeds and regression
 * inputs: {@code src/test/resources/.../TlsRptRecordFuzzTestInputs/parse/}.
 */
class TlsRptRecordFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) throws InvalidRecordException {
        String text = new String(input, StandardCharsets.UTF_8);

        TlsRptDiscovery discovery = TlsRptDiscovery.fromTxtRecords(List.of(text));
        TlsRptRecord record;
        try {
            record = TlsRptRecord.parse(text);
        } catch (InvalidRecordException invalid) {
            assertThat(invalid.error()).isNotNull();
            assertThat(discovery.outcome()).isNotEqualTo(TlsRptDiscovery.Outcome.FOUND);
            return;
        }
        assertThat(text).startsWith("v=TLSRPTv1");
        if (text.startsWith("v=TLSRPTv1;")) {
            assertThat(discovery.record()).contains(record);
        }
        assertThat(record.destinations()).isNotEmpty();
        for (ReportUri destination : record.destinations()) {
            assertThat(destination.uri().getScheme()).isEqualToIgnoringCase(destination.scheme().name());
            if (destination.scheme() == ReportUri.Scheme.MAILTO) {
                assertThat(destination.mailbox()).isNotEmpty();
            } else {
                assertThat(destination.uri().getHost()).isNotNull();
            }
        }
        String rua = record.destinations().stream().map(ReportUri::toString).collect(Collectors.joining(","));
        assertThat(TlsRptRecord.parse("v=TLSRPTv1; rua=" + rua)).isEqualTo(record);
    }
}
