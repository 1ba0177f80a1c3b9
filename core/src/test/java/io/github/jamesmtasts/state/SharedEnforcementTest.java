package io.github.jamesmtasts.state;

import io.github.jamesmtasts.delivery.DomainOverride;
import io.github.jamesmtasts.delivery.Enforcement;
import io.github.jamesmtasts.delivery.EnforcementMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two nodes' switches over one file state, on the system clock, refreshed every 100 ms. */
class SharedEnforcementTest {
    private static final Duration REFRESH = Duration.ofMillis(100);

    @TempDir
    Path directory;

    private final List<SharedEnforcement> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(SharedEnforcement::close);
    }

    @Test
    void aChangeOnOneNodeAppliesOnTheOtherWithinTheRefreshInterval() throws Exception {
        SharedEnforcement a = node(new FileClusterState(directory, Clock.systemUTC()));
        SharedEnforcement b = node(new FileClusterState(directory, Clock.systemUTC()));

        a.setGlobal(EnforcementMode.REPORT_ONLY);
        a.putOverride("Broken.Example.", DomainOverride.of(EnforcementMode.OFF, Optional.empty()));
        assertThat(a.enforcement().global()).as("at once on the node that made it").isEqualTo(EnforcementMode.REPORT_ONLY);
        awaitOn("b", () -> b.enforcement().global() == EnforcementMode.REPORT_ONLY
            && b.enforcement().modeFor("broken.example") == EnforcementMode.OFF);

        assertThat(b.removeOverride("broken.example")).isTrue();
        assertThat(b.removeOverride("broken.example")).isFalse();
        awaitOn("a", () -> a.enforcement().overrides().isEmpty());
    }

    @Test
    void anOverrideEndsOnEveryNodeAtItsExpiryNotARefreshLater() throws Exception {
        FileClusterState state = new FileClusterState(directory, Clock.systemUTC());
        SharedEnforcement a = node(state);
        // B reads the state once and never again in this test: only its clock can end the override.
        SharedEnforcement b = SharedEnforcement.start(state, new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()), Duration.ofHours(1));
        nodes.add(b);
        Instant expires = Instant.now().plusMillis(800).plusNanos(123_456);
        DomainOverride stored = a.putOverride("example.net", DomainOverride.of(EnforcementMode.OFF, Optional.of(expires)));
        b.refresh();
        assertThat(b.enforcement().modeFor("example.net")).isEqualTo(EnforcementMode.OFF);
        assertThat(stored.expires()).as("to the millisecond, as Cassandra keeps it").contains(expires.truncatedTo(ChronoUnit.MILLIS));
        assertThat(b.enforcement().overrides()).isEqualTo(a.enforcement().overrides());

        while (Instant.now().isBefore(expires)) {
            Thread.sleep(10);
        }
        assertThat(b.enforcement().modeFor("example.net")).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(a.enforcement().modeFor("example.net")).isEqualTo(EnforcementMode.ENFORCE);
    }

    @Test
    void aChangeThatCannotBeStoredIsNotMadeAndAFailedRefreshKeepsTheSwitches() throws Exception {
        FileClusterState files = new FileClusterState(directory, Clock.systemUTC());
        files.setGlobal(EnforcementMode.OFF);
        Unreachable state = new Unreachable(files);
        SharedEnforcement node = node(state);
        state.down = true;

        assertThatThrownBy(() -> node.setGlobal(EnforcementMode.ENFORCE)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> node.putOverride("example.net", DomainOverride.of(EnforcementMode.OFF, Optional.empty())))
            .isInstanceOf(IOException.class);
        Thread.sleep(REFRESH.multipliedBy(3).toMillis());

        assertThat(node.enforcement().global()).isEqualTo(EnforcementMode.OFF);
        assertThat(node.enforcement().overrides()).isEmpty();
    }

    private SharedEnforcement node(ClusterState state) throws IOException {
        SharedEnforcement node = SharedEnforcement.start(state, new Enforcement(EnforcementMode.ENFORCE, Clock.systemUTC()), REFRESH);
        nodes.add(node);
        return node;
    }

    private static void awaitOn(String node, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(REFRESH.multipliedBy(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("the change reached node %s", node).isBefore(deadline);
            Thread.sleep(10);
        }
    }

    /** A state that fails every call once it is down. */
    private static final class Unreachable extends ForwardingClusterState {
        volatile boolean down;

        Unreachable(ClusterState state) {
            super(state);
        }

        private void check() throws IOException {
            if (down) {
                throw new IOException("store unreachable");
            }
        }

        @Override
        public EnforcementState enforcement() throws IOException {
            check();
            return super.enforcement();
        }

        @Override
        public void setGlobal(EnforcementMode mode) throws IOException {
            check();
            super.setGlobal(mode);
        }

        @Override
        public void putOverride(String domain, DomainOverride override) throws IOException {
            check();
            super.putOverride(domain, override);
        }
    }
}
