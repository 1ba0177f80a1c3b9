package io.github.jamesmtasts.watch;

import io.github.jamesmtasts.check.CheckWorld;
import io.github.jamesmtasts.check.DomainCheck;
import io.github.jamesmtasts.check.ExpectedPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WatchRun} over a loopback world: one mail for a new problem, none the next day or after a restart, one when fixed. */
class WatchRunTest {
    @TempDir
    Path directory;

    private CheckWorld world;

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aProblemIsToldOnceAndItsEndToo() {
        world = new CheckWorld(directory);
        String policy = CheckWorld.policyText("testing", 604800, "mx." + world.domain);
        world.publish("1", policy);
        world.mx("mx." + world.domain, 10);
        Map<String, Optional<ExpectedPolicy>> domains = Map.of(world.domain, Optional.of(ExpectedPolicy.of("1", CheckWorld.policy(policy))));

        List<Alert> first = run().run(domains);
        assertThat(first).extracting(Alert::kind).containsExactly(Alert.Kind.NEW_PROBLEM);
        assertThat(first.get(0).finding().key()).isEqualTo("tlsrpt _smtp._tls." + world.domain + " no-record");
        assertThat(run().run(domains)).as("the next day, after a restart").isEmpty();

        world.tlsRpt();
        assertThat(run().run(domains)).extracting(Alert::kind).containsExactly(Alert.Kind.RESOLVED);
        assertThat(run().run(domains)).isEmpty();
    }

    /** A new run over the same store directory, as after a restart of James. */
    private WatchRun run() {
        return new WatchRun(new DomainCheck(world.clients(), Clock.systemUTC()), new FileWatchStore(directory.resolve("watch")),
            Watch.withResolvedNotes(), Clock.systemUTC());
    }
}
