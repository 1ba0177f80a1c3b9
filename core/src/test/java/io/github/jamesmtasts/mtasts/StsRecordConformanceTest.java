package io.github.jamesmtasts.mtasts;

import io.github.jamesmtasts.conformance.Conformance;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.dns.DnsClient;
import io.github.jamesmtasts.testkit.LoopbackAddresses;
import io.github.jamesmtasts.testkit.TestDnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus's {@code _mta-sts} TXT cases (RFC 8461 §3.1), and the project's own beside them: single
 * records through {@link StsRecord#parse}, record sets through a real DNS server, {@link DnsClient}
 * and {@link StsDiscovery}.
 */
class StsRecordConformanceTest {
    private static final String[] FILES = {"mta_sts_txt_record.json", "project_txt_record.json"};
    private static final Map<StsDiscovery.Reason, String> CORPUS_REASONS = Map.of(
        StsDiscovery.Reason.NO_TXT_RECORD, "nxdomain",
        StsDiscovery.Reason.NO_STS_RECORD, "no_sts_record",
        StsDiscovery.Reason.MULTIPLE_STS_RECORDS, "multiple_records",
        StsDiscovery.Reason.INVALID_STS_RECORD, "syntax");

    private static TestDnsServer dns;
    private static DnsClient client;

    @BeforeAll
    static void start() {
        dns = TestDnsServer.start(LoopbackAddresses.next(), 0);
        client = DnsClient.using(dns.resolver());
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    static Stream<Arguments> records() {
        return Conformance.cases(testCase -> testCase.get("input").has("txt"), FILES);
    }

    static Stream<Arguments> recordSets() {
        return Conformance.cases(testCase -> testCase.get("input").has("txt_rrset"), FILES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void parsesOneRecord(String id, JsonNode testCase) {
        Parsed<StsRecord, StsRecord.Problem> parsed = StsRecord.parse(testCase.get("input").get("txt").asText());

        if (Conformance.ambiguous(testCase)) {
            assertThat(Conformance.allowedOutcomes(testCase)).contains(parsed.isValid() ? "valid" : "invalid");
            return;
        }
        JsonNode expected = testCase.get("expected");
        assertThat(parsed.isValid()).as(parsed.toString()).isEqualTo(expected.get("valid").asBoolean());
        if (parsed.isValid()) {
            assertThat(parsed.value().orElseThrow().id()).isEqualTo(expected.get("id").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordSets")
    void selectsFromTheRecordSetInDns(String id, JsonNode testCase) {
        String domain = id + ".example";
        publish(StsDiscovery.recordName(domain), testCase.get("input").get("txt_rrset"));

        StsDiscovery discovery = StsDiscovery.of(client.txt(StsDiscovery.recordName(domain)).join());

        String outcome = outcome(discovery);
        if (Conformance.ambiguous(testCase)) {
            assertThat(Conformance.allowedOutcomes(testCase)).contains(outcome);
            return;
        }
        JsonNode expected = testCase.get("expected");
        String wanted = expected.get("result").asText()
            + (expected.has("id") ? " id=" + expected.get("id").asText() : "")
            + (expected.has("reason") ? " " + expected.get("reason").asText() : "");
        assertThat(outcome).as(discovery.toString()).isEqualTo(wanted);
    }

    /** The outcome in the corpus's words: {@code record id=X}, {@code no_policy REASON}, {@code temporary_error}. */
    private static String outcome(StsDiscovery discovery) {
        switch (discovery.outcome()) {
            case RECORD:
                return "record id=" + discovery.record().orElseThrow().id();
            case NO_POLICY:
                return "no_policy " + CORPUS_REASONS.get(discovery.reason().orElseThrow());
            default:
                return "temporary_error";
        }
    }

    /** Puts a corpus rrset at a name: a list of records (each a list of strings), an RCODE, or a CNAME chain. */
    private static void publish(String name, JsonNode rrset) {
        if (rrset.isTextual()) {
            if ("SERVFAIL".equals(rrset.asText())) {
                dns.rcode(name, Type.TXT, Rcode.SERVFAIL);
            }
            return; // NXDOMAIN: nothing at the name
        }
        if (rrset.isObject()) {
            List<String> chain = Conformance.strings(rrset.get("cname_chain"));
            String from = name;
            for (String target : chain) {
                dns.cname(from, target);
                from = target;
            }
            publish(from, rrset.get("final"));
            return;
        }
        rrset.forEach(record -> dns.txt(name, Conformance.strings(record).toArray(new String[0])));
    }
}
