package io.github.jamesmtasts.tlsrpt.sending;

import io.github.jamesmtasts.smtp.TestContent;
import io.github.jamesmtasts.tlsrpt.counting.PolicyCountsJson;
import io.github.jamesmtasts.tlsrpt.counting.InMemoryResultStore;
import io.github.jamesmtasts.tlsrpt.counting.ReportPeriod;
import io.github.jamesmtasts.tlsrpt.counting.ResultAggregator;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.delivery.DeliveryOutcome;
import io.github.jamesmtasts.delivery.DeliveryRequest;
import io.github.jamesmtasts.delivery.DomainDelivery;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.Fakes;
import io.github.jamesmtasts.delivery.LoopbackMx;
import io.github.jamesmtasts.delivery.TlsRequirement;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.policy.PolicyLookup;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.MxServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8460 §4.4: the counts of a day's reports after a scripted series of real sessions (the Netty SMTP client
 * against MX hosts on loopback, TLS with a test CA): each negotiated session counted exactly once, with the result
 * type of what went wrong.
 */
class SessionCountsTest {
    private static final Instant NOON = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path directory;
    private LoopbackMx world;
    private final Fakes.Policies policies = new Fakes.Policies();
    private final InMemoryResultStore store = new InMemoryResultStore();
    private final ResultAggregator aggregator = new ResultAggregator(DAY, store);
    private DomainDelivery delivery;

    @BeforeEach
    void start() throws IOException {
        world = new LoopbackMx(directory);
        delivery = new DomainDelivery(policies, world.dns(), world.smtp(), aggregator,
            new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()), Clock.fixed(NOON, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void eachSessionCountsOnceWithWhatWentWrong() throws Exception {
        // Three messages on one connection: one session, not three.
        policy("reused.test", Mode.ENFORCE);
        mx("reused.test", UnaryOperator.identity());
        for (int i = 0; i < 3; i++) {
            assertThat(deliver("reused.test")).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        }
        // testing: the verified session fails on the name, the mail then goes over opportunistic TLS: one failure.
        policy("testing.test", Mode.TESTING);
        mx("testing.test", options -> options.certificate(world.certificate("other.example")));
        assertThat(deliver("testing.test")).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        // No policy, an opportunistic handshake that never starts, then plaintext: its TLS failure, not "no STARTTLS".
        mx("stalled.test", options -> options.stall(MxServer.Step.TLS_HANDSHAKE));
        assertThat(deliver("stalled.test")).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        // A policy that could not be fetched: the session counts once, as the fetch error.
        policies.current.put("unfetched.test", PolicyLookup.failed("unfetched.test",
            Failure.of(ResultType.STS_POLICY_FETCH_ERROR, "HTTP 503")));
        mx("unfetched.test", UnaryOperator.identity());
        assertThat(deliver("unfetched.test")).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        aggregator.persist();

        assertThat(counts("reused.test")).containsExactly(1L, 0L);
        assertThat(counts("testing.test")).containsExactly(0L, 1L);
        assertThat(failureTypes("testing.test")).containsExactly("certificate-host-mismatch");
        assertThat(counts("stalled.test")).containsExactly(0L, 1L);
        assertThat(failureTypes("stalled.test")).containsExactly("validation-failure");
        assertThat(counts("unfetched.test")).containsExactly(0L, 1L);
        assertThat(failureTypes("unfetched.test")).containsExactly("sts-policy-fetch-error");
    }

    private void policy(String domain, Mode mode) {
        policies.current.put(domain, Fakes.found(domain, "1", Fakes.policy(mode, "mx." + domain)));
    }

    private void mx(String domain, UnaryOperator<MxServer.Options> options) {
        world.start(domain, "mx." + domain, 10, options);
    }

    private DeliveryOutcome.Status deliver(String domain) throws Exception {
        String recipient = "bob@" + domain;
        return delivery.deliver(new DeliveryRequest(domain, "alice@sender.test", List.of(recipient),
            TestContent.of("Subject: hi\r\n\r\nhello\r\n"), TlsRequirement.DEFAULT, true))
            .get(30, TimeUnit.SECONDS).outcomes().get(recipient).status();
    }

    /** The report's {@code total-successful-session-count} and {@code total-failure-session-count}. */
    private List<Long> counts(String domain) throws IOException {
        JsonNode summary = report(domain).path("policies").get(0).path("summary");
        return List.of(summary.path("total-successful-session-count").asLong(), summary.path("total-failure-session-count").asLong());
    }

    private List<String> failureTypes(String domain) throws IOException {
        List<String> types = new ArrayList<>();
        report(domain).path("policies").get(0).path("failure-details")
            .forEach(detail -> types.add(detail.path("result-type").asText()));
        return types;
    }

    private JsonNode report(String domain) throws IOException {
        TlsReport report = TlsReport.of(Reports.settings().build(), store.load(ReportPeriod.containing(NOON, DAY)),
            domain, "00ff");
        return PolicyCountsJson.mapper().readTree(ReportJson.json(report));
    }
}
