package io.github.jamesmtasts.delivery;

import io.github.jamesmtasts.smtp.TestContent;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.conformance.Conformance;
import io.github.jamesmtasts.dns.MxHost;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.smtp.TlsStance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The delivery cases of the conformance corpus ({@code mta_sts_behaviour}), against their {@code expected}. */
class DeliveryConformanceTest {
    private static final String DOMAIN = "example.org";
    private static final String RECIPIENT = "bob@example.org";

    private final Fakes.Policies policies = new Fakes.Policies();
    private final Fakes.Directory dns = new Fakes.Directory()
        .mx(DOMAIN, new MxHost("mx.example.org", 10)).host("mx.example.org", "127.0.0.21");
    private final Fakes.Smtp smtp = new Fakes.Smtp();
    private final Fakes.Sink sink = new Fakes.Sink();
    private final DomainDelivery delivery = new DomainDelivery(policies, dns, smtp, sink,
        new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()), Clock.systemUTC());

    private static JsonNode expected(String id) {
        for (JsonNode testCase : Conformance.read("mta_sts_behaviour.json").get("cases")) {
            if (testCase.get("id").asText().equals(id)) {
                return testCase.get("expected");
            }
        }
        throw new IllegalArgumentException("no case " + id);
    }

    private DeliveryOutcome deliver(TlsRequirement requirement) {
        return delivery.deliver(new DeliveryRequest(DOMAIN, "alice@sender.test", List.of(RECIPIENT),
            TestContent.of("x"), requirement, true)).join().outcomes().get(RECIPIENT);
    }

    private void publish(Mode mode, String mx) {
        policies.current.put(DOMAIN, Fakes.found(DOMAIN, "1234", Fakes.policy(mode, mx)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cache-003"})
    void aPolicyThatCannotBeFetchedMeansDeliveryAsWithoutMtaSts(String id) {
        JsonNode expected = expected(id);
        policies.current.put(DOMAIN, PolicyLookup.failed(DOMAIN, Failure.of(ResultType.STS_POLICY_FETCH_ERROR, "HTTPS failed")));

        DeliveryOutcome outcome = deliver(TlsRequirement.DEFAULT);

        assertThat(expected.get("policy").isNull()).isTrue();
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        assertThat(smtp.sessions).extracting(Fakes.Session::stance).containsOnly(TlsStance.OPPORTUNISTIC);
        assertThat(sink.results).anySatisfy(result -> assertThat(result.failure().map(failure -> failure.type().code()))
            .contains(expected.get("tlsrpt").asText()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cache-012"})
    void anEnforcePolicyMatchingNoMxRechecksTheTxtAndFailsTransiently(String id) {
        JsonNode expected = expected(id);
        publish(Mode.ENFORCE, "other.example.net");

        DeliveryOutcome outcome = deliver(TlsRequirement.DEFAULT);

        assertThat(!policies.rechecked.isEmpty()).isEqualTo(expected.get("dns_txt_rechecked_first").asBoolean());
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.RETRY);
        assertThat(expected.get("failure_class").asText()).startsWith("transient (4.");
        assertThat(outcome.problem().orElseThrow().enhancedStatus(false)).startsWith("4.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cache-017"})
    void tlsRequiredNoDeliversDespiteAnInvalidCertificate(String id) {
        JsonNode expected = expected(id);
        publish(Mode.ENFORCE, "mx.example.org");
        smtp.tlsFailure("mx.example.org", Failure.of(ResultType.CERTIFICATE_NOT_TRUSTED, "self-signed"));

        DeliveryOutcome outcome = deliver(TlsRequirement.NOT_REQUIRED);

        assertThat(outcome.status() == DeliveryOutcome.Status.DELIVERED).isEqualTo(expected.get("deliver").asBoolean());
        assertThat(smtp.sessions).extracting(Fakes.Session::stance).containsOnly(TlsStance.OPPORTUNISTIC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cache-018"})
    void requireTlsWithoutAnEnforcePolicyFailsPermanentlyWith5730(String id) {
        JsonNode expected = expected(id);
        publish(Mode.TESTING, "mx.example.org");

        DeliveryOutcome outcome = deliver(TlsRequirement.REQUIRETLS);

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.BOUNCE);
        assertThat("permanent failure " + outcome.problem().orElseThrow().enhancedStatus(true))
            .isEqualTo(expected.get("result").asText());
        assertThat(smtp.sessions).isEmpty();
    }
}
