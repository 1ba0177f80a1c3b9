package io.github.jamesmtasts.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.github.jamesmtasts.it.World.Certificate.VALID;
import static io.github.jamesmtasts.it.World.Certificate.WRONG_NAME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extension's WebAdmin routes and metrics through a real James: each route with good and bad input, a
 * per-domain override that lets mail out to a domain whose MX has a bad certificate until it expires, the
 * global switch saved across a restart, and the extension's metrics on WebAdmin's {@code /metrics}.
 */
class AdminIT {
    @TempDir
    static Path directory;
    private static Stage stage;

    @BeforeAll
    static void start() throws InterruptedException {
        stage = Stage.start("admin", directory, "enforce");
        awaitWebAdmin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void cachedPoliciesAreListedShownAndEvicted() throws Exception {
        String domain = stage.world.domain("cached");
        stage.world.publishPolicy(domain, "7", "enforce", "mx." + domain, "*.backup." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, VALID, "bob");
        stage.submission.send(stage.sender, "bob@" + domain);
        World.await(mx, "bob", 1);

        JsonNode one = json(call("GET", "/mta-sts/policies/" + domain.toUpperCase() + ".", null), 200);
        assertThat(one.get("id").asText()).isEqualTo("7");
        assertThat(one.get("mode").asText()).isEqualTo("enforce");
        assertThat(one.get("mx")).extracting(JsonNode::asText).containsExactly("mx." + domain, "*.backup." + domain);
        assertThat(Instant.parse(one.get("expires").asText())).isAfter(Instant.parse(one.get("fetchedAt").asText()));
        assertThat(json(call("GET", "/mta-sts/policies", null), 200)).extracting(node -> node.get("domain").asText()).contains(domain);

        assertThat(call("DELETE", "/mta-sts/policies/" + domain, null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/mta-sts/policies/" + domain, null).statusCode()).isEqualTo(404);
        assertError(call("DELETE", "/mta-sts/policies/" + domain, null), 404, "no MTA-STS policy cached");
        assertError(call("GET", "/mta-sts/policies/bad..name", null), 400, "not a domain name");
    }

    @Test
    void anOverrideLetsMailOutToABrokenDomainUntilItExpires() throws Exception {
        String domain = stage.world.domain("broken");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, WRONG_NAME, "bob");

        HttpResponse<String> put = call("PUT", "/mta-sts/overrides/" + domain, "{\"mode\":\"off\",\"ttl\":\"20s\"}");
        assertThat(json(put, 200).get("mode").asText()).isEqualTo("off");
        assertThat(json(call("GET", "/mta-sts/overrides/" + domain, null), 200).has("expires")).isTrue();
        assertThat(json(call("GET", "/mta-sts/overrides", null), 200).has(domain)).isTrue();
        String let = stage.submission.send(stage.sender, "bob@" + domain);
        assertThat(World.await(mx, "bob", 1).get(0)).contains(let);

        Thread.sleep(Duration.ofSeconds(21).toMillis());
        assertThat(call("GET", "/mta-sts/overrides/" + domain, null).statusCode()).isEqualTo(404);
        stage.submission.send(stage.sender, "bob@" + domain);
        stage.awaitAttempt(domain, "certificate-host-mismatch");
        assertThat(World.received(mx, "bob")).hasSize(1);
    }

    @Test
    void badOverridesAreRefusedAndNothingIsSaved() throws Exception {
        String domain = stage.world.domain("refused");

        assertError(call("PUT", "/mta-sts/overrides/" + domain, "{\"mode\":\"sometimes\"}"), 400, "mode must be");
        assertError(call("PUT", "/mta-sts/overrides/" + domain, "{\"mode\":\"off\",\"expires\":\"yesterday\"}"), 400, "expires");
        assertError(call("PUT", "/mta-sts/overrides/" + domain, "{\"mode\":\"off\",\"expires\":\"2001-01-01T00:00:00Z\"}"), 400, "past");
        assertError(call("PUT", "/mta-sts/overrides/" + domain, "not json"), 400, "not JSON");
        assertThat(call("GET", "/mta-sts/overrides/" + domain, null).statusCode()).isEqualTo(404);
        assertError(call("DELETE", "/mta-sts/overrides/" + domain, null), 404, "no override");

        assertThat(call("PUT", "/mta-sts/overrides/" + domain, "{\"mode\":\"testing\"}").statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/mta-sts/overrides/" + domain, null).statusCode()).isEqualTo(204);
    }

    @Test
    void theGlobalSwitchIsChangedAndSavedAcrossARestart() throws Exception {
        assertThat(json(call("GET", "/mta-sts/enforcement", null), 200).get("mode").asText()).isEqualTo("enforce");
        assertError(call("PUT", "/mta-sts/enforcement", "{\"mode\":\"loose\"}"), 400, "mode must be");
        assertThat(json(call("GET", "/mta-sts/enforcement", null), 200).get("mode").asText()).isEqualTo("enforce");

        assertThat(json(call("PUT", "/mta-sts/enforcement", "{\"mode\":\"report-only\"}"), 200).get("mode").asText())
            .isEqualTo("report-only");
        stage.james.stop();
        stage.james.start();
        awaitWebAdmin();
        try {
            assertThat(json(call("GET", "/mta-sts/enforcement", null), 200).get("mode").asText()).isEqualTo("report-only");
        } finally {
            call("PUT", "/mta-sts/enforcement", "{\"mode\":\"enforce\"}");
        }
    }

    @Test
    void tlsRptShowsTheCurrentPeriodAndSendsOnRequest() throws Exception {
        String domain = stage.world.domain("counted");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, VALID, "bob");
        stage.submission.send(stage.sender, "bob@" + domain);
        World.await(mx, "bob", 1);

        JsonNode current = json(call("GET", "/tls-rpt/reports", null), 200);
        JsonNode report = null;
        for (JsonNode candidate : current.get("reports")) {
            if (candidate.at("/policies/0/policy/policy-domain").asText().equals(domain)) {
                report = candidate;
            }
        }
        assertThat(report).as("a report preview for %s in %s", domain, current).isNotNull();
        assertThat(report.at("/policies/0/summary/total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(call("POST", "/tls-rpt/reports?action=send", "").statusCode()).isEqualTo(202);
        assertError(call("POST", "/tls-rpt/reports?action=explode", ""), 400, "the only action is send");
    }

    @Test
    void theExtensionsMetricsArePublished() throws Exception {
        String domain = stage.world.domain("metered");
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, VALID, "bob");
        stage.submission.send(stage.sender, "bob@" + domain);
        World.await(mx, "bob", 1);

        HttpResponse<String> metrics = call("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("mtasts_policy_lookups_no_policy").contains("mtasts_deliveries_opportunistic_delivered");
    }

    private static void awaitWebAdmin() throws InterruptedException {
        new WebAdmin(stage.james).awaitUp();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return new WebAdmin(stage.james).call(method, path, body);
    }

    private static JsonNode json(HttpResponse<String> response, int status) throws IOException {
        return WebAdmin.json(response, status);
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws IOException {
        WebAdmin.assertError(response, status, message);
    }
}
