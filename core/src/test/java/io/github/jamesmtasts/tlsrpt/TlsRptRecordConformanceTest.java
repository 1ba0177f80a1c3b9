package io.github.jamesmtasts.tlsrpt;

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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cases of {@code tlsrpt_record.json}: each record (or record set) is published on a real DNS server
 * on loopback and looked up with {@link TlsRptResolver}, the path the scheduler takes.
 */
class TlsRptRecordConformanceTest {
    /**
     * dnsjava 3.6 (James 3.9 ships 3.6.3; James 3.8.1 ships 3.5.2, which has no {@code Message.normalize}) normalizes
     * each answer in {@code LookupSession}: two byte-identical records come back as one (an RRset has no duplicates,
     * RFC 2181 5), so rpt-set-002's two identical TLS-RPT records are one record there (README, "James 3.9").
     */
    private static final boolean DNSJAVA_MERGES_IDENTICAL_RECORDS = hasMethod(org.xbill.DNS.Message.class, "normalize");

    private static TestDnsServer dns;
    private static TlsRptResolver lookup;

    @BeforeAll
    static void start() {
        dns = TestDnsServer.start(LoopbackAddresses.next(), 0);
        lookup = new TlsRptResolver(DnsClient.using(dns.resolver()));
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    static Stream<Arguments> cases() {
        return Conformance.cases("tlsrpt_record.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(String id, JsonNode testCase) {
        String domain = id + ".conformance.example";
        publish("_smtp._tls." + domain, testCase.path("input"));

        TlsRptDiscovery discovery = lookup.lookup(domain).join();

        JsonNode expected = testCase.path("expected");
        if (testCase.path("ambiguous").asBoolean()) {
            assertThat(Conformance.strings(testCase.path("allowed_outcomes"))).contains(ambiguousOutcome(discovery, testCase));
        } else if (expected.has("valid")) {
            assertThat(discovery.outcome() == TlsRptDiscovery.Outcome.FOUND).as(discovery.toString()).isEqualTo(expected.path("valid").asBoolean());
            if (expected.has("rua")) {
                assertThat(destinations(discovery)).isEqualTo(Conformance.strings(expected.path("rua")));
            }
        } else if (DNSJAVA_MERGES_IDENTICAL_RECORDS && identicalRecords(testCase.path("input"))) {
            assertThat(discovery.outcome()).as(discovery.toString()).isEqualTo(TlsRptDiscovery.Outcome.FOUND);
        } else {
            assertThat(discovery.outcome()).isIn(outcomes(expected));
        }
    }

    /** A record set of two or more records, all with the same character-strings. */
    private static boolean identicalRecords(JsonNode input) {
        JsonNode records = input.path("txt_rrset");
        if (!records.isArray() || records.size() < 2) {
            return false;
        }
        List<String> first = Conformance.strings(records.get(0));
        for (JsonNode record : records) {
            if (!Conformance.strings(record).equals(first)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasMethod(Class<?> type, String name) {
        for (java.lang.reflect.Method method : type.getMethods()) {
            if (method.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static void publish(String name, JsonNode input) {
        if (input.has("txt")) {
            dns.txt(name, input.path("txt").asText());
        } else if ("SERVFAIL".equals(input.path("txt_rrset").asText())) {
            dns.rcode(name, Type.TXT, Rcode.SERVFAIL);
        } else {
            // One TXT record per element, each of the element's character-strings.
            input.path("txt_rrset").forEach(record -> dns.txt(name, Conformance.strings(record).toArray(String[]::new)));
        }
    }

    private static List<TlsRptDiscovery.Outcome> outcomes(JsonNode expected) {
        switch (expected.path("result").asText()) {
            case "record":
                return List.of(TlsRptDiscovery.Outcome.FOUND);
            case "temporary_error":
                // keep_results_for_retry is the scheduler's part: ReportSchedulerTest#keepsCountsWhileTheRecordCannotBeLookedUp
                return List.of(TlsRptDiscovery.Outcome.TEMPORARY_FAILURE);
            case "no_tlsrpt":
                switch (expected.path("reason").asText()) {
                    case "multiple_records":
                        return List.of(TlsRptDiscovery.Outcome.MULTIPLE_RECORDS);
                    case "syntax":
                        return List.of(TlsRptDiscovery.Outcome.INVALID_RECORD);
                    default:
                        return List.of(TlsRptDiscovery.Outcome.NO_RECORD, TlsRptDiscovery.Outcome.MULTIPLE_RECORDS,
                            TlsRptDiscovery.Outcome.INVALID_RECORD);
                }
            default:
                throw new IllegalArgumentException("unknown expectation " + expected);
        }
    }

    /** The conformance file's words for the outcomes of rpt-rec-004. */
    private static String ambiguousOutcome(TlsRptDiscovery discovery, JsonNode testCase) {
        if (discovery.outcome() != TlsRptDiscovery.Outcome.FOUND) {
            return "invalid";
        }
        List<String> all = Conformance.strings(testCase.path("expected").path("rua"));
        List<String> found = destinations(discovery);
        return found.equals(all) ? "both rua" : found.equals(all.subList(0, 1)) ? "first rua only" : "unexpected " + found;
    }

    private static List<String> destinations(TlsRptDiscovery discovery) {
        return discovery.record().orElseThrow().destinations().stream().map(ReportUri::toString).collect(Collectors.toList());
    }
}
