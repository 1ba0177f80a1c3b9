package io.github.jamesmtasts.tlsrpt.receiving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.github.jamesmtasts.tlsrpt.receiving.Samples.daily;
import static io.github.jamesmtasts.tlsrpt.receiving.Samples.parse;
import static org.assertj.core.api.Assertions.assertThat;

class ReportSummaryTest {
    private static final LocalDate MAY_1 = LocalDate.parse("2024-05-01");
    private static final LocalDate MAY_2 = LocalDate.parse("2024-05-02");

    private static final List<ReceivedReport> REPORTS = List.of(
        parse(daily("Org B", "b1", "2024-05-01", 100, 4, "example.com")),
        parse(daily("Org A", "a1", "2024-05-01", 10, 1, "example.com", "example.org")),
        parse(daily("Org A", "a2", "2024-05-01", 20, 2, "example.com")),
        parse(daily("Org A", "a3", "2024-05-02", 30, 3, "example.com")),
        parse(daily("Org A", "other", "2024-05-02", 1000, 1000, "example.org")),
        parse(Samples.full("rfc").replace("company-y.example", "example.com").replace("2016-04-01", "2024-05-02")));

    @Test
    void addsUpPerDayAndOrganizationInOrder() {
        ReportSummary summary = ReportSummary.of("Example.com.", REPORTS);

        assertThat(summary.policyDomain()).isEqualTo("example.com");
        assertThat(summary.rows()).extracting(ReportSummary.Row::day, ReportSummary.Row::organization).containsExactly(
            org.assertj.core.groups.Tuple.tuple(MAY_1, "Org A"), org.assertj.core.groups.Tuple.tuple(MAY_1, "Org B"),
            org.assertj.core.groups.Tuple.tuple(MAY_2, "Company-X"), org.assertj.core.groups.Tuple.tuple(MAY_2, "Org A"));

        ReportSummary.Row a1 = summary.row(MAY_1, "Org A").orElseThrow();
        assertThat(a1.reports()).isEqualTo(2);
        assertThat(a1.successful()).isEqualTo(30);
        assertThat(a1.failed()).isEqualTo(3);
        assertThat(a1.failuresByResultType()).containsExactly(Map.entry("validation-failure", 3L));
        assertThat(a1.failuresByReceivingMx()).containsExactly(Map.entry("mx1.example.com", 3L));
        assertThat(a1.failuresBySendingIp()).containsExactly(Map.entry("192.0.2.1", 3L));

        assertThat(summary.row(MAY_1, "Org B").orElseThrow().successful()).isEqualTo(100);
        assertThat(summary.row(MAY_2, "Org A").orElseThrow().failed()).isEqualTo(3);

        ReportSummary.Row rfc = summary.row(MAY_2, "Company-X").orElseThrow();
        assertThat(rfc.reports()).as("two policies of one report").isEqualTo(1);
        assertThat(rfc.successful()).isEqualTo(5326 + 10);
        assertThat(rfc.failed()).isEqualTo(303);
        assertThat(rfc.failuresByResultType()).containsExactly(Map.entry("certificate-expired", 100L),
            Map.entry("starttls-not-supported", 200L), Map.entry("validation-failure", 3L));
        assertThat(rfc.failuresByReceivingMx()).containsOnlyKeys("mx-backup.mail.example.com", "mx1.mail.example.com", "mx2.mail.example.com");
        assertThat(rfc.failuresBySendingIp()).containsEntry("198.51.100.62", 3L).hasSize(3);

        assertThat(summary.successful()).isEqualTo(30 + 100 + 30 + 5336);
        assertThat(summary.failed()).isEqualTo(3 + 4 + 3 + 303);
    }

    @Test
    void countsOnlyTheDomainsPolicies() {
        ReportSummary summary = ReportSummary.of("example.org", REPORTS);

        assertThat(summary.rows()).hasSize(2);
        assertThat(summary.successful()).isEqualTo(1010);
        assertThat(ReportSummary.of("example.net", REPORTS).rows()).isEmpty();
    }

    @Test
    void countsResultTypesItDoesNotKnowUnderTheirName() {
        ReceivedReport report = parse(daily("Org A", "x", "2024-05-01", 1, 5, "example.com").replace("validation-failure", "new-kind"));

        assertThat(ReportSummary.of("example.com", List.of(report)).rows().get(0).failuresByResultType())
            .containsExactly(Map.entry("new-kind", 5L));
    }

    @Test
    void doesNotOverflowOnHugeCounts() {
        long huge = Long.MAX_VALUE - 1;
        ReportSummary summary = ReportSummary.of("example.com", List.of(parse(daily("Org A", "1", "2024-05-01", huge, 0, "example.com")),
            parse(daily("Org A", "2", "2024-05-01", huge, 0, "example.com"))));

        assertThat(summary.rows().get(0).successful()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void jacksonWritesItsMap() throws IOException {
        ObjectMapper mapper = new ObjectMapper();

        JsonNode json = mapper.readTree(mapper.writeValueAsString(ReportSummary.of("example.com", REPORTS)));

        assertThat(json.fieldNames()).toIterable().containsExactly("policy-domain", "successful", "failed", "days");
        JsonNode first = json.path("days").path(0);
        assertThat(first.fieldNames()).toIterable().containsExactly("day", "organization", "reports", "successful", "failed",
            "failures-by-result-type", "failures-by-receiving-mx", "failures-by-sending-ip");
        assertThat(first.path("day").asText()).isEqualTo("2024-05-01");
        assertThat(first.path("failures-by-result-type").path("validation-failure").asLong()).isEqualTo(3);
        assertThat(ReportSummary.of("example.com", REPORTS)).isEqualTo(ReportSummary.of("EXAMPLE.COM", List.copyOf(REPORTS)));
    }
}
