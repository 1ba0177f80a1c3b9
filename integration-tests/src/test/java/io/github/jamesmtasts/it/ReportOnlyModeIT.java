package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.github.jamesmtasts.it.World.Certificate.SELF_SIGNED;
import static org.assertj.core.api.Assertions.assertThat;

/** The global switch at {@code report-only}: policies are looked up and failures recorded, mail is never withheld. */
class ReportOnlyModeIT {
    @TempDir
    static Path directory;
    private static Stage stage;

    @BeforeAll
    static void start() {
        stage = Stage.start("report-only", directory, "report-only");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void anEnforcePolicyIsAppliedAsTestingSoTheMailGoesAnyway() throws Exception {
        String domain = stage.world.domain("reportonly");
        stage.world.publishPolicy(domain, "1", "enforce", "mx." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, SELF_SIGNED, "bob");

        String id = stage.submission.send(stage.sender, "bob@" + domain);

        assertThat(World.await(mx, "bob", 1).get(0)).contains(id);
        stage.awaitAttempt(domain, "testing (policy enforce)");
        stage.awaitAttempt(domain, "certificate-not-trusted");
    }
}
