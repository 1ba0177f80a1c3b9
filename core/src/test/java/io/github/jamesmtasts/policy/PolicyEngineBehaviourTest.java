package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.smtp.TestContent;
import io.github.jamesmtasts.conformance.Conformance;
import io.github.jamesmtasts.mtasts.Mode;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.delivery.DeliveryOutcome;
import io.github.jamesmtasts.delivery.DeliveryRequest;
import io.github.jamesmtasts.delivery.DomainDelivery;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import io.github.jamesmtasts.delivery.Fakes;
import io.github.jamesmtasts.delivery.TlsRequirement;
import io.github.jamesmtasts.dns.MxHost;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.testkit.PolicyHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus's cache behaviour cases (RFC 8461 §3.3, §5.1, §10.2), and the project's own, played
 * against a real {@link PolicyEngine}: DNS from a server on loopback, policies from hosts on loopback:443, a
 * {@link FilePolicyStore} in a temporary directory and a clock the test moves. Each case's scenario
 * reads the case's {@code expected} fields. The delivery cases (cache-012's failure class, cache-016
 * to cache-018) belong to delivery; cache-012's re-check is played here.
 */
class PolicyEngineBehaviourTest {
    private static final String ENFORCE_60 = PolicyWorld.policy("enforce", 60, "mx.example.org");
    private static final Map<String, Scenario> SCENARIOS = Map.ofEntries(
        Map.entry("cache-001", PolicyEngineBehaviourTest::fetchesAndCaches),
        Map.entry("cache-002", PolicyEngineBehaviourTest::noRecordNoPolicy),
        Map.entry("cache-003", PolicyEngineBehaviourTest::failedFetchWithoutCache),
        Map.entry("cache-004", PolicyEngineBehaviourTest::cachedWhileIdUnchanged),
        Map.entry("cache-005", PolicyEngineBehaviourTest::expiredIsFetchedAgain),
        Map.entry("cache-006", PolicyEngineBehaviourTest::newIdIsFetched),
        Map.entry("cache-007", PolicyEngineBehaviourTest::cachedWhenRecordGoneAndFetchFails),
        Map.entry("cache-008", PolicyEngineBehaviourTest::cachedWhenNewIdCannotBeFetched),
        Map.entry("cache-009", PolicyEngineBehaviourTest::cachedWhenRecordRemovedAndAlerted),
        Map.entry("cache-010", PolicyEngineBehaviourTest::backsOffAfterFailedFetch),
        Map.entry("cache-011", PolicyEngineBehaviourTest::dnsFailureWithoutCacheIsTemporary),
        Map.entry("cache-012", PolicyEngineBehaviourTest::recheckBypassesCaches),
        Map.entry("cache-013", PolicyEngineBehaviourTest::refreshesInTheBackground),
        Map.entry("cache-014", PolicyEngineBehaviourTest::restartKeepsPolicies),
        Map.entry("cache-015", PolicyEngineBehaviourTest::withdrawnNonePolicyIsForgotten),
        Map.entry("own-cache-001", PolicyEngineBehaviourTest::removedRecordStopsTheRefresh),
        Map.entry("own-cache-002", PolicyEngineBehaviourTest::invalidRecordStopsTheRefresh),
        Map.entry("own-cache-003", PolicyEngineBehaviourTest::unansweredRecordIsRefreshedAnyway));

    @TempDir
    Path dir;

    private PolicyWorld world;
    private String domain;
    private PolicyHost host;
    private PolicyEngine engine;

    @BeforeEach
    void start() {
        world = new PolicyWorld(dir);
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    static Stream<Arguments> cases() {
        return Conformance.cases(testCase -> SCENARIOS.containsKey(testCase.get("id").asText()),
            "mta_sts_behaviour.json", "project_behaviour.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void behavesAsTheCaseExpects(String id, JsonNode testCase) {
        domain = id + ".example";
        host = world.host(domain);
        engine = newEngine();
        SCENARIOS.get(id).play(this, testCase.get("expected"));
    }

    /** cache-001: a first use fetches the policy and caches it. */
    private void fetchesAndCaches(JsonNode expected) {
        serve(ENFORCE_60, "1234");

        assertThat(mode(engine.resolve(domain).join())).isEqualTo(expected.get("policy").asText().replace("fetched ", ""));
        assertThat(engine.resolve(domain).join().policy()).isPresent();
        assertThat(host.requests().size() == 1).isEqualTo(expected.get("cached").asBoolean());
    }

    /** cache-002: no TXT record, no policy, no failure. */
    private void noRecordNoPolicy(JsonNode expected) {
        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(lookup.policy()).isEmpty();
        assertThat(lookup.status()).isEqualTo(PolicyLookup.Status.NO_POLICY);
        assertThat(lookup.failure()).isEmpty();
        assertThat(expected.get("error").asText()).isEqualTo("no_policy");
        assertThat(host.requests()).isEmpty();
    }

    /** cache-003: a record but no policy to fetch: deliver as without MTA-STS, and report the failure. */
    private void failedFetchWithoutCache(JsonNode expected) {
        world.publish(domain, "1");
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.Response.status(500));

        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(lookup.status()).isEqualTo(PolicyLookup.Status.NO_POLICY);
        assertThat(lookup.failure().map(failure -> failure.type().code())).contains(expected.get("tlsrpt").asText());
    }

    /** cache-004: the TXT id is unchanged, so the fresh cached policy applies and nothing is fetched. */
    private void cachedWhileIdUnchanged(JsonNode expected) {
        serve(ENFORCE_60, "1234");
        engine.resolve(domain).join();
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.Response.status(500));
        world.clock.advance(Duration.ofSeconds(30));

        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(expected.get("policy").asText()).isEqualTo("cached");
        assertThat(lookup.policy()).isPresent();
        assertThat(lookup.failure()).isEmpty();
        assertThat(host.requests().size() > 1).isEqualTo(expected.get("https_fetch_attempted").asBoolean());
    }

    /** cache-005: a policy past max_age is not used; it is fetched again. */
    private void expiredIsFetchedAgain(JsonNode expected) {
        serve(PolicyWorld.policy("enforce", 1, "mx.example.org"), "1");
        engine.resolve(domain).join();
        world.clock.advance(Duration.ofSeconds(2));

        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(expected.get("policy").asText()).isEqualTo("refetched");
        assertThat(host.requests()).hasSize(2);
        assertThat(lookup.expires()).contains(world.clock.instant().plusSeconds(1));
    }

    /** cache-006: a new TXT id means a new policy, fetched even though the cached one has not expired. */
    private void newIdIsFetched(JsonNode expected) {
        serve(ENFORCE_60, "1234");
        engine.resolve(domain).join();
        serve(PolicyWorld.policy("testing", 60, "mx.example.org"), "2345");

        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(expected.get("policy").asText()).isEqualTo("refetched new policy");
        assertThat(lookup.id()).contains("2345");
        assertThat(lookup.mode()).isEqualTo(Mode.TESTING);
    }

    /** cache-007: the record is gone and the host fails: the unexpired cached policy applies (§3.3). */
    private void cachedWhenRecordGoneAndFetchFails(JsonNode expected) {
        serve(ENFORCE_60, "1");
        engine.resolve(domain).join();
        world.dns.remove(StsDiscovery.recordName(domain), Type.TXT);
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.Response.status(503));

        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(expected.get("policy").asText()).isEqualTo("cached");
        assertThat(lookup.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(lookup.id()).contains("1");
    }

    /** cache-008: a new id whose policy cannot be fetched: the cached policy still applies, with the failure. */
    private void cachedWhenNewIdCannotBeFetched(JsonNode expected) {
        serve(ENFORCE_60, "124");
        engine.resolve(domain).join();
        world.publish(domain, "125");
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.Response.status(404));

        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(expected.get("policy").asText()).startsWith("cached");
        assertThat(lookup.id()).contains("124");
        assertThat(lookup.failure().isEmpty()).isEqualTo(expected.get("fresh").asBoolean());
        assertThat(lookup.failure().map(failure -> failure.type().code() + "+fallback-to-cached-policy"))
            .contains(expected.get("tlsrpt").asText());
    }

    /** cache-009: the record is removed: the cached policy applies; a refresh that finds it gone alerts (mode enforce). */
    private void cachedWhenRecordRemovedAndAlerted(JsonNode expected) {
        serve(ENFORCE_60, "1");
        engine.resolve(domain).join();
        world.dns.remove(StsDiscovery.recordName(domain), Type.TXT);

        assertThat(engine.resolve(domain).join().mode()).isEqualTo(Mode.ENFORCE);
        assertThat(expected.get("policy").asText()).isEqualTo("cached");

        world.clock.advance(Duration.ofSeconds(59));
        assertThat(engine.refreshDue().join()).isEqualTo(1);
        assertThat(engine.refreshFailures()).isEqualTo(expected.get("admin_alert").asText().equals("if mode != none") ? 1 : 0);
    }

    /** cache-010: within five minutes of a failed fetch for the same id, no new fetch is tried. */
    private void backsOffAfterFailedFetch(JsonNode expected) {
        world.publish(domain, "1");
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.Response.status(500));
        engine.resolve(domain).join();
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(ENFORCE_60));
        world.clock.advance(Duration.ofMinutes(4));

        PolicyLookup lookup = engine.resolve(domain).join();

        assertThat(lookup.policy().isPresent()).isEqualTo(!expected.get("policy").isNull());
        assertThat(host.requests().size() > 1).isEqualTo(expected.get("https_fetch_attempted").asBoolean());
        assertThat(lookup.failure().flatMap(Failure::reasonCode)).contains(expected.get("tlsrpt_reason").asText());

        world.clock.advance(Duration.ofMinutes(1));
        assertThat(engine.resolve(domain).join().mode()).isEqualTo(Mode.ENFORCE);
    }

    /**
     * cache-011: no DNS answer and nothing cached: whether there is a policy is unknown. A real delivery through
     * this engine (its MX would take the mail at once) tries no MX host and defers the mail.
     */
    private void dnsFailureWithoutCacheIsTemporary(JsonNode expected) {
        world.dns.rcode(StsDiscovery.recordName(domain), Type.TXT, Rcode.SERVFAIL);
        Fakes.Smtp smtp = new Fakes.Smtp();
        DomainDelivery delivery = new DomainDelivery(engine, new Fakes.Directory().mx(domain, new MxHost("mx." + domain, 10))
            .host("mx." + domain, "127.0.0.1"), smtp, new Fakes.Sink(), new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()),
            Clock.systemUTC());

        DeliveryOutcome outcome = delivery.deliver(new DeliveryRequest(domain, "alice@sender.test", List.of("bob@" + domain),
            TestContent.of("Subject: x\r\n\r\nx\r\n"), TlsRequirement.DEFAULT, true)).join().outcomes().get("bob@" + domain);

        assertThat(engine.resolve(domain).join().status()).isEqualTo(PolicyLookup.Status.TEMPORARY_FAILURE);
        assertThat(outcome.status()).isEqualTo(DELIVERY_OF.get(expected.get("delivery").asText()));
        assertThat(outcome.problem().orElseThrow().detail()).contains("could not be looked up");
        assertThat(smtp.sessions).isEmpty();
    }

    /** The corpus's words for what delivery does. */
    private static final Map<String, DeliveryOutcome.Status> DELIVERY_OF = Map.of(
        "defer", DeliveryOutcome.Status.RETRY, "deliver", DeliveryOutcome.Status.DELIVERED, "bounce", DeliveryOutcome.Status.BOUNCE);

    /** cache-012: before mail fails for the policy, the TXT record is asked again past the caches (§5.1). */
    private void recheckBypassesCaches(JsonNode expected) {
        world.dns.ttl(Duration.ofMinutes(5));
        serve(ENFORCE_60, "1");
        engine.resolve(domain).join();
        serve(PolicyWorld.policy("testing", 60, "mx.example.org"), "2");
        assertThat(engine.resolve(domain).join().id()).contains("1");
        int queries = world.dns.queries(StsDiscovery.recordName(domain), Type.TXT);

        PolicyLookup rechecked = engine.recheck(domain).join();

        assertThat(world.dns.queries(StsDiscovery.recordName(domain), Type.TXT) > queries)
            .isEqualTo(expected.get("dns_txt_rechecked_first").asBoolean());
        assertThat(rechecked.id()).contains("2");
        assertThat(engine.resolve(domain).join().mode()).isEqualTo(Mode.TESTING);
    }

    /** cache-013: a policy older than the refresh interval is checked in DNS and fetched again, at a random time. */
    private void refreshesInTheBackground(JsonNode expected) {
        serve(PolicyWorld.policy("enforce", 172800, "mx.example.org"), "1");
        engine.resolve(domain).join();
        serve(PolicyWorld.policy("testing", 172800, "mx.example.org"), "2");
        world.clock.advance(Duration.ofDays(1));
        int queries = world.dns.queries(StsDiscovery.recordName(domain), Type.TXT);

        assertThat(engine.refreshDue().join()).isEqualTo(1);

        assertThat(expected.get("action").asText()).startsWith("TXT check; refetch");
        assertThat(world.dns.queries(StsDiscovery.recordName(domain), Type.TXT)).isGreaterThan(queries);
        assertThat(host.requests()).hasSize(2);
        PolicyLookup lookup = engine.resolve(domain).join();
        assertThat(lookup.id()).contains("2");
        assertThat(lookup.expires()).contains(world.clock.instant().plus(Duration.ofDays(2)));
        assertThat(expected.get("jitter").asBoolean()).isTrue();
    }

    /** cache-014: policies survive a restart in the file store; the first use after it needs no fetch. */
    private void restartKeepsPolicies(JsonNode expected) {
        serve(ENFORCE_60, "1");
        engine.resolve(domain).join();
        engine.close();
        world.dns.remove(StsDiscovery.recordName(domain), Type.TXT);
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.Response.status(500));

        PolicyLookup lookup = newEngine().resolve(domain).join();

        assertThat(expected.get("policy").asText()).startsWith("cached");
        assertThat(lookup.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(host.requests()).hasSize(1);
    }

    /** cache-015: a cached mode-none policy whose record is gone is forgotten at refresh, without alert. */
    private void withdrawnNonePolicyIsForgotten(JsonNode expected) {
        serve(PolicyWorld.policy("none", 60), "1");
        engine.resolve(domain).join();
        world.dns.remove(StsDiscovery.recordName(domain), Type.TXT);
        world.clock.advance(Duration.ofSeconds(59));

        engine.refreshDue().join();
        engine.close();

        assertThat(expected.get("action").asText()).startsWith("delete cached entry");
        assertThat(Files.exists(store().resolve(domain + ".json"))).isFalse();
        assertThat(engine.refreshFailures()).isZero();
        assertThat(newEngine().resolve(domain).join().status()).isEqualTo(PolicyLookup.Status.NO_POLICY);
    }

    /** own-cache-001: once the record is gone, the policy is not fetched again; it applies until max_age, then expires. */
    private void removedRecordStopsTheRefresh(JsonNode expected) {
        refreshesWithoutRecord(expected, () -> world.dns.remove(StsDiscovery.recordName(domain), Type.TXT));
    }

    /** own-cache-002: a record that is no valid STS record stops the refresh as no record does. */
    private void invalidRecordStopsTheRefresh(JsonNode expected) {
        refreshesWithoutRecord(expected, () -> {
            world.dns.remove(StsDiscovery.recordName(domain), Type.TXT);
            world.dns.txt(StsDiscovery.recordName(domain), "v=STSv1; id=not an id;");
        });
    }

    private void refreshesWithoutRecord(JsonNode expected, Runnable withdraw) {
        serve(ENFORCE_60, "1");
        engine.resolve(domain).join();
        withdraw.run();
        world.clock.advance(Duration.ofSeconds(59));
        int queries = world.dns.queries(StsDiscovery.recordName(domain), Type.TXT);

        assertThat(engine.refreshDue().join()).isEqualTo(1);

        assertThat(world.dns.queries(StsDiscovery.recordName(domain), Type.TXT)).isGreaterThan(queries);
        assertThat(host.requests().size() > 1).isEqualTo(expected.get("https_fetch_attempted").asBoolean());
        assertThat(engine.refreshFailures()).isEqualTo(expected.get("admin_alert").asText().equals("if mode != none") ? 1 : 0);
        assertThat(expected.get("policy").asText()).isEqualTo("cached until max_age, then none");
        assertThat(engine.resolve(domain).join().mode()).isEqualTo(Mode.ENFORCE);

        world.clock.advance(Duration.ofSeconds(2));
        engine.refreshDue().join();

        assertThat(engine.cachedPolicy(domain)).isEmpty();
        assertThat(engine.resolve(domain).join().status()).isEqualTo(PolicyLookup.Status.NO_POLICY);
        assertThat(host.requests()).hasSize(1);
    }

    /** own-cache-003: no DNS answer may be an attack on discovery: the cached policy is fetched again anyway. */
    private void unansweredRecordIsRefreshedAnyway(JsonNode expected) {
        serve(ENFORCE_60, "1");
        engine.resolve(domain).join();
        world.dns.rcode(StsDiscovery.recordName(domain), Type.TXT, Rcode.SERVFAIL);
        world.clock.advance(Duration.ofSeconds(59));

        assertThat(engine.refreshDue().join()).isEqualTo(1);

        assertThat(host.requests().size() > 1).isEqualTo(expected.get("https_fetch_attempted").asBoolean());
        assertThat(expected.get("policy").asText()).isEqualTo("refreshed");
        assertThat(engine.cachedPolicy(domain).map(CachedPolicy::expires)).contains(world.clock.instant().plusSeconds(60));
        assertThat(engine.refreshFailures()).isZero();
    }

    private void serve(String policy, String id) {
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(policy));
        world.publish(domain, id);
    }

    private PolicyEngine newEngine() {
        // The cases call refreshDue() themselves: the engine's own periodic check must not race them.
        PolicySettings settings = world.settings().storeDirectory(store()).refreshSpread(Duration.ofMillis(50))
            .refreshCheckInterval(Duration.ofHours(1)).build();
        return world.engine(settings, new FilePolicyStore(settings.storeDirectory()));
    }

    private Path store() {
        return dir.resolve("store");
    }

    private static String mode(PolicyLookup lookup) {
        return lookup.policy().map(policy -> policy.mode().keyword()).orElse("none");
    }

    /** One case's play, given its expected fields. */
    @FunctionalInterface
    private interface Scenario {
        void play(PolicyEngineBehaviourTest test, JsonNode expected);
    }
}
