package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.github.jamesmtasts.it.World.Certificate.SELF_SIGNED;
import static io.github.jamesmtasts.it.World.Certificate.VALID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8461 §10.2 (conformance case cache-014): a policy cached before James restarts still applies after,
 * even when the policy host can no longer be reached.
 */
class RestartIT {
    @TempDir
    static Path directory;
    private static Stage stage;

    @BeforeAll
    static void start() {
        stage = Stage.start("restart", directory, "enforce");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void theCachedPolicyOutlivesARestart() throws Exception {
        String domain = stage.world.domain("restart");
        String host = "mx." + domain;
        PolicyHost policyHost = stage.world.publishPolicy(domain, "1", "enforce", host);
        PostfixServer mx = stage.world.mx(domain, 10, host, VALID, "bob");
        stage.submission.send(stage.sender, "bob@" + domain);
        World.await(mx, "bob", 1);

        stage.james.stop();
        policyHost.respond(World.POLICY_PATH, PolicyHost.Response.status(503).body("down"));
        PostfixServer untrusted = stage.world.replace(mx, domain, host, SELF_SIGNED, "bob");
        stage.james.start();
        stage.submission.send(stage.sender, "bob@" + domain);

        stage.awaitAttempt(domain, "certificate-not-trusted");
        assertThat(World.received(untrusted, "bob")).isEmpty();
        assertThat(policyHost.requests()).hasSize(1);
    }
}
