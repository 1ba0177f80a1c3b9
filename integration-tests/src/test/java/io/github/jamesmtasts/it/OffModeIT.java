package io.github.jamesmtasts.it;

import io.github.jamesmtasts.testkit.PolicyHost;
import io.github.jamesmtasts.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.xbill.DNS.Type;

import java.nio.file.Path;

import static io.github.jamesmtasts.it.World.Certificate.SELF_SIGNED;
import static org.assertj.core.api.Assertions.assertThat;

/** The global switch at {@code off}: no policy look-ups, delivery as a server without MTA-STS. */
class OffModeIT {
    @TempDir
    static Path directory;
    private static Stage stage;

    @BeforeAll
    static void start() {
        stage = Stage.start("off", directory, "off");
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void policiesAreNeitherFetchedNorApplied() throws Exception {
        String domain = stage.world.domain("off");
        PolicyHost policyHost = stage.world.publishPolicy(domain, "1", "enforce", "elsewhere." + domain);
        PostfixServer mx = stage.world.mx(domain, 10, "mx." + domain, SELF_SIGNED, "bob");

        String id = stage.submission.send(stage.sender, "bob@" + domain);

        assertThat(World.await(mx, "bob", 1).get(0)).contains(id);
        assertThat(policyHost.requests()).isEmpty();
        assertThat(stage.world.dns().queries("_mta-sts." + domain, Type.TXT)).isZero();
    }
}
