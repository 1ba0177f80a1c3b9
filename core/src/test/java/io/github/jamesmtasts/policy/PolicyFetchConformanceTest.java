package io.github.jamesmtasts.policy;

import io.github.jamesmtasts.conformance.Conformance;
import io.github.jamesmtasts.mtasts.Policy;
import io.github.jamesmtasts.mtasts.StsDiscovery;
import io.github.jamesmtasts.dns.HostNames;
import io.github.jamesmtasts.mtasts.Mode;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.result.Failure;
import io.github.jamesmtasts.result.ResultType;
import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Type;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The corpus's policy fetch cases (RFC 8461 §3.3, §3.4, §8.2), each against a real policy host on
 * loopback:443 through the real {@link PolicyFetcher}; the cases about the policy domain go through
 * the {@link PolicyEngine}.
 */
class PolicyFetchConformanceTest {
    private static final String FILE = "mta_sts_fetch.json";
    private static final String VALID_POLICY = PolicyWorld.policy("enforce", 86400, "mail.example.com");
    private static final Set<String> DOMAIN_CASES = Set.of("fetch-016", "fetch-017");

    @TempDir
    static Path dir;

    private static PolicyWorld world;
    private static PolicyFetcher fetcher;

    @BeforeAll
    static void start() {
        world = new PolicyWorld(dir);
        fetcher = world.fetcher(world.settings().build());
    }

    @AfterAll
    static void stop() throws Exception {
        world.close();
    }

    static Stream<Arguments> fetches() {
        return Conformance.cases(testCase -> !DOMAIN_CASES.contains(testCase.get("id").asText()), FILE);
    }

    static Stream<Arguments> policyDomains() {
        return Conformance.cases(testCase -> DOMAIN_CASES.contains(testCase.get("id").asText()), FILE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fetches")
    void fetchesFromARealPolicyHost(String id, JsonNode testCase) {
        String domain = id + ".example";
        JsonNode input = testCase.get("input");
        JsonNode expected = testCase.get("expected");
        PolicyHost host = input.path("policy_host_dns").asText().equals("NXDOMAIN") ? null : world.host(domain, certificate(domain, input));
        if (host != null) {
            host.respond(PolicyWorld.POLICY_PATH, response(input));
        }

        FetchResult result = fetcher.fetch(domain).join();

        if (expected.has("media_type_acceptable")) {
            assertThat(result.policy().isPresent()).as(result.toString()).isEqualTo(expected.get("media_type_acceptable").asBoolean());
            return;
        }
        if (expected.has("http_cache_used")) {
            host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(PolicyWorld.policy("testing", 60, "mx.example.com")));
            assertThat(fetcher.fetch(domain).join().policy().orElseThrow().mode()).isEqualTo(Mode.TESTING);
            assertThat(host.requests()).hasSize(2);
            return;
        }
        assertOutcome(result, expected);
        if (expected.has("redirect_followed")) {
            assertThat(host.requests()).extracting(PolicyHost.Request::path).containsExactly(PolicyWorld.POLICY_PATH);
        }
    }

    /** RFC 8461 §3.4: the policy domain is the recipient domain itself, as an A-label without a trailing dot. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("policyDomains")
    void fetchesFromThePolicyHostOfTheRecipientDomain(String id, JsonNode testCase) {
        JsonNode input = testCase.get("input");
        String given = input.has("recipient") ? input.get("recipient").asText().replaceFirst(".*@", "") : input.get("recipient_domain").asText();
        String domain = HostNames.normalize(given);
        world.publish(domain, "1");
        PolicyHost host = world.host(domain);
        host.respond(PolicyWorld.POLICY_PATH, PolicyHost.policy(VALID_POLICY));
        PolicyEngine engine = world.engine(world.settings().storeDirectory(dir.resolve(id)).build(), new FilePolicyStore(dir.resolve(id)));

        PolicyLookup lookup = engine.resolve(given).join();

        assertThat(lookup.policy()).isPresent();
        PolicyHost.Request request = host.requests().get(0);
        assertThat("https://" + request.host() + request.path()).isEqualTo(testCase.get("expected").get("policy_url").asText());
        assertThat(request.serverName()).isEqualTo(PolicyFetcher.policyHost(domain));
        if (testCase.get("expected").has("parent_zone_queried")) {
            String parent = domain.substring(domain.indexOf('.') + 1);
            assertThat(world.dns.queries(StsDiscovery.recordName(parent), Type.TXT)).isZero();
            assertThat(world.dns.queries(PolicyFetcher.policyHost(parent), Type.A)).isZero();
        }
    }

    private static void assertOutcome(FetchResult result, JsonNode expected) {
        String outcome = expected.get("result").asText();
        if (outcome.equals("policy")) {
            Policy policy = result.policy().orElseThrow(() -> new AssertionError("expected a policy, got " + result));
            assertThat(policy.mode().keyword()).isEqualTo(expected.get("mode").asText());
            assertThat(policy.maxAge()).isEqualTo(Duration.ofSeconds(expected.get("max_age").asLong()));
            return;
        }
        // policy_invalid, fetch_error, fetch_error_or_invalid and no_policy: no policy, and a classified failure.
        Failure failure = result.failure().orElseThrow(() -> new AssertionError("expected a failure, got " + result));
        if (expected.has("tlsrpt_result_type")) {
            assertThat(failure.type().code()).as(failure.toString()).isEqualTo(expected.get("tlsrpt_result_type").asText());
        } else if (outcome.equals("policy_invalid")) {
            assertThat(failure.type()).isEqualTo(ResultType.STS_POLICY_INVALID);
        } else if (!outcome.equals("fetch_error_or_invalid")) {
            assertThat(failure.type()).as(failure.toString()).isIn(ResultType.STS_POLICY_FETCH_ERROR, ResultType.STS_WEBPKI_INVALID);
        }
    }

    /** The certificate a case describes: valid for the policy host, expired, or for another name. */
    private static TestCa.Issued certificate(String domain, JsonNode input) {
        String described = input.path("cert").asText() + input.path("tls").asText();
        Instant now = Instant.now();
        if (described.contains("expired")) {
            return world.ca.issue(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), PolicyFetcher.policyHost(domain));
        }
        if (described.contains("different name") || described.contains("provider")) {
            return world.ca.issue("mta-sts.provider.example");
        }
        return world.ca.issue(PolicyFetcher.policyHost(domain));
    }

    /** The response a case describes; a policy served as text/plain unless it says otherwise. */
    private static PolicyHost.Response response(JsonNode input) {
        PolicyHost.Response response = PolicyHost.Response.status(input.path("status").asInt(200))
            .contentType(input.has("content_type") ? input.get("content_type").asText() : "text/plain")
            .body(body(input));
        if (input.has("location")) {
            response = response.header("Location", input.get("location").asText());
        }
        if (input.has("http_cache_headers")) {
            String[] header = input.get("http_cache_headers").asText().split(":\\s*", 2);
            response = response.header(header[0], header[1]);
        }
        if (input.path("transfer").asText().equals("chunked")) {
            response = response.framing(PolicyHost.Framing.CHUNKED).drip(8192, Duration.ZERO);
        }
        return response;
    }

    private static String body(JsonNode input) {
        JsonNode size = input.has("body_size_bytes") ? input.get("body_size_bytes") : input.get("content_length_header");
        if (size != null) {
            // "> 65536" stands for any larger size
            int bytes = size.isInt() ? size.asInt() : 65536 + 4096;
            return VALID_POLICY + "x".repeat(bytes - VALID_POLICY.length());
        }
        return input.has("body") ? input.get("body").asText() : VALID_POLICY;
    }
}
