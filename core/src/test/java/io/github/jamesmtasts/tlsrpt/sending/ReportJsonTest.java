package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.conformance.Conformance;
import io.github.jamesmtasts.tlsrpt.counting.InMemoryResultStore;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import io.github.jamesmtasts.tlsrpt.counting.Results;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.jamesmtasts.result.ReportedPolicy;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.result.SessionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReportJsonTest {
    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path directory;

    private TlsReport report(String domain, SessionResult... results) throws IOException {
        InMemoryResultStore store = new InMemoryResultStore();
        ResultAggregator aggregator = new ResultAggregator(Duration.ofDays(1), store);
        for (SessionResult result : results) {
            aggregator.record(result);
        }
        aggregator.persist();
        return TlsReport.of(Reports.settings().build(), store.load(ReportPeriod.containing(NOON, Duration.ofDays(1))), domain, "00ff");
    }

    private static JsonNode tree(TlsReport report) throws IOException {
        return PolicyCountsJson.mapper().readTree(ReportJson.json(report));
    }

    @Test
    void writesTheFieldsOfRfc8460InTheirOrder() throws IOException {
        JsonNode json = tree(report("example.net", Results.success(NOON, "example.net"),
            Results.failure(NOON, "example.net", ResultType.VALIDATION_FAILURE, "mx-not-in-policy")));

        assertThat(json.fieldNames()).toIterable().containsExactly("organization-name", "date-range", "contact-info", "report-id", "policies");
        assertThat(json.path("organization-name").asText()).isEqualTo("Sender Org");
        assertThat(json.path("date-range").path("start-datetime").asText()).isEqualTo("2024-05-01T00:00:00Z");
        assertThat(json.path("date-range").path("end-datetime").asText()).isEqualTo("2024-05-01T23:59:59Z");
        assertThat(json.path("contact-info").asText()).isEqualTo("tlsrpt@mail.sender.example");
        assertThat(json.path("report-id").asText()).isEqualTo("20240501T000000Z.00ff+example.net@mail.sender.example");

        JsonNode policy = json.path("policies").path(0);
        assertThat(policy.path("policy").fieldNames()).toIterable().containsExactly("policy-type", "policy-string", "policy-domain", "mx-host");
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("sts");
        assertThat(Conformance.strings(policy.path("policy").path("policy-string"))).isEqualTo(Results.STS.policyStrings());
        assertThat(Conformance.strings(policy.path("policy").path("mx-host"))).containsExactly("*.mail.example.net");
        assertThat(policy.path("summary").path("total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        JsonNode detail = policy.path("failure-details").path(0);
        assertThat(detail.fieldNames()).toIterable().containsExactly("result-type", "sending-mta-ip", "receiving-mx-hostname",
            "receiving-ip", "failed-session-count", "failure-reason-code");
        assertThat(detail.path("result-type").asText()).isEqualTo("validation-failure");
        assertThat(detail.path("failure-reason-code").asText()).isEqualTo("mx-not-in-policy");
        assertThat(ReportSchema.violations(json)).isEmpty();
    }

    @Test
    void leavesFailureDetailsOutWhenNothingFailed() throws IOException {
        JsonNode json = tree(report("example.net", Results.success(NOON, "example.net")));

        assertThat(json.path("policies").path(0).has("failure-details")).isFalse();
        assertThat(ReportSchema.violations(json)).isEmpty();
    }

    @Test
    void writesNoPolicyFoundWithItsDomainAndBothCounts() throws IOException {
        SessionResult plain = SessionResult.builder().time(NOON).policyDomain("plain.example").policy(ReportedPolicy.noPolicyFound())
            .receivingMxHostname("mx.plain.example").receivingIp("198.51.100.9").build();
        JsonNode json = tree(report("plain.example", plain));

        JsonNode policy = json.path("policies").path(0);
        assertThat(policy.path("policy").fieldNames()).toIterable().containsExactly("policy-type", "policy-domain");
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).isZero();
        assertThat(ReportSchema.violations(json)).isEmpty();
    }

    @Test
    void listsEachPolicyADomainWasHeldToDuringThePeriod() throws IOException {
        SessionResult beforePolicy = SessionResult.builder().time(NOON).policyDomain("example.net")
            .policy(ReportedPolicy.noPolicyFound()).build();
        JsonNode json = tree(report("example.net", beforePolicy, Results.success(NOON, "example.net")));

        assertThat(json.path("policies")).hasSize(2);
        assertThat(ReportSchema.violations(json)).isEmpty();
    }

    @Test
    void gzipHoldsTheSameJson() throws IOException {
        TlsReport report = report("example.net", Results.success(NOON, "example.net"));

        assertThat(Reports.gunzip(ReportJson.gzip(report))).isEqualTo(ReportJson.json(report));
    }

    @Test
    void schemaRejectsWhatRfc8460Forbids() throws IOException {
        JsonNode good = tree(report("example.net", Results.failure(NOON, "example.net", ResultType.CERTIFICATE_EXPIRED)));
        assertThat(ReportSchema.violations(good)).isEmpty();

        for (String broken : List.of("/date-range/start-datetime=2024-05-01T00:00:00", "/policies/0/policy/policy-domain=☺.example",
            "/policies/0/failure-details/0/sending-mta-ip=not-an-ip", "/policies/0/failure-details/0/result-type=mx-mismatch",
            "/policies/0/policy/policy-type=dane")) {
            String[] pointerAndValue = broken.split("=", 2);
            JsonNode copy = good.deepCopy();
            String pointer = pointerAndValue[0];
            int slash = pointer.lastIndexOf('/');
            ((ObjectNode) copy.at(pointer.substring(0, slash))).put(pointer.substring(slash + 1), pointerAndValue[1]);
            assertThat(ReportSchema.violations(copy)).as(broken).isNotEmpty();
        }
    }
}
